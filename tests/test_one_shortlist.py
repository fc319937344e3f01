"""One shortlist for readers (issue 18): every view that says "kortlijst" shows the probable
shortlist, in the one ranking order, and "Volgende stap" asks only its vendors.

The oracle is read straight from the explanation's rank acceptabilities (the set the sentence
"Deze vijf zijn samen in …" counts) and the advice's ranking; a lone platform on the probable
shortlist is shown with the next two of the ranking to compare with.
"""

from __future__ import annotations

import pathlib
import re
from functools import cache
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup

import kompas
from kompas.charts import advice_pictures
from kompas.pipeline import Explanation
from kompas.report import render_report_html
from kompas.report.model import SHORT_CHART
from kompas.report.model import ReportMeta
from kompas.report.model import build_report
from kompas.textview import render_advice
from tests.test_profiles_sense import PROFILES

ROOT = pathlib.Path(__file__).resolve().parent.parent
EXAMPLES = {p.stem: p for p in sorted((ROOT / "examples").glob("*.yaml"))}
CASES = sorted(EXAMPLES) + sorted(PROFILES)


@cache
def explained(name: str) -> Explanation:
    """The explanation of one example dossier or common-sense profile, in Dutch."""
    q, c = kompas.load()
    answers: dict[str, Any] = (
        (yaml.safe_load(EXAMPLES[name].read_text(encoding="utf-8")) or {})
        if name in EXAMPLES
        else dict(PROFILES[name])
    )
    return kompas.explain(q, c, answers, lang="nl", strict=False)


def expected(e: Explanation) -> list[str]:
    """Oracle: the probable shortlist's ids in ranking order; a lone one with the next two."""
    if not e.story.has_advice:
        return []
    probable = set(e.probable.acceptability.shortlist)
    scored = [r.platform.id for r in e.advice.ranking if r.score is not None]
    ids = [pid for pid in scored if pid in probable]
    if len(ids) == 1:
        ids += [pid for pid in scored if pid not in probable][:2]
        ids = [pid for pid in scored if pid in ids]
    return ids


def names(e: Explanation, ids: list[str]) -> list[str]:
    """The names of platform ids."""
    return [e.catalogue.platform(pid).name for pid in ids]


@pytest.mark.parametrize("name", CASES)
def test_page_one_table_is_the_probable_shortlist(name):
    """Page 1's table and its prices, the shortlist chapter's chart and the record all hold
    the platforms the probable-shortlist sentence counts, in ranking order."""
    e = explained(name)
    ids = expected(e)
    report = build_report(e, ReportMeta(full=False), "0" * 12)
    assert [b.name for b in report.summary.bars] == names(e, ids)[:SHORT_CHART]
    assert report.summary.more == max(len(ids) - SHORT_CHART, 0)
    if e.story.costs is not None:
        assert [p.platform_id for p in e.story.costs.prices] == ids
    assert e.record()["summary"]["reader_shortlist"] == ids
    page = BeautifulSoup(render_report_html(e, full=False), "html.parser")
    first = page.select_one("section.first")
    rows = [
        tr.select_one("th").get_text(" ", strip=True).lstrip("! ").split(". ", 1)[1]
        for tr in first.select("table.brief tbody tr")
    ]
    assert rows == names(e, ids)[:5]
    if e.probable.acceptability.capped:  # "Deze vijf …" counts the rows above it
        assert len(e.probable.acceptability.shortlist) == len(rows)
    # The headline names the ranking's first: page 1 says why it is not in the table.
    top = next((r for r in e.advice.ranking if r.score is not None), None)
    off = e.story.has_advice and top is not None and top.platform.id not in ids
    assert bool(e.story.shortlist_aside) == off
    if off:
        said = " ".join(first.get_text(" ").split())
        assert " ".join(e.story.shortlist_aside.split()) in said


@pytest.mark.parametrize("name", CASES)
def test_advice_page_and_text_show_the_same_shortlist(name):
    """The advice page's shortlist section and the text view list the same platforms."""
    e = explained(name)
    ids = expected(e)
    pictures = advice_pictures(e.advice, e.story)
    assert [r.platform.id for r in pictures.shortlist] == ids[:SHORT_CHART]
    assert [row.platform_id for row in e.story.shortlist] == ids
    text = render_advice(e.advice, e.story)
    if not ids:
        return
    block = text.split("\nDe kortlijst\n", 1)[1].split("\n\n", 1)[0]
    listed = re.findall(r"^\s*\d+\.\s+(.+?)\s{2,}", block, re.M)
    assert listed == names(e, ids)


def _others_named(text: str, e: Explanation, ids: list[str]) -> list[str]:
    """Ranked platforms outside `ids` whose name appears in `text` (the names of `ids` are
    taken out first, so a name inside a longer one does not count)."""
    rest = text
    for name in sorted(names(e, ids), key=len, reverse=True):
        rest = rest.replace(name, " ")
    return [
        r.platform.name
        for r in e.advice.ranking
        if r.platform.id not in ids and re.search(rf"\b{re.escape(r.platform.name)}\b", rest)
    ]


@pytest.mark.parametrize("name", CASES)
def test_next_step_and_vendor_questions_ask_only_the_shortlist(name):
    """'Volgende stap' and the vendor questions address only the shortlist's vendors, and the
    ranking's leader when it is off the shortlist (its open must-haves could put it back)."""
    e = explained(name)
    ids = [*expected(e), _leader(e)]
    assert _others_named(e.story.next_step, e, ids) == []
    assert "andere eerst naar" not in e.story.next_step or len(ids) > 3
    for topic in e.story.vendor_topics:
        assert {a.platform_id for a in topic.asks} <= set(ids), topic.question
    for fact in e.story.deciding:
        assert fact.platform_id in ids


def _leader(e):
    """The ranking's first scored platform."""
    return next(r.platform.id for r in e.advice.ranking if r.score is not None)


def test_a_leader_off_the_shortlist_is_still_asked():
    """When the ranking's leader is off the shortlist, the vendor questions ask its vendor about
    its open must-haves: an answer there is what could put it back on the shortlist."""
    checked = []
    for name in CASES:
        e = explained(name)
        if not e.story.has_advice:
            continue
        top = next(r for r in e.advice.ranking if r.score is not None)
        offline = e.questionnaire.offline_category
        off = top.platform.id not in expected(e) and top.platform.category != offline
        if off and any(c.must for c in top.unknowns):
            assert top.platform.id in {f.platform_id for f in e.story.deciding}, name
            checked.append(name)
    assert checked, "no example or profile has a leader off the shortlist any more"


def test_one_list_one_name():
    """The dominance set keeps another name on every page ("kan nog de beste zijn"), and the
    probable shortlist has one Dutch name, "kortlijst", never a second one."""
    sources = [*(ROOT / "kompas").rglob("*.html"), *(ROOT / "kompas").rglob("*.py")]
    for path in sources:
        text = path.read_text(encoding="utf-8")
        assert "geen ander platform zeker verslaat" not in text, path
        assert "kortere lijst" not in text, path


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_rendered_advice_page_lists_the_same_shortlist(answered_dossier, name):
    """The advice page itself, made through the form with CSRF on: its shortlist table holds the
    probable shortlist in ranking order, and its next step names no vendor off that list."""
    e = explained(name)
    ids = expected(e)
    answers = yaml.safe_load(EXAMPLES[name].read_text(encoding="utf-8")) or {}
    client, token = answered_dossier(answers)
    page = BeautifulSoup(client.get(f"/d/{token}/advies").data, "html.parser")
    section = page.select_one("#kortlijst").find_parent("section")
    rows = [
        th.get_text(" ", strip=True).split(". ", 1)[1]
        for th in section.select("table.shortlist tbody th")
    ]
    assert rows == names(e, ids)[:SHORT_CHART]
    assert " ".join(e.story.shortlist_note.split()) in " ".join(section.get_text(" ").split())
    step = next(p for p in page.select("p, li") if "Volgende stap" in p.get_text())
    assert _others_named(step.get_text(" "), e, ids) == []
