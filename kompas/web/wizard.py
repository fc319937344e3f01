"""The wizard: landing page, new dossier, overview and deletion (the steps: web/wizard_step)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Blueprint
from flask import abort
from flask import current_app
from flask import flash
from flask import redirect
from flask import render_template
from flask import url_for

from kompas.engine.answers import check_answers
from kompas.engine.answers import visible_questions
from kompas.engine.completeness import counted_questions
from kompas.engine.model import Question
from kompas.engine.model import Questionnaire
from kompas.engine.workshop import priority_sections
from kompas.i18n import _
from kompas.narrative import describe_answer
from kompas.store import dossier as dossier_store
from kompas.web.forms import ConfirmForm
from kompas.web.forms import NewDossierForm
from kompas.web.lookup import dossier_or_404
from kompas.web.security import external_url

bp = Blueprint("wizard", __name__)


def questionnaire() -> Questionnaire:
    """The questionnaire the app was started with."""
    return current_app.extensions["kompas"]["questionnaire"]  # type: ignore[no-any-return]


def open_or_404(token: str) -> tuple[dossier_store.Dossier, dict[str, Any]]:
    """The dossier behind a link and its answers (one transaction), or the 404 page."""
    found = dossier_store.open_dossier(token)
    if found is None:
        abort(404)
    return found


def visible(stored: dict[str, Any]) -> tuple[tuple[Question, ...], dict[str, Any]]:
    """Questions shown for the stored answers, and the answers that count."""
    answers = check_answers(questionnaire(), stored, strict=False)
    return visible_questions(questionnaire(), answers.values), dict(answers.values)


def section_status(stored: dict[str, Any]) -> list[dict[str, Any]]:
    """Per section: how many shown questions are answered (the one count: free text left out)."""
    _shown, answers = visible(stored)
    ids = {q.id for q in counted_questions(questionnaire(), answers)}
    return [
        {
            "section": s,
            "shown": sum(q.id in ids for q in s.questions),
            "answered": sum(q.id in ids and q.id in answers for q in s.questions),
        }
        for s in questionnaire().sections
    ]


@bp.get("/")
def index() -> str:
    """Landing page: what Kompas does and how neutral it is."""
    return render_template("wizard/index.html", questionnaire=questionnaire())


@bp.get("/werkwijze")
def method() -> str:
    """How the advice is computed and why it is neutral."""
    catalogue = current_app.extensions["kompas"]["catalogue"]
    return render_template("wizard/method.html", questionnaire=questionnaire(), catalogue=catalogue)


@bp.route("/nieuw", methods=["GET", "POST"])
def new() -> Any:
    """Start a dossier with only what is needed."""
    form = NewDossierForm()
    if form.validate_on_submit():
        token, _dossier = dossier_store.create_dossier(
            form.municipality.data.strip(), (form.advisor.data or "").strip(), form.inhabitants.data
        )
        flash(
            _(
                "Uw dossier is aangemaakt. Bewaar de link van deze pagina: daarmee gaat u later verder."
            ),
            "info",
        )
        return redirect(url_for(".dossier", token=token))
    status = 400 if form.errors else 200
    return render_template("wizard/new.html", form=form), status


@bp.get("/d/<token>/")
def dossier(token: str) -> str:
    """The dossier's home: its link, progress per step and what to do next."""
    dossier, stored = open_or_404(token)
    status = section_status(stored)
    next_section = next((s["section"] for s in status if s["answered"] < s["shown"]), None)
    link = external_url(".dossier", token=token)
    return render_template(
        "wizard/dossier.html",
        workshop_link=facilitator_link(dossier.id, token),
        dossier=dossier,
        token=token,
        status=status,
        link=link,
        next_section=next_section,
        answered=sum(s["answered"] for s in status),
        shown=sum(s["shown"] for s in status),
    )


@bp.get("/d/<token>/overzicht")
def overview(token: str) -> str:
    """All answers per section, with what is still open and what no longer counts."""
    dossier, stored = open_or_404(token)
    checked = check_answers(questionnaire(), stored, strict=False)
    shown = visible_questions(questionnaire(), checked.values)
    rows = []
    for section in questionnaire().sections:
        items = []
        for question in section.questions:
            if question in shown:
                value = checked.values.get(question.id)
                items.append(
                    {
                        "question": question,
                        "answer": describe_answer(question, value),
                        "state": "answered" if value is not None else "open",
                    }
                )
            elif question.id in stored:
                items.append({"question": question, "answer": "", "state": "hidden"})
        rows.append({"section": section, "items": items})
    stale = [i for i in checked.ignored if i.reason in ("unknown_question", "invalid")]
    return render_template(
        "wizard/overview.html", dossier=dossier, token=token, rows=rows, stale=stale
    )


def report_cache_dir() -> Path:
    """The folder of cached PDF reports: KOMPAS_CACHE_DIR (one folder that several servers
    share, so a report is rendered once), or the instance folder."""
    folder = (
        current_app.config.get("KOMPAS_REPORT_CACHE")
        or os.environ.get("KOMPAS_CACHE_DIR")
        or Path(current_app.instance_path) / "report-cache"
    )
    return Path(folder)


def _forget_reports(dossier: dossier_store.Dossier) -> None:
    """Cached PDF reports are the dossier's data too: they go with it."""
    from kompas.report import dossier_reference
    from kompas.report.cache import forget

    forget(dossier_reference(dossier.id, dossier.created_at), report_cache_dir())


@bp.route("/d/<token>/verwijderen", methods=["GET", "POST"])
def delete(token: str) -> Any:
    """Delete a dossier for good (whoever holds the link may do this)."""
    dossier = dossier_or_404(token)
    form = ConfirmForm()
    if form.validate_on_submit():
        dossier_store.delete_dossier(dossier.id)
        _forget_reports(dossier)
        flash(
            _("Het dossier voor {municipality} is verwijderd, met alle antwoorden.").format(
                municipality=dossier.municipality
            ),
            "info",
        )
        return redirect(url_for(".index"))
    return render_template("wizard/delete.html", dossier=dossier, token=token, form=form)


def facilitator_link(dossier_id: int, token: str) -> str | None:
    """The URL of the dossier's werksessie page, or None when the token is not this
    dossier's or the questionnaire has nothing participants could answer.

    Only a hash of the dossier token is stored, so the caller passes the token it has
    (every dossier page has it in its URL). Needs a request context."""
    dossier = dossier_store.find_dossier(token)
    if dossier is None or dossier.id != dossier_id or not priority_sections(questionnaire()):
        return None
    return url_for("workshop.facilitator", token=token)
