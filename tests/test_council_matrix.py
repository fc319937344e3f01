"""The council part compares the shortlist on the criteria that tell its platforms apart.

A row on which every compared platform scores the same decides nothing, so the council part
leaves it out and says how many it left out; annex B of the full report keeps every row.
These tests read the report's HTML (what WeasyPrint lays out), not the PDF.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

import kompas
from kompas.cli import read_answers
from kompas.engine.result import Advice
from kompas.engine.result import CriterionResult
from kompas.present.platforms import verdict
from kompas.report import compare
from kompas.report import render_report_html

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "burenhulp-dorp.yaml"  # the example the council PDF bench renders
MATRIX = re.compile(r'<table class="matrix">(.*?)</table>', re.S)
COLUMN = re.compile(r'<th scope="col">(.*?)</th>', re.S)
ROW = re.compile(r'<th scope="row">(.*?)</th>', re.S)
COUNCIL = re.compile(r'id="vergelijking".*?</section>', re.S)
ANNEX_B = re.compile(r'id="bijlage-platforms".*?<section class="platform"', re.S)


@pytest.fixture(scope="module")
def advice(shipped) -> Advice:
    q, c = shipped
    return kompas.advise(q, c, read_answers(EXAMPLE))


def matrices(part: str) -> list[tuple[list[str], list[str]]]:
    """Each matrix table in a part of the HTML: its platform columns and its row labels."""
    out = []
    for table in MATRIX.findall(part):
        columns = [html.unescape(t) for t in COLUMN.findall(table)][
            1:
        ]  # Criterium (Gewicht is a "num" column)
        out.append((columns, [html.unescape(t) for t in ROW.findall(table)]))
    return out


def said(c: CriterionResult | None) -> tuple[object, ...]:
    """What a cell says and what the criterion adds to the score, written out here again."""
    v = verdict(c)
    return (v.state, v.word, c.satisfaction if c is not None and c.counted else None)


def counted_rows(advice: Advice) -> list[str]:
    return [a.label for a in advice.active if a.must or a.weight > 0]


def expected_rows(advice: Advice, names: list[str]) -> list[str]:
    """The labels of the criteria on which the named platforms do not all score the same."""
    by_name = {r.platform.name: r for r in advice.ranking}
    compared = [by_name[n] for n in names]
    return [
        a.label
        for a in advice.active
        if (a.must or a.weight > 0) and len({said(r.result(a.id)) for r in compared}) > 1
    ]


def council_and_annex(advice: Advice, shipped, language: str, full: bool) -> tuple[str, str]:
    q, c = shipped
    page = render_report_html(
        advice, q, c, municipality="Gemeente Proef", language=language, full=full
    )
    council = COUNCIL.search(page)
    assert council, "the report has no comparison chapter"
    annex = ANNEX_B.search(page)
    return council.group(0), annex.group(0) if annex else ""


@pytest.mark.parametrize("full", [False, True])
def test_council_matrix_has_only_the_rows_that_differ(advice, shipped, full):
    council, _annex = council_and_annex(advice, shipped, "nl", full)
    [(columns, rows)] = matrices(council)
    assert len(columns) >= 2, "the example compares at least two platforms"
    expected = expected_rows(advice, columns)
    assert rows == expected
    left_out = len(counted_rows(advice)) - len(expected)
    assert 0 < left_out < len(counted_rows(advice)), "the example must leave some rows out"
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", council))
    assert f"{left_out} criteria zijn weggelaten" in text
    assert "bijlage B" in text
    if not full:
        assert "volledige rapport" in text


def test_sentence_in_english(advice, shipped):
    council, _annex = council_and_annex(advice, shipped, "en", False)
    [(_columns, rows)] = matrices(council)
    left_out = len(counted_rows(advice)) - len(rows)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", council))
    assert f"{left_out} criteria were left out" in text
    assert "annex B" in text


def test_full_report_annex_keeps_every_row(advice, shipped):
    council, annex = council_and_annex(advice, shipped, "nl", True)
    [(council_columns, _rows)] = matrices(council)
    [(columns, rows)] = matrices(annex)
    assert columns == council_columns
    assert rows == counted_rows(advice)


def test_short_report_has_no_annex(advice, shipped):
    _council, annex = council_and_annex(advice, shipped, "nl", False)
    assert annex == ""


def test_all_rows_alike_says_so_instead_of_a_table(advice, shipped):
    """The leader compared with itself: every row is alike, so no table, and one sentence."""
    leader = advice.ranking[0]
    m = compare.matrix(advice, (leader, leader))
    assert m.rows and not m.deciding
    assert m.alike == len(counted_rows(advice))
    note = compare.left_out(m, full=True)
    assert str(len(m.rows)) in note and "hetzelfde" in note and "bijlage B" in note


def test_one_platform_keeps_every_row(advice):
    """With nothing to compare against, no row is left out."""
    m = compare.matrix(advice, advice.ranking[:1])
    assert m.deciding == m.rows and m.alike == 0
    assert compare.left_out(m, full=False) == ""
