"""Bars drawn as certain only where facts are known (issue 19): unknown facts are the open
part of a bar; a bar that would look certain (no open part) while little of what counts is
known (one answer in a dossier) is striped, never solid — in the score picture (page and
PDF), the ranking table's bars and the text view."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

import kompas
from kompas.charts import SURE
from kompas.charts import ScoreBar
from kompas.charts import advice_pictures
from kompas.charts import score_ranges
from kompas.i18n import language
from kompas.textview import render_advice

ONE_ANSWER = {"doelen": ["contact"], "hoofddoel": "contact"}
ROOT = Path(__file__).resolve().parent.parent
ROW = 36  # charts.ROW: one stacked row of the score picture


def solid_widths(svg: str, row: int) -> list[float]:
    """The widths of the filled 'sure' rectangles in one row of the score picture."""
    widths = []
    for m in re.finditer(r'<rect x="[^"]+" y="([^"]+)" width="([^"]+)" height="12" ([^/]*)/>', svg):
        y, width, rest = float(m.group(1)), float(m.group(2)), m.group(3)
        if ROW * row <= y < ROW * (row + 1) and f'fill="{SURE}"' in rest:
            widths.append(width)
    return widths


def test_a_bar_on_known_facts_is_solid_and_one_on_little_is_striped():
    """The same range drawn twice: solid when enough is known, striped (no wide solid part)
    when little is known, and the picture's text says what the stripes mean."""
    known = score_ranges([ScoreBar("A", 60.0, 60.0, 60.0)])
    little = score_ranges([ScoreBar("A", 60.0, 60.0, 60.0, little_known=True)])
    assert max(solid_widths(known, 0)) > 100
    assert solid_widths(little, 0) and max(solid_widths(little, 0)) <= 2
    assert "weinig bekend" in little and "Gestreept" in little
    assert "Gestreept" not in known


def test_one_answer_draws_no_certain_bar(shipped):
    """A dossier with one answer: a platform whose range has no open part is not drawn as a
    solid, certain bar, however high its score (the issue saw nine rows of 100)."""
    q, c = shipped
    explained = kompas.explain(q, c, ONE_ANSWER, lang="nl")
    story = explained.story
    with language("nl"):
        pictures = advice_pictures(explained.advice, story)
    rows = {row.platform_id: row for row in story.ranking}
    assert pictures.shortlist and pictures.striped
    for k, r in enumerate(pictures.shortlist):
        row = rows[r.platform.id]
        if row.upper - row.lower < 1:
            assert row.low_coverage and row.striped, r.platform.id
            assert max(solid_widths(pictures.scores, k), default=0) <= 2, r.platform.id


def test_bars_follow_what_is_known_in_every_view(shipped):
    """The picture draws the sure part solid except on striped rows; the text view uses the
    striped mark exactly there; a bar with an open part already shows its uncertainty."""
    q, c = shipped
    example = yaml.safe_load((ROOT / "examples" / "burenhulp-dorp.yaml").read_text("utf-8"))
    kinds = set()
    for answers in (ONE_ANSWER, example):
        explained = kompas.explain(q, c, answers, lang="nl")
        story = explained.story
        with language("nl"):
            pictures = advice_pictures(explained.advice, story)
            text = render_advice(explained.advice, story, details=0)
        rows = {row.platform_id: row for row in story.ranking}
        for k, r in enumerate(pictures.shortlist):
            row = rows[r.platform.id]
            widest = max(solid_widths(pictures.scores, k), default=0)
            if row.striped:
                kinds.add("striped")
                assert widest <= 2, r.platform.id
            elif row.lower > 2:
                kinds.add("solid")
                assert widest > 2, r.platform.id
        for row in story.ranking:
            line = next(
                x
                for x in text.split("\nRangorde", 1)[1].splitlines()
                if x.strip().startswith(f"{row.rank}. {row.name[:30]}")
            )
            assert ("▓" in line) == (row.striped and row.lower > 3), line
            assert not (row.striped and "█" in line), line
    assert kinds == {"striped", "solid"}


def test_ranking_table_bars_are_striped_where_they_would_look_certain(answered_dossier, shipped):
    """The advice page's ranking table: a striped row's bar has no solid sure part."""
    client, token = answered_dossier(ONE_ANSWER)
    page = BeautifulSoup(client.get(f"/d/{token}/advies").data, "html.parser")
    q, c = shipped
    story = kompas.explain(q, c, ONE_ANSWER, lang="nl").story
    bars = page.select("table.ranking svg.scorebar")
    assert len(bars) == len(story.ranking)
    for svg, row in zip(bars, story.ranking, strict=True):
        striped = svg.select_one("rect.scorebar-striped") is not None
        assert striped == row.striped, row.platform_id
        if striped:
            widths = [float(r["width"]) for r in svg.select("rect.scorebar-sure")]
            assert max(widths, default=0) <= 2
    assert any(row.striped for row in story.ranking)
    assert "Gestreept" in page.select_one("#kortlijst").find_parent("section").get_text(" ")
