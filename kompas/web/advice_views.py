"""Advice page, exports (YAML, JSON, CSV) and import of an answers file."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from flask import Response
from flask import current_app
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for

from kompas.charts import advice_pictures
from kompas.engine.answers import normalise_answer
from kompas.engine.evidence import evidence_phrase
from kompas.engine.evidence import vendor_only_musts
from kompas.engine.model import Catalogue
from kompas.engine.probable import Probable
from kompas.engine.uncertainty import STANCES
from kompas.engine.vendor import answer_from_record
from kompas.engine.vendor import answer_record
from kompas.engine.vendor import local_fact_map
from kompas.errors import AnswerError
from kompas.i18n import _
from kompas.i18n import current_language
from kompas.narrative import importance_choices
from kompas.pipeline import Explanation
from kompas.pipeline import explain
from kompas.present.round import next_questions
from kompas.store import dossier as dossier_store
from kompas.store.base import one_connection
from kompas.web.errors import render_error
from kompas.web.page_cache import cached_page
from kompas.web.present import advice_csv
from kompas.web.present import answers_yaml
from kompas.web.vendor_forms import local_answers
from kompas.web.wizard import bp
from kompas.web.wizard import dossier_or_404
from kompas.web.wizard import open_or_404
from kompas.web.wizard import questionnaire
from kompas.web.wizard import report_cache_dir
from kompas.web.wizard import section_status
from kompas.web.workshop_shared import WorkshopSummary
from kompas.web.workshop_shared import workshop_summary

PDF_TIMEOUT = 20.0  # seconds; gunicorn kills a worker after 30
DETAILS = 5  # platforms explained with their details open
EXPLAINED = 12  # platforms explained on the page (all of them with ?alle=1)


def catalogue() -> Catalogue:
    """The catalogue the app was started with."""
    return current_app.extensions["kompas"]["catalogue"]  # type: ignore[no-any-return]


def dossier_explanation(
    dossier: dossier_store.Dossier, stored: dict[str, Any] | None = None, stance: str = "neutraal"
) -> Explanation:
    """The explained advice for a dossier's saved answers and local facts (stale answers set
    aside, never fatal); cached on the dossier's state, so the page, the comparison, the
    exports and the PDF share one computation."""
    if stored is None:
        stored = dossier_store.load_answers(dossier.id)
    return explained(stored, dossier.id, stance)


def _filename(dossier: dossier_store.Dossier, suffix: str) -> str:
    return f"kompas-{_slug(dossier)}-{suffix}"


def _slug(dossier: dossier_store.Dossier) -> str:
    """The municipality's name as a safe piece of a file name."""
    slug = re.sub(r"[^a-z0-9]+", "-", dossier.municipality.lower()).strip("-") or "dossier"
    return slug[:40]


def _download(body: str | bytes, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/d/<token>/advies")
def advice(token: str) -> Any:
    """The ranked, explained advice, how sure it is, and a what-if on the importances."""
    what_if = what_if_answers(request.args)
    if what_if is None:
        return render_error(400, _("Een gewicht in de wat-als-berekening klopt niet."))
    stance = request.args.get("aanname", "neutraal")
    if stance not in STANCES:
        return render_error(400, _("Kies de neutrale of de voorzichtige aanname."))
    # The reads that make the page's key share one connection and transaction (on a cached
    # page they are most of the work); the page is rendered after it is given back.
    with one_connection():
        dossier, stored = open_or_404(token)
        state = explanation_key({**stored, **what_if}, dossier.id, stance)
        workshop = workshop_summary(dossier.id)
    # Everything the page shows follows from the pipeline's state, the dossier row (its
    # revision moves with every change), the saved answers and the adopted workshop; the
    # request's path, query and language are added by cached_page.
    page_state = (state, repr(dossier), json.dumps(stored, sort_keys=True), repr(workshop))
    return cached_page(
        page_state, lambda: _advice_page(token, dossier, stored, what_if, state, workshop)
    )


def _advice_page(
    token: str,
    dossier: dossier_store.Dossier,
    stored: dict[str, Any],
    what_if: dict[str, Any],
    state: tuple[str, str, str, str, str, str],
    workshop: WorkshopSummary | None,
) -> str:
    """Render the advice page (cached_page keeps the result per state)."""
    answers = {**stored, **what_if}
    explanation = _cached(*state)
    result, analysis, story = explanation.advice, explanation.analysis, explanation.story
    q = questionnaire()
    show_all = request.args.get("alle") == "1"
    # Must-haves met only on the vendor's word are marked as such (issue 13).
    vendor_only = {
        r.platform.id: {c.criterion_id for c in vendor_only_musts(r.results)}
        for r in result.ranking
    }
    return render_template(
        "wizard/advice.html",
        story=story,
        likely=explanation.likely,
        # The PDF links keep a chosen cautious stance, so the report words what the page says.
        pdf_stance=None if explanation.likely.stance == "neutraal" else explanation.likely.stance,
        pictures=advice_pictures(result, story),
        evidence_phrase=evidence_phrase,
        vendor_only=vendor_only,
        status=section_status(stored),
        dossier=dossier,
        token=token,
        advice=result,
        analysis=analysis,
        details=DETAILS,
        explained=story.platforms if show_all else story.platforms[:EXPLAINED],
        show_all=show_all,
        questionnaire=q,
        catalogue=catalogue(),
        stale=[i for i in result.ignored if i.reason != "hidden"],
        what_if=what_if,
        what_if_questions=[x for x in q.questions if x.type == "importance"],
        current=answers,
        importance=importance_choices(),
        workshop=workshop,
    )


def explained(
    answers: dict[str, Any], dossier_id: int | None = None, stance: str = "neutraal"
) -> Explanation:
    """The pipeline's explanation of these answers (with the dossier's local facts), computed
    once per state: answers, local facts, data versions, language and stance."""
    return _cached(*explanation_key(answers, dossier_id, stance))


def explanation_key(
    answers: dict[str, Any], dossier_id: int | None = None, stance: str = "neutraal"
) -> tuple[str, str, str, str, str, str]:
    """The state an explanation follows from: answers, local facts, data versions, language
    and stance (the key of the pipeline cache, and part of the advice page's)."""
    key = json.dumps(answers, sort_keys=True, ensure_ascii=False)
    local = local_answers(dossier_id, catalogue()) if dossier_id is not None else []
    local_key = json.dumps([answer_record(a) for a in local], sort_keys=True, ensure_ascii=False)
    return (
        key,
        questionnaire().content_hash,
        catalogue().content_hash,
        current_language(),
        local_key,
        stance,
    )


@lru_cache(maxsize=128)
def _cached(
    answers_json: str,
    _questions: str,
    _platforms: str,
    language: str,
    local_json: str = "[]",
    stance: str = "neutraal",
) -> Explanation:
    local = local_fact_map(answer_from_record(r, catalogue()) for r in json.loads(local_json))
    return explain(
        questionnaire(),
        catalogue(),
        json.loads(answers_json),
        local_facts=local,
        lang=language,
        strict=False,
        stance=stance,
    )


def ranked_questions(
    answers: dict[str, Any], dossier_id: int | None = None, stance: str = "neutraal"
) -> tuple[Explanation, Probable]:
    """The cached explanation and its vendor questions ranked by worth (the round page), each
    computed once per state: ranking the questions costs up to ten times the advice."""
    state = explanation_key(answers, dossier_id, stance)
    return _cached(*state), _ranked(*state)


@lru_cache(maxsize=32)
def _ranked(*state: str) -> Probable:
    return next_questions(_cached(*state))


def what_if_answers(args: Mapping[str, str]) -> dict[str, Any] | None:
    """Importance answers from the query string (a what-if); None when one does not fit."""
    changes: dict[str, Any] = {}
    for question in questionnaire().questions:
        if question.type != "importance" or question.id not in args:
            continue
        raw = args[question.id]
        if raw == "":
            continue
        try:
            changes[question.id] = normalise_answer(question, raw)
        except AnswerError:
            return None
    return changes


@bp.post("/d/<token>/wat-als")
def save_what_if(token: str) -> Any:
    """Store the importances tried in a what-if as the dossier's answers."""
    dossier = dossier_or_404(token)
    changes = what_if_answers(request.form)
    if changes is None:
        return render_error(400, _("Een gewicht klopt niet; er is niets opgeslagen."))
    cleared = {
        q.id
        for q in questionnaire().questions
        if q.type == "importance" and request.form.get(q.id, None) == ""
    }
    dossier_store.save_answers(dossier.id, changes, cleared)
    flash(_("De gewichten uit de wat-als-berekening zijn opgeslagen."), "info")
    return redirect(url_for(".advice", token=token))


@bp.get("/d/<token>/antwoorden.yaml")
def export_answers(token: str) -> Response:
    """The answers as YAML, the same format `kompas advise` reads."""
    dossier = dossier_or_404(token)
    body = answers_yaml(questionnaire(), dossier, dossier_store.load_answers(dossier.id))
    return _download(body, "application/yaml", _filename(dossier, "antwoorden.yaml"))


@bp.get("/d/<token>/advies.json")
def export_record(token: str) -> Response:
    """The advice as a JSON decision record."""
    dossier = dossier_or_404(token)
    record = dossier_explanation(dossier).record()
    record["dossier"] = {"municipality": dossier.municipality, "advisor": dossier.advisor or None}
    body = json.dumps(record, indent=2, ensure_ascii=False) + "\n"
    return _download(body, "application/json", _filename(dossier, "advies.json"))


@bp.get("/d/<token>/advies.csv")
def export_csv(token: str) -> Response:
    """The ranking as CSV (semicolons, decimal commas) for a spreadsheet."""
    dossier = dossier_or_404(token)
    return _download(
        advice_csv(dossier_explanation(dossier).advice),
        "text/csv",
        _filename(dossier, "advies.csv"),
    )


REPORT_KINDS = ("volledig", "kort")  # ?rapport=: the full report or the council part only


def report_kind(args: Mapping[str, str]) -> str | None:
    """The report asked for (default the full one); None when the value is not one we know."""
    kind = args.get("rapport", "volledig")
    return kind if kind in REPORT_KINDS else None


@bp.get("/d/<token>/advies.pdf")
def export_pdf(token: str) -> Any:
    """The advice report for the council as PDF; cached, so a second download is instant.

    ?rapport=kort gives the council part only (at most eight pages), the default the full
    report with its annexes; ?aanname=voorzichtig words the probable shortlist under the
    cautious stance, as the advice page does.
    """
    from kompas.report import ReportTooLarge
    from kompas.report import dossier_reference
    from kompas.report import render_pdf
    from kompas.report.cache import stats

    dossier = dossier_or_404(token)
    kind = report_kind(request.args)
    if kind is None:
        return render_error(400, _("Kies het korte of het volledige rapport."))
    stance = request.args.get("aanname", "neutraal")
    if stance not in STANCES:
        return render_error(400, _("Kies de neutrale of de voorzichtige aanname."))
    renders = stats.renders
    try:
        body = render_pdf(
            dossier_explanation(dossier, stance=stance),
            municipality=dossier.municipality,
            advisor=dossier.advisor,
            reference=dossier_reference(dossier.id, dossier.created_at),
            cache_dir=report_cache_dir(),
            timeout=pdf_timeout(),
            full=kind == "volledig",
        )
    except ReportTooLarge:
        g.kompas_pdf_rendered = True  # a render that was tried counts towards the limit
        page, status = render_error(
            503,
            _(
                "Het rapport is te groot om te maken; maak lange toelichtingen korter en "
                "probeer het opnieuw. Het advies op de adviespagina en de downloads in YAML, "
                "JSON en CSV blijven gewoon werken."
            ),
        )
        return page, status, {"Retry-After": "600"}
    # Only renders count towards the per-address limit; a cached report costs nothing.
    g.kompas_pdf_rendered = stats.renders > renders
    suffix = "-kort" if kind == "kort" else ""
    return _download(body, "application/pdf", f"kompas-advies-{_slug(dossier)}{suffix}.pdf")


def pdf_timeout() -> float:
    """Seconds a PDF may take to render (KOMPAS_PDF_TIMEOUT, default 20: under gunicorn's 30)."""
    # Checked at start-up (kompas.web.settings); a test may set a number afterwards.
    return float(current_app.config.get("KOMPAS_PDF_TIMEOUT") or PDF_TIMEOUT)
