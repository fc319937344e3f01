"""The advice's SVG pictures (kompas.charts): well-formed, described, on the scales people know."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import pytest

import kompas
from kompas import charts
from kompas.cli import read_answers
from kompas.engine.analysis import analyse
from kompas.present.story import present

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    """The picture as XML: it must be well-formed to be inlined in HTML and the PDF."""
    return ET.fromstring(svg)


def luminance(hex_colour: str) -> float:
    """WCAG relative luminance of an #rrggbb colour."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_score_ranges_draw_sure_possible_and_score_with_a_text_alternative():
    svg = charts.score_ranges([charts.ScoreBar("Platform <A>", 40.0, 55.4, 70.0)])
    root = parse(svg)
    assert root.get("role") == "img"
    assert "Platform &lt;A&gt;" in svg and "<A>" not in svg  # data is escaped
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and "0 tot 100" in title.text
    assert desc is not None and "score 55, zeker 40, mogelijk 70" in desc.text
    assert "55 (40–70)" in svg  # the numbers are printed, not only drawn
    # "Possible" is an open bar with an outline, "sure" a solid one: not colour alone.
    assert 'fill="#ffffff" stroke="#1f4e79"' in svg and 'fill="#1f4e79"/>' in svg


def test_weights_use_the_scale_0_to_3_and_name_a_must_have():
    svg = charts.weights(
        [charts.WeightBar("Privacy", 0.0, must=True), charts.WeightBar("Kosten", 2)]
    )
    root = parse(svg)
    assert "onmisbaar" in root.find(f"{SVG}desc").text
    assert "Kosten: 2" in root.find(f"{SVG}desc").text
    ticks = [t.text for t in root.iter(f"{SVG}text") if t.text in {"0", "1", "2", "3"}]
    assert ticks[:4] == ["0", "1", "2", "3"]  # the axis, then the value "2"


def test_tornado_clips_to_the_scale_the_advisor_knows():
    swings = [
        charts.Swing("Kosten", 2.0, 0.0, 103.5, "Platform B"),
        charts.Swing("Privacy", 1.0, 0.5, math.inf),
        charts.Swing("Bereik", 3.0, 1.2, 2.4, "Platform C"),
    ]
    svg = charts.tornado(swings)
    parse(svg)
    assert "103" not in svg  # never "0 – 103,5" on a scale people know as 0-3
    assert "0–3+" in svg and "1,2–2,4" in svg
    desc = parse(svg).find(f"{SVG}desc").text
    assert "meer dan 3" in desc and "daarbuiten: Platform C" in desc
    # Every bar ends inside the drawing.
    for rect in parse(svg).iter(f"{SVG}rect"):
        assert float(rect.get("x", 0)) + float(rect.get("width", 0)) <= charts.WIDTH


def test_colours_meet_wcag_contrast_on_white():
    for colour in (charts.SURE, charts.GRID, charts.MARK):
        assert contrast(colour, "#ffffff") >= 3.0, colour  # shapes: 3:1
    for colour in (charts.INK, charts.MUTED):
        assert contrast(colour, "#ffffff") >= 4.5, colour  # text: 4.5:1


@pytest.mark.parametrize("example", ["burenhulp-dorp", "strenge-eisen"])
def test_advice_pictures_follow_the_presentation_model(shipped, example):
    from pathlib import Path

    q, c = shipped
    answers = read_answers(Path(__file__).resolve().parent.parent / "examples" / f"{example}.yaml")
    advice = kompas.advise(q, c, answers)
    story = present(advice, analyse(q, c, advice.answers), q, c)
    pictures = charts.advice_pictures(advice, story)
    shortlist = [row.platform_id for row in story.shortlist]
    assert [r.platform.id for r in pictures.shortlist] == shortlist[: charts.SHORT_CHART]
    for r in pictures.shortlist:
        assert re.search(rf">{re.escape(r.platform.name)}<", pictures.scores)
    counted = [a for a in advice.active if a.must or a.weight]
    assert pictures.weights.count(f'fill="{charts.SURE}"') == len(counted)  # one bar each
    if story.robustness.intervals:
        assert pictures.tornado and len(pictures.swings) <= charts.SWINGS
