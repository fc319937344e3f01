"""The comparison matrix and the robustness section of the report's view data."""

from __future__ import annotations

from dataclasses import dataclass

from kompas.engine.result import Advice
from kompas.engine.result import CriterionResult
from kompas.engine.result import PlatformResult
from kompas.i18n import _
from kompas.i18n import ngettext
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
    differs: bool = True  # see differs(): the council part shows only these rows


@dataclass(frozen=True, slots=True)
class Matrix:
    """The leading platforms side by side on the criteria that mattered."""

    columns: tuple[str, ...]
    rows: tuple[MatrixRow, ...]  # every criterion that counts: annex B of the full report

    @property
    def deciding(self) -> tuple[MatrixRow, ...]:
        """The rows on which the compared platforms differ: the council part's matrix."""
        return tuple(r for r in self.rows if r.differs)

    @property
    def alike(self) -> int:
        """How many rows the council part leaves out: all compared platforms score the same."""
        return len(self.rows) - len(self.deciding)


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


def standing(c: CriterionResult | None) -> tuple[str, str, float | None]:
    """What a platform's cell says (state and word) and what the criterion adds to its score."""
    v = verdict(c)
    return (v.state, v.word, c.satisfaction if c is not None and c.counted else None)


def differs(results: tuple[CriterionResult | None, ...]) -> bool:
    """Whether a criterion tells the compared platforms apart: the one rule for the council.

    It does when their cells differ (met, partly, unmet, unknown, not applicable, or the
    same state in other words) or when it adds a different share of its weight to their
    scores. With fewer than two platforms there is nothing to tell apart, so the row stays.
    """
    return len(results) < 2 or len({standing(c) for c in results}) > 1


def matrix(advice: Advice, shown: tuple[PlatformResult, ...]) -> Matrix:
    """The comparison of the leading platforms on every criterion with weight or a must."""
    rows = []
    for a in advice.active:
        if not (a.must or a.weight > 0):
            continue
        weight = _("eis") if a.must else format_number(a.weight, 2)
        results = tuple(r.result(a.id) for r in shown)
        rows.append(MatrixRow(a.label, weight, tuple(map(cell, results)), differs(results)))
    return Matrix(tuple(r.platform.name for r in shown), tuple(rows))


def left_out(m: Matrix, full: bool) -> str:
    """The sentence under the council's matrix: how many criteria it leaves out, and where
    they are (annex B of this report, or of the full report); empty when none is left out."""
    n = m.alike
    if not n:
        return ""
    if full:
        where = _("De volledige vergelijking op alle criteria staat in bijlage B.")
    else:
        where = _(
            "De volledige vergelijking op alle criteria staat in bijlage B van het volledige rapport."
        )
    if n == len(m.rows):
        alike = ngettext(
            "Op het enige criterium dat meeweegt scoren alle vergeleken platforms hetzelfde, "
            "dus er is geen tabel die ze onderscheidt.",
            "Op alle {n} criteria die meewegen scoren alle vergeleken platforms hetzelfde, "
            "dus er is geen tabel die ze onderscheidt.",
            n,
        )
    else:
        alike = ngettext(
            "{n} criterium is weggelaten, omdat alle vergeleken platforms er hetzelfde op scoren.",
            "{n} criteria zijn weggelaten, omdat alle vergeleken platforms er hetzelfde op scoren.",
            n,
        )
    return alike.format(n=n) + " " + where


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
