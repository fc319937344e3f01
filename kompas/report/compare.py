"""The comparison matrix and the robustness section of the report's view data."""

from __future__ import annotations

from dataclasses import dataclass

from kompas.engine.analysis import Analysis
from kompas.engine.model import Catalogue
from kompas.engine.model import Questionnaire
from kompas.engine.result import Advice
from kompas.engine.result import CriterionResult
from kompas.engine.result import PlatformResult
from kompas.i18n import _
from kompas.narrative import combination_sentences
from kompas.narrative import robustness_sentences
from kompas.narrative import separator_sentence
from kompas.narrative import tie_break_sentences
from kompas.report.formatting import whole

COMBINATIONS_SHOWN = 2  # best pairs and best triples, each


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell of the comparison matrix: a symbol and a word, never colour alone."""

    state: str
    symbol: str
    word: str


@dataclass(frozen=True, slots=True)
class MatrixRow:
    """A criterion that counts, with its weight and a cell per platform."""

    label: str
    weight: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True, slots=True)
class Matrix:
    """The leading platforms side by side on the criteria that mattered."""

    columns: tuple[str, ...]
    rows: tuple[MatrixRow, ...]


def cell_legend() -> tuple[Cell, ...]:
    """The symbols of the matrix, for its legend."""
    return (
        Cell("met", "+", _("voldoet")),
        Cell("partial", "±", _("voldoet gedeeltelijk")),
        Cell("unmet", "×", _("voldoet niet")),
        Cell("unknown", "?", _("onbekend")),
        Cell("not_applicable", "–", _("niet van toepassing")),
    )


def cell(c: CriterionResult | None) -> Cell:
    """A criterion result as a matrix cell."""
    if c is None:
        return Cell("not_applicable", "–", _("n.v.t."))
    if c.state == "met":
        return Cell("met", "+", _("ja"))
    if c.state == "partial":
        return Cell("partial", "±", _("deels"))
    if c.state == "unmet":
        return Cell("unmet", "×", _("nee"))
    if c.state == "unknown":
        return Cell("unknown", "?", _("onbekend"))
    if c.satisfaction == 0.0:
        return Cell("unmet", "×", _("n.v.t., telt als nee"))
    return Cell("not_applicable", "–", _("n.v.t."))


def matrix(advice: Advice, shown: tuple[PlatformResult, ...]) -> Matrix:
    """The comparison of the leading platforms on every criterion with weight or a must."""
    rows = []
    for a in advice.active:
        if not (a.must or a.weight > 0):
            continue
        weight = _("eis") if a.must else f"{a.weight:g}"
        rows.append(MatrixRow(a.label, weight, tuple(cell(r.result(a.id)) for r in shown)))
    return Matrix(tuple(r.platform.name for r in shown), tuple(rows))


@dataclass(frozen=True, slots=True)
class Combo:
    """A pair or triple of platforms side by side."""

    title: str
    score: str
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Robust:
    """How sure the advice is: stability, tie-break questions, combinations."""

    lines: tuple[str, ...]
    tie: tuple[str, ...]
    separators: tuple[tuple[str, str], ...]
    combinations_note: str
    combinations: tuple[Combo, ...]


def robust(analysis: Analysis, questionnaire: Questionnaire, catalogue: Catalogue) -> Robust:
    """The robustness section's sentences, all from kompas.narrative."""
    combos = analysis.combinations
    shown: list[Combo] = []
    if combos.accepted is True:
        chosen = (
            combos.pairs[:COMBINATIONS_SHOWN]
            + combos.triples[:COMBINATIONS_SHOWN]
            + combos.with_offline[:1]  # a platform beside an offline approach, when asked for
        )
        note = (
            _(
                "De gemeente vindt meerdere platforms naast elkaar acceptabel. Dit zijn de best scorende combinaties."
            )
            if chosen
            else _("Er is geen combinatie van platforms gevonden die iets toevoegt.")
        )
        for combination in chosen:
            shown.append(
                Combo(
                    " + ".join(catalogue.platform(p).name for p in combination.platform_ids),
                    whole(combination.score),
                    tuple(combination_sentences(combination, combos, questionnaire, catalogue)),
                )
            )
    elif combos.accepted is False:
        note = _(
            "De gemeente wil geen meerdere platforms naast elkaar; combinaties zijn daarom niet uitgewerkt."
        )
    else:
        note = _(
            "Of meerdere platforms naast elkaar acceptabel zijn, is niet beantwoord; combinaties zijn daarom niet uitgewerkt."
        )
    return Robust(
        tuple(robustness_sentences(analysis.robustness, catalogue)),
        tuple(tie_break_sentences(analysis, catalogue)),
        tuple((s.question, separator_sentence(s, catalogue)) for s in analysis.separators),
        note,
        tuple(shown),
    )
