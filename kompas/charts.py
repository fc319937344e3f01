"""Pictures of the advice as inline SVG strings, made on the server (no JavaScript).

The web page and the PDF (WeasyPrint renders inline SVG) show the same pictures. Each
picture is a role="img" element with an aria-label and a <title>/<desc>; the templates put
a table with the same numbers next to it. Shapes differ by fill and outline as well as
by colour, and every colour meets WCAG contrast against white (3:1 for shapes, 4.5:1 for
text), so nothing is said by colour alone.

>>> svg = score_ranges([ScoreBar("Platform A", 40.0, 55.0, 70.0)])
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

from kompas.i18n import _
from kompas.numbers import format_number
from kompas.numbers import plain

if TYPE_CHECKING:
    from kompas.engine.result import Advice
    from kompas.engine.result import PlatformResult
    from kompas.present.model import DecidingFact
    from kompas.present.model import IntervalRow
    from kompas.present.model import Story

INK = "#1b1f24"  # text: 16:1 on white
MUTED = "#59636e"  # secondary text: 6:1 on white
SURE = "#1f4e79"  # what is sure: 8.6:1 on white
GRID = "#767f89"  # grid lines and outlines: 4.1:1 on white
MARK = "#000000"
# The pictures are drawn for a phone: 360 units wide, shown at about 1:1 on a 390 px screen
# and at most 1.4 times larger on a wide one, so 14-unit text stays 12 px or more everywhere.
WIDTH = 360
FONT = 14
PAD = 8  # room left and right for the score mark and the diamond at the ends of the scale
ROW = 36  # one stacked row: the label line, then the bar
CHAR = 7.2  # the width of an average character at FONT (for clipping labels)
WEIGHT_ROW = 22  # the weights: many criteria, label and bar side by side
WEIGHT_LABEL = 214  # room for a criterion's name left of its weight bar
WEIGHT_VALUE = 34  # room for the weight right of the bar ("0,5", "eis")


@dataclass(frozen=True, slots=True)
class ScoreBar:
    """A platform's score with its range, on the 0-100 scale."""

    label: str
    lower: float
    score: float
    upper: float
    # It would look certain (no open part) while little of what counts is known (unanswered
    # questions): drawn striped, never as a solid certain bar (RankRow.striped).
    little_known: bool = False


@dataclass(frozen=True, slots=True)
class WeightBar:
    """The weight the advisor gave a criterion (0-3), or a must-have."""

    label: str
    weight: float
    must: bool = False


@dataclass(frozen=True, slots=True)
class Swing:
    """How far one criterion's weight can move (0-3) before another platform leads."""

    label: str
    weight: float
    lower: float
    upper: float  # math.inf when no weight makes another platform lead
    other: str = ""  # who leads past the bound


def _num(value: float) -> str:
    """A weight as the advisor wrote it: one decimal at most, the language's comma."""
    return format_number(round(value, 1))


def _whole(value: float) -> str:
    """A score as the tables print it: a whole number."""
    return format_number(round(value))


def _clip(text: str, room: float) -> str:
    """The text, shortened with an ellipsis to fit `room` units at FONT."""
    limit = max(int(room / CHAR), 4)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _svg(kind: str, height: float, title: str, desc: str, body: list[str]) -> str:
    # width and height in px: the PDF draws it at this size; the page's CSS scales it to fit.
    return (
        f'<svg class="chart chart-{kind}" viewBox="0 0 {WIDTH} {plain(height, 0)}" '
        f'width="{WIDTH}" height="{plain(height, 0)}" role="img" '
        f'aria-label="{escape(title)}: {escape(desc)}" '
        'xmlns="http://www.w3.org/2000/svg" '
        f'font-family="Kompas Sans, Liberation Sans, Arial, sans-serif" font-size="{FONT}">'
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>" + "".join(body) + "</svg>"
    )


def _text(x: float, y: float, text: str, anchor: str = "start", colour: str = INK) -> str:
    return (
        f'<text x="{plain(x)}" y="{plain(y)}" text-anchor="{anchor}" fill="{colour}">'
        f"{escape(text)}</text>"
    )


def _row_text(y: float, label: str, value: str) -> list[str]:
    """A stacked row's first line: the label on the left, its numbers on the right."""
    room = WIDTH - 2 * PAD - CHAR * len(value) - 10
    return [_text(PAD, y + 14, _clip(label, room)), _text(WIDTH - PAD, y + 14, value, "end")]


def _grid(
    rows: int,
    row: float,
    ticks: Sequence[tuple[float, str]],
    x0: float,
    span: float,
    bar_top: float,
    bar_bottom: float,
) -> list[str]:
    """Dashed grid lines beside each bar (never through a label) and the scale below.

    All segments are one path (each its own subpath, so each starts its dashes afresh):
    WeasyPrint draws an SVG element at a time, and forty lines per chart cost the council
    PDF's render more than the path does, for the same picture.
    """
    segments = []
    out = []
    for value, text in ticks:
        x = x0 + span * value
        segments += [
            f"M {plain(x)} {plain(row * k + bar_top)} V {plain(row * k + bar_bottom)}"
            for k in range(rows)
        ]
        anchor = "start" if value <= 0 else "end" if value >= 1 else "middle"
        out.append(_text(x, row * rows + 16, text, anchor, MUTED))
    grid = (
        f'<path d="{" ".join(segments)}" fill="none" stroke="{GRID}" stroke-width="0.6" '
        'stroke-dasharray="2 3"/>'
    )
    return [grid, *out] if segments else out


def score_ranges(bars: Sequence[ScoreBar]) -> str:
    """Scores with their ranges: solid up to what is sure, open up to what is possible."""
    x0, span = PAD, WIDTH - 2 * PAD
    height = ROW * len(bars) + 22
    ticks = [(v / 100, str(v)) for v in (0, 25, 50, 75, 100)]
    body = _grid(len(bars), ROW, ticks, x0, span, 17, 33)
    lines = []
    for k, b in enumerate(bars):
        y = ROW * k
        lo, hi = x0 + span * b.lower / 100, x0 + span * b.upper / 100
        sx = x0 + span * b.score / 100
        body += _row_text(y, b.label, f"{_whole(b.score)} ({_whole(b.lower)}–{_whole(b.upper)})")
        body += _sure_part(x0, lo, y + 19, b.little_known)
        # Possible but not sure: an open bar with a dark outline (solid is sure).
        body.append(
            f'<rect x="{plain(lo)}" y="{y + 19}" width="{plain(max(hi - lo, 0))}" height="12" '
            f'fill="#ffffff" stroke="{SURE}" stroke-width="1.5"/>'
        )
        body.append(
            f'<rect x="{plain(sx - 1.5)}" y="{y + 17}" width="3" height="16" fill="{MARK}"/>'
        )
        line = _("{label}: score {score}, zeker {lower}, mogelijk {upper}").format(
            label=b.label,
            score=_whole(b.score),
            lower=_whole(b.lower),
            upper=_whole(b.upper),
        )
        lines.append(f"{line} ({_('weinig bekend')})" if b.little_known else line)
    legend = _(
        "Dicht: zeker behaald; open: mogelijk als wat onbekend is meevalt; streep: de score."
    )
    if any(b.little_known for b in bars):
        legend += " " + striped_legend()
    return _svg(
        "scores",
        height,
        _("Score en bandbreedte op de schaal 0 tot 100"),
        legend + " " + "; ".join(lines) + ".",
        body,
    )


def striped_legend() -> str:
    """What a striped bar means, in one sentence."""
    return _(
        "Gestreept: de score lijkt vast te staan, maar er is nog weinig bekend van wat u "
        "belangrijk vindt (vooral onbeantwoorde vragen); hij kan nog veranderen."
    )


def _sure_part(x0: float, lo: float, y: float, little_known: bool) -> list[str]:
    """What a platform surely reaches: solid, or striped when little is known about it."""
    width = max(lo - x0, 0.0)
    if not little_known:
        return [f'<rect x="{x0}" y="{y}" width="{plain(width)}" height="12" fill="{SURE}"/>']
    # Stripes drawn as rects, not a <pattern>: no ids to clash when a page holds many charts.
    out = [
        f'<rect x="{x0}" y="{y}" width="{plain(width)}" height="12" fill="#ffffff" '
        f'stroke="{SURE}" stroke-width="1.5"/>'
    ]
    x = x0 + 2.0
    while x < x0 + width - 1.0:
        out.append(f'<rect x="{plain(x)}" y="{y}" width="2" height="12" fill="{SURE}"/>')
        x += 5.0
    return out


def weights(bars: Sequence[WeightBar]) -> str:
    """The weights the advisor gave, 0 to 3; a must-have drawn past 3, outlined and named."""
    x0 = WEIGHT_LABEL
    span = WIDTH - WEIGHT_LABEL - WEIGHT_VALUE - 4
    scale = 3.6  # 0..3, then room for a must-have
    height = WEIGHT_ROW * len(bars) + 22
    ticks = [(v / scale, str(v)) for v in (0, 1, 2, 3)]
    body = [
        f'<line x1="{plain(x0 + span * v / scale)}" y1="0" x2="{plain(x0 + span * v / scale)}" '
        f'y2="{WEIGHT_ROW * len(bars)}" stroke="{GRID}" stroke-width="0.6" stroke-dasharray="2 3"/>'
        for v in (0, 1, 2, 3)
    ]
    body += [
        _text(x0 + span * v, WEIGHT_ROW * len(bars) + 16, t, "middle", MUTED) for v, t in ticks
    ]
    lines = []
    for k, b in enumerate(bars):
        y = WEIGHT_ROW * k
        body.append(_text(0, y + 15, _clip(b.label, WEIGHT_LABEL - 6)))
        if b.must:
            body.append(
                f'<rect x="{x0}" y="{y + 4}" width="{plain(span)}" height="{WEIGHT_ROW - 8}" '
                f'fill="{SURE}" stroke="{MARK}" stroke-width="2.5"/>'
            )
            drawn, word = _("eis"), _("onmisbaar")
        else:
            w = span * min(max(b.weight, 0.0), 3.0) / scale
            body.append(
                f'<rect x="{x0}" y="{y + 4}" width="{plain(w)}" height="{WEIGHT_ROW - 8}" '
                f'fill="{SURE}"/>'
            )
            drawn = word = format_number(b.weight)
        body.append(_text(WIDTH, y + 15, drawn, "end"))
        lines.append(f"{b.label}: {word}")
    return _svg(
        "weights",
        height,
        _("Hoe zwaar elk criterium weegt, op de schaal 0 tot 3"),
        _("Een onmisbaar criterium is een eis: wie er niet aan voldoet valt af.")
        + " "
        + "; ".join(lines)
        + ".",
        body,
    )


def tornado(swings: Sequence[Swing]) -> str:
    """Per criterion the weights (0-3) within which the top stays on top, the current one marked.

    The bar is the safe stretch; where it stops short of 0 or 3, another platform leads
    past that end. The widest moves first is the classic tornado order, here the
    narrowest safe stretch (the most sensitive weight) comes first.
    """
    x0, span = PAD, WIDTH - 2 * PAD
    height = ROW * len(swings) + 22
    body = _grid(len(swings), ROW, [(v / 3, str(v)) for v in (0, 1, 2, 3)], x0, span, 17, 33)
    lines = []
    for k, s in enumerate(swings):
        y = ROW * k
        mid = y + 25
        lo = min(max(s.lower, 0.0), 3.0)
        hi = 3.0 if not math.isfinite(s.upper) else min(max(s.upper, 0.0), 3.0)
        # "3+": the top stays on top beyond the scale too
        bound = "3+" if not math.isfinite(s.upper) or s.upper > 3.0 else _num(s.upper)
        body += _row_text(y, s.label, f"{_num(lo)}–{bound}")
        # Outside the safe stretch: a thin line, so the bar's ends show where the top changes.
        body.append(
            f'<line x1="{x0}" y1="{mid}" x2="{x0 + span}" y2="{mid}" stroke="{GRID}" '
            'stroke-width="1"/>'
        )
        body.append(
            f'<rect x="{plain(x0 + span * lo / 3)}" y="{y + 19}" width="{plain(span * (hi - lo) / 3)}" '
            f'height="12" fill="{SURE}"/>'
        )
        cx = x0 + span * min(max(s.weight, 0.0), 3.0) / 3
        body.append(
            f'<path d="M {plain(cx)} {y + 16} l 6 9 l -6 9 l -6 -9 z" '
            f'fill="#ffffff" stroke="{MARK}" stroke-width="1.5"/>'
        )
        sentence = _(
            "{label}: nu {weight}, de eerste blijft eerste van {lower} tot {upper}"
        ).format(
            label=s.label,
            weight=_num(s.weight),
            lower=_num(lo),
            upper=bound if bound != "3+" else _("meer dan 3"),
        )
        if s.other:
            sentence += " " + _("(daarbuiten: {other})").format(other=s.other)
        lines.append(sentence)
    return _svg(
        "tornado",
        height,
        _("Welke gewichten de eerste plaats kunnen veranderen, op de schaal 0 tot 3"),
        _("Balk: de gewichten waarbij het eerste platform eerste blijft; ruit: het gewicht nu.")
        + " "
        + "; ".join(lines)
        + ".",
        body,
    )


SHORT_CHART = 8  # shortlisted platforms in the score chart
SWINGS = 8  # criteria in the tornado


@dataclass(frozen=True, slots=True)
class Pictures:
    """The advice's three pictures (inline SVG, "" when there is nothing to draw) and data."""

    scores: str
    weights: str
    tornado: str
    shortlist: tuple[PlatformResult, ...]  # the platforms in the score picture, for its table
    more: int  # shortlisted platforms left out of the picture
    swings: tuple[IntervalRow, ...]  # the criteria in the tornado, for its table
    deciding: tuple[DecidingFact, ...]  # unknown facts that can change the top
    striped: str = ""  # what a striped bar means, when the score picture has one


def shortlisted(advice: Advice, story: Story) -> tuple[PlatformResult, ...]:
    """The story's shortlist (the one a reader sees) as the advice's results, in ranking order."""
    ids = {row.platform_id for row in story.shortlist}
    return tuple(r for r in advice.ranking if r.platform.id in ids)


def advice_pictures(advice: Advice, story: Story) -> Pictures:
    """Scores with ranges for the shortlist, the weights given, what could change the top."""
    short = shortlisted(advice, story) if story.has_advice else ()
    shown = short[:SHORT_CHART]
    swings = story.robustness.intervals[:SWINGS] if story.has_advice else ()
    counted = [a for a in advice.active if a.must or a.weight]
    little = {row.platform_id for row in story.ranking if row.striped}
    return Pictures(
        score_ranges(
            [
                ScoreBar(
                    r.platform.name,
                    r.lower or 0.0,
                    r.score or 0.0,
                    r.upper or 0.0,
                    r.platform.id in little,
                )
                for r in shown
            ]
        )
        if shown
        else "",
        weights([WeightBar(a.label, a.weight, a.must) for a in counted]) if counted else "",
        tornado(
            [Swing(i.label, i.weight_value, i.lower_value, i.upper_value, i.above) for i in swings]
        )
        if swings
        else "",
        shown,
        max(len(short) - len(shown), 0),
        swings,
        tuple(f for f in story.deciding if f.changes_top) if story.has_advice else (),
        striped_legend() if any(r.platform.id in little for r in shown) else "",
    )


__all__ = [
    "Pictures",
    "ScoreBar",
    "Swing",
    "WeightBar",
    "advice_pictures",
    "score_ranges",
    "shortlisted",
    "tornado",
    "weights",
]
