"""The side-by-side comparison of platforms, on their own or against a dossier's criteria
(routes on the catalogue blueprint)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import abort
from flask import render_template
from flask import request
from flask import url_for
from markupsafe import Markup

from kompas.engine.model import Catalogue
from kompas.engine.model import Fact
from kompas.engine.model import FactDef
from kompas.engine.result import Advice
from kompas.engine.result import CriterionResult
from kompas.engine.result import PlatformResult
from kompas.i18n import _
from kompas.i18n import ngettext
from kompas.present.drawbacks import drawbacks_of
from kompas.present.model import Story
from kompas.present.platforms import verdict
from kompas.present.words import weight_text
from kompas.present.words import whole
from kompas.store import dossier as dossier_store
from kompas.web.advice_views import dossier_explanation
from kompas.web.catalogue import MAX_COMPARE
from kompas.web.catalogue import MIN_COMPARE
from kompas.web.catalogue import Cell
from kompas.web.catalogue import bp
from kompas.web.catalogue import catalogue_data
from kompas.web.catalogue import dossier_token
from kompas.web.catalogue import fact_cell
from kompas.web.catalogue import index_page
from kompas.web.errors import render_error


def _comparable(spec: FactDef, fact: Fact) -> tuple[str, Any]:
    """A fact's status and value in a form where equal meaning compares equal."""
    if not fact.known:
        return (fact.status, None)
    value = fact.value
    if spec.type == "set":
        return ("known", frozenset(value))
    if spec.type == "range":
        return ("known", (value["min"], value["max"]))
    return ("known", value)


def _compare_error(text: str, chosen: list[str] | None = None) -> tuple[str, int]:
    """A 400 page saying what to do, with a link back to the list (selection kept)."""
    args: dict[str, Any] = {"p": [c for c in (chosen or []) if c]} if chosen else {}
    if dossier_token():
        args["d"] = dossier_token()
    back = url_for("catalogue.index", **args)
    detail = Markup('{text} <a href="{url}">{link}</a>').format(
        text=text, url=back, link=_("Terug naar de platformvergelijker")
    )
    return render_error(400, detail)


@dataclass(frozen=True, slots=True)
class Mark:
    """How a platform does on one of the dossier's criteria: a symbol and a word."""

    state: str
    symbol: str
    word: str


MARKS = {"met": "✓", "partial": "±", "unmet": "✗", "unknown": "?", "not_applicable": "–"}


def mark(result: CriterionResult | None) -> Mark:
    """The engine's verdict on a criterion as a cell: the symbol never stands alone."""
    v = verdict(result)
    return Mark(v.state, MARKS[v.state], v.word)


@dataclass(frozen=True, slots=True)
class DossierView:
    """The chosen platforms against one dossier's criteria, as the advice computed them."""

    token: str
    municipality: str
    scores: tuple[tuple[str, str, str], ...]  # per platform: score, range, standing
    rows: tuple[tuple[str, str, tuple[Mark, ...]], ...]  # criterion, weight, marks
    chosen: str = ""  # which platforms these are, when the dossier's link chose them


def _standing(advice: Advice, result: PlatformResult) -> str:
    if result in advice.ranking:
        return _("plaats {rank} in uw advies").format(rank=result.rank)
    if result in advice.complements:
        return _("aanvulling in uw advies, zonder plaats in de rangorde")
    if result in advice.excluded:
        return _("valt af op een eis")
    return _("geen kandidaat")


def _shortlist(story: Story) -> tuple[list[str], str]:
    """The platforms a link from the dossier compares: the shortlist the advice page names, in
    its order (the first MAX_COMPARE of a longer one), and a sentence saying so."""
    named = [row.platform_id for row in story.shortlist]
    if len(named) <= MAX_COMPARE:
        return named, _("De kortlijst van uw advies, in dezelfde volgorde.")
    return named[:MAX_COMPARE], _(
        "De eerste {n} van de {total} platforms op de kortlijst van uw advies; kies andere in "
        "de platformvergelijker."
    ).format(n=MAX_COMPARE, total=len(named))


def _dossier_view(
    token: str, advice: Advice, municipality: str, ids: list[str], chosen: str = ""
) -> DossierView:
    """Scores and criteria cells for the chosen platforms, read from the advice."""
    results = [advice.result(i) for i in ids]
    scores = tuple(
        (
            whole(r.score),
            "" if r.lower is None or r.upper is None else f"{whole(r.lower)} – {whole(r.upper)}",
            _standing(advice, r),
        )
        for r in results
    )
    rows = tuple(
        (
            a.label,
            _("eis") if a.must else weight_text(a.weight),
            tuple(mark(r.result(a.id)) for r in results),
        )
        for a in advice.active
        if a.must or a.weight > 0
    )
    return DossierView(token, municipality, scores, rows, chosen)


def _selection_problem(ids: list[str], catalogue: Catalogue) -> Any:
    """The page that says what is wrong with a selection of platforms; None if it fits."""
    if not MIN_COMPARE <= len(ids) <= MAX_COMPARE and len(ids) <= 2 * MAX_COMPARE:
        # The list again, with the selection still ticked and what to do at the top.
        return index_page(
            ngettext(
                "U koos {n} platform. Kies er minstens {min} en hoogstens {max} in de lijst en "
                "klik op 'Vergelijk geselecteerde platforms'.",
                "U koos {n} platforms. Kies er minstens {min} en hoogstens {max} in de lijst en "
                "klik op 'Vergelijk geselecteerde platforms'.",
                len(ids),
            ).format(n=len(ids), min=MIN_COMPARE, max=MAX_COMPARE),
            400,
        )
    if not MIN_COMPARE <= len(ids) <= MAX_COMPARE:
        # More than any form can send: a tampered link.
        return _compare_error(
            _("U koos {n} platforms. Kies er minstens {min} en hoogstens {max}.").format(
                n=len(ids), min=MIN_COMPARE, max=MAX_COMPARE
            )
        )
    if len(set(ids)) != len(ids):
        return _compare_error(
            _(
                "U koos een platform meer dan eens. Kies {min} tot {max} verschillende platforms."
            ).format(min=MIN_COMPARE, max=MAX_COMPARE),
            list(dict.fromkeys(ids)),
        )
    unknown = [i for i in ids if i not in catalogue.index]
    if unknown:
        return _compare_error(
            _(
                "Kompas kent {n} van de gekozen platforms niet (meer). Kies opnieuw in de lijst."
            ).format(n=len(unknown)),
            [i for i in ids if i in catalogue.index],
        )
    return None


def _with_footnotes(
    shown: list[tuple[FactDef, bool, list[Fact]]], texts: Mapping[str, str]
) -> tuple[list[tuple[FactDef, bool, list[Cell]]], list[tuple[int, str, dt.date | None]]]:
    """The rows' cells, each known fact pointing at its source as a numbered footnote (in
    order of first use), and the footnotes."""
    # Sources as numbered footnotes, in order of first use in the rows shown.
    footnotes: dict[tuple[str, dt.date | None], int] = {}
    table = []
    for spec, differs, facts in shown:
        cells = []
        for fact in facts:
            cell = fact_cell(spec, fact, texts)
            if fact.known and fact.source:
                n = footnotes.setdefault((fact.source, fact.checked), len(footnotes) + 1)
                cell = Cell(cell.status, cell.text, fact, n)
            cells.append(cell)
        table.append((spec, differs, cells))
    return table, [(n, source, checked) for (source, checked), n in footnotes.items()]


@bp.get("/vergelijk")
def compare() -> Any:
    """Two to four platforms side by side, one row per fact, differing rows marked."""
    questionnaire, catalogue = catalogue_data()
    ids = request.args.getlist("p")
    only_differences = request.args.get("alleen_verschillen", "")
    if only_differences not in ("", "0", "1"):
        return _compare_error(_("De optie 'alleen verschillen' moet 1 of 0 zijn."))
    token = dossier_token()
    opened = dossier_store.open_dossier(token) if token else None
    if token and opened is None:
        abort(404)
    advice = None
    chosen = ""
    if opened is not None:
        # Exactly the advice page's explanation (local facts included): same order and scores.
        explanation = dossier_explanation(opened[0], opened[1])
        advice, catalogue = explanation.advice, explanation.catalogue
        if not ids:  # a link from the dossier: the shortlist its advice page names
            ids, chosen = _shortlist(explanation.story)
            if len(ids) < MIN_COMPARE:
                return index_page(
                    _(
                        "Uw advies heeft nog geen kortlijst van {min} of meer platforms om te "
                        "vergelijken. Kies zelf {min} tot {max} platforms in de lijst."
                    ).format(min=MIN_COMPARE, max=MAX_COMPARE)
                )
    problem = _selection_problem(ids, catalogue)
    if problem is not None:
        return problem
    platforms = [catalogue.platform(i) for i in ids]
    versus = (
        _dossier_view(token, advice, opened[0].municipality, ids, chosen)
        if advice is not None and opened is not None
        else None
    )

    rows = []
    for spec in catalogue.facts.values():
        facts = [p.fact(spec.id) for p in platforms]
        differs = len({_comparable(spec, f) for f in facts}) > 1
        rows.append((spec, differs, facts))
    shown = [r for r in rows if r[1]] if only_differences == "1" else rows

    table, footnotes = _with_footnotes(shown, questionnaire.texts)
    return render_template(
        "catalogue/compare.html",
        platforms=platforms,
        rows=table,
        differing=sum(1 for r in rows if r[1]),
        total_rows=len(rows),
        only_differences=only_differences == "1",
        footnotes=footnotes,
        versus=versus,
        # The served catalogue: its research log says when a search found no setback.
        drawbacks=[drawbacks_of(catalogue_data()[1], p) for p in platforms],
    )
