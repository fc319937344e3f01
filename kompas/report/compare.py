"""The comparison matrix and the robustness section of the report's view data."""

from __future__ import annotations

from dataclasses import dataclass

from kompas.engine.result import Advice
from kompas.engine.result import CriterionResult
from kompas.engine.result import PlatformResult
from kompas.i18n import _
from kompas.numbers import format_number
from kompas.present.model import Story
from kompas.present.platforms import verdict
from kompas.report.formatting import whole


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
        Cell("met", SYMBOLS["met"], _("voldoet")),
        Cell("partial", SYMBOLS["partial"], _("voldoet gedeeltelijk")),
        Cell("unmet", SYMBOLS["unmet"], _("voldoet niet")),
        Cell("unknown", SYMBOLS["unknown"], _("onbekend")),
        Cell("not_applicable", SYMBOLS["not_applicable"], _("niet van toepassing")),
    )


# The report's font has no check marks, so the PDF uses + and ×; the verdict is shared.
SYMBOLS = {"met": "+", "partial": "±", "unmet": "×", "unknown": "?", "not_applicable": "–"}


def cell(c: CriterionResult | None) -> Cell:
    """A criterion result as a matrix cell."""
    v = verdict(c)
    return Cell(v.state, SYMBOLS[v.state], v.word)


def matrix(advice: Advice, shown: tuple[PlatformResult, ...]) -> Matrix:
    """The comparison of the leading platforms on every criterion with weight or a must."""
    rows = []
    for a in advice.active:
        if not (a.must or a.weight > 0):
            continue
        weight = _("eis") if a.must else format_number(a.weight, 2)
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


def robust(story: Story) -> Robust:
    """The robustness section: the presentation model's sentences and combinations."""
    combos = story.combinations
    shown = tuple(
        Combo(c.names, whole(c.score), c.lines + ((c.cost,) if c.cost else ()))
        for c in combos.shown + combos.offline
    )
    rob = story.robustness
    return Robust(
        rob.lines,
        rob.tie_lines,
        tuple((s.question, s.text) for s in rob.separators),
        combos.note,
        shown,
    )
