"""The wizard: landing page, new dossier, one step per section, overview and deletion."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask import abort
from flask import current_app
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from kompas.engine.answers import check_answers
from kompas.engine.answers import visible_questions
from kompas.engine.model import Question
from kompas.engine.model import Questionnaire
from kompas.engine.model import Section
from kompas.i18n import _
from kompas.narrative import describe_answer
from kompas.web import db
from kompas.web.forms import ConfirmForm
from kompas.web.forms import NewDossierForm
from kompas.web.forms import build_step_form
from kompas.web.forms import form_value
from kompas.web.forms import submitted_answers
from kompas.web.lookup import dossier_or_404
from kompas.web.workshop import facilitator_link

bp = Blueprint("wizard", __name__)
ACTIONS = ("vorige", "volgende", "opslaan")


def questionnaire() -> Questionnaire:
    """The questionnaire the app was started with."""
    return current_app.extensions["kompas"]["questionnaire"]  # type: ignore[no-any-return]


def open_or_404(token: str) -> tuple[db.Dossier, dict[str, Any]]:
    """The dossier behind a link and its answers (one transaction), or the 404 page."""
    found = db.open_dossier(token)
    if found is None:
        abort(404)
    return found


def visible(stored: dict[str, Any]) -> tuple[tuple[Question, ...], dict[str, Any]]:
    """Questions shown for the stored answers, and the answers that count."""
    answers = check_answers(questionnaire(), stored, strict=False)
    return visible_questions(questionnaire(), answers.values), dict(answers.values)


def section_status(stored: dict[str, Any]) -> list[dict[str, Any]]:
    """Per section: how many shown questions are answered."""
    shown, answers = visible(stored)
    ids = {q.id for q in shown}
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
        token, _dossier = db.create_dossier(
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
    link = url_for(".dossier", token=token, _external=True)
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


def _section(section_id: str) -> tuple[int, Section]:
    for i, section in enumerate(questionnaire().sections):
        if section.id == section_id:
            return i, section
    abort(404)


@bp.route("/d/<token>/stap/<section_id>", methods=["GET", "POST"])
def step(token: str, section_id: str) -> Any:
    """One wizard step: the shown questions of one section, saved on every submit."""
    index, section = _section(section_id)
    dossier, stored = open_or_404(token)
    shown, _answers = visible(stored)
    questions = [q for q in section.questions if q in shown]
    form_class = build_step_form(questions)
    if request.method == "GET":
        form = form_class(
            formdata=None, data={q.id: form_value(q, stored.get(q.id)) for q in questions}
        )
        return _render_step(token, dossier, index, section, form, questions, stored)

    form = form_class()
    unknown_fields = set(request.form) - {f.name for f in form} - {"actie"}
    action = request.form.get("actie", "volgende")
    if unknown_fields or action not in ACTIONS:
        return _render_step(
            token,
            dossier,
            index,
            section,
            form,
            questions,
            stored,
            status=400,
            problem=_(
                "Dit formulier past niet (meer) bij de vragenlijst. Er is niets opgeslagen; "
                "de vragen hieronder zijn opnieuw geladen."
            ),
        )
    if not form.validate():
        return _render_step(token, dossier, index, section, form, questions, stored, status=400)
    values, cleared = submitted_answers(questions, form)
    db.save_answers(dossier.id, values, cleared)
    # What is stored now, without reading it back: this step's answers replaced.
    after = {k: v for k, v in stored.items() if k not in cleared} | values
    return _after_save(token, index, section, questions, action, after)


def _after_save(
    token: str,
    index: int,
    section: Section,
    asked: list[Question],
    action: str,
    stored: dict[str, Any],
) -> WerkzeugResponse:
    shown, answers = visible(stored)
    follow_ups = [
        q for q in section.questions if q in shown and q not in asked and q.id not in answers
    ]
    if follow_ups:
        flash(
            _("Uw antwoorden zijn opgeslagen. Door uw antwoord is er een vervolgvraag bijgekomen."),
            "info",
        )
        return redirect(
            url_for(
                ".step", token=token, section_id=section.id, _anchor=f"vraag-{follow_ups[0].id}"
            )
        )
    sections = questionnaire().sections
    if action == "opslaan":
        flash(
            _("Uw antwoorden zijn opgeslagen. Met de link van dit dossier gaat u later verder."),
            "info",
        )
        return redirect(url_for(".dossier", token=token))
    if action == "vorige" and index > 0:
        return redirect(url_for(".step", token=token, section_id=sections[index - 1].id))
    if action == "volgende" and index + 1 < len(sections):
        return redirect(url_for(".step", token=token, section_id=sections[index + 1].id))
    if action == "volgende":
        return redirect(url_for(".overview", token=token))
    return redirect(url_for(".dossier", token=token))


def _render_step(
    token: str,
    dossier: db.Dossier,
    index: int,
    section: Section,
    form: Any,
    questions: list[Question],
    stored: dict[str, Any],
    status: int = 200,
    problem: str = "",
) -> tuple[str, int]:
    return render_template(
        "wizard/step.html",
        token=token,
        dossier=dossier,
        index=index,
        section=section,
        sections=questionnaire().sections,
        form=form,
        questions=questions,
        status=section_status(stored),
        problem=problem,
    ), status


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


def _forget_reports(dossier: db.Dossier) -> None:
    """Cached PDF reports are the dossier's data too: they go with it."""
    from pathlib import Path

    from kompas.report import dossier_reference
    from kompas.report.cache import forget

    folder = current_app.config.get("KOMPAS_REPORT_CACHE") or (
        Path(current_app.instance_path) / "report-cache"
    )
    forget(dossier_reference(dossier.id, dossier.created_at), Path(folder))


@bp.route("/d/<token>/verwijderen", methods=["GET", "POST"])
def delete(token: str) -> Any:
    """Delete a dossier for good (whoever holds the link may do this)."""
    dossier = dossier_or_404(token)
    form = ConfirmForm()
    if form.validate_on_submit():
        db.delete_dossier(dossier.id)
        _forget_reports(dossier)
        flash(
            _("Het dossier voor {municipality} is verwijderd, met alle antwoorden.").format(
                municipality=dossier.municipality
            ),
            "info",
        )
        return redirect(url_for(".index"))
    return render_template("wizard/delete.html", dossier=dossier, token=token, form=form)
