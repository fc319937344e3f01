"""Below the line (issue 19): platforms that serve none of the chosen goals are shown, with why,
in the story, the text view, the report and the advice page; the rule is said in one sentence."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

import kompas
from kompas.i18n import language
from kompas.report import render_report_html
from kompas.textview import render_advice

GOALS = {"doelen": ["burenhulp"], "hoofddoel": "burenhulp"}
NO_GOALS = {"schaal": "gemeente"}
RULE = "Platforms die geen van uw doelen dienen, staan onder de streep."


@pytest.fixture(scope="module")
def explained(shipped):
    q, c = shipped
    return kompas.explain(q, c, GOALS, lang="nl")


def test_story_lists_every_platform_below_the_line_with_why(explained):
    """Each platform of Advice.aside is named below the line with its reason, in the same order."""
    story, advice = explained.story, explained.advice
    assert advice.aside, "the shipped catalogue has platforms that serve no burenhulp"
    assert [a.platform_id for a in story.below] == [r.platform.id for r in advice.aside]
    for a, r in zip(story.below, advice.aside, strict=True):
        assert a.text.startswith(f"{r.platform.name}: ")
        assert "doelen" in a.text
    assert "Burenhulp" in story.below_note
    assert story.goals_rule == RULE


def test_no_rule_and_no_line_without_goals(shipped):
    """Without a chosen goal nothing stands below the line and the rule is not stated."""
    q, c = shipped
    story = kompas.explain(q, c, NO_GOALS, lang="nl").story
    assert story.below == () and story.goals_rule == "" and story.below_note == ""


def test_text_view_shows_the_list(explained):
    """`kompas advise` as text lists the platforms below the line."""
    with language("nl"):
        text = render_advice(explained.advice, explained.story)
    assert "Dient geen van uw doelen (onder de streep)" in text
    flat = re.sub(r"\s+", " ", text)
    for a in explained.story.below:
        assert re.sub(r"\s+", " ", a.text) in flat


def test_report_page_one_states_the_rule_and_the_annex_lists(explained):
    """Page 1 says the rule; the full report's ranking annex lists the platforms with why."""
    html = render_report_html(explained, municipality="Dijkdorp")
    page = BeautifulSoup(html, "html.parser")
    first = page.select_one("section.first").get_text(" ")
    assert RULE in re.sub(r"\s+", " ", first)
    annex = page.select_one("#onder-de-streep")
    assert annex is not None
    listed = annex.find_next("ul").get_text(" ")
    for a in explained.story.below:
        assert a.name in listed
    council = BeautifulSoup(
        render_report_html(explained, municipality="Dijkdorp", full=False), "html.parser"
    )
    assert council.select_one("#onder-de-streep") is None


def test_report_without_goals_has_no_rule(shipped):
    """No goals, no rule on page 1."""
    q, c = shipped
    html = render_report_html(kompas.explain(q, c, NO_GOALS, lang="nl"), municipality="Dijkdorp")
    assert RULE not in BeautifulSoup(html, "html.parser").get_text(" ")


def test_advice_page_glance_rule_and_folded_list(answered_dossier, shipped):
    """The advice page states the rule in the glance box and folds the list below the line."""
    client, token = answered_dossier(GOALS)
    page = BeautifulSoup(client.get(f"/d/{token}/advies").data, "html.parser")
    assert RULE in page.select_one(".glance").get_text(" ")
    heading = page.select_one("#onder-de-streep")
    assert heading is not None and heading.get_text(strip=True) == "Dient geen van uw doelen"
    fold = heading.find_parent("details")
    assert fold is not None and not fold.has_attr("open")
    q, c = shipped
    expected = kompas.explain(q, c, GOALS, lang="nl").story.below
    items = [li.get_text(" ", strip=True) for li in fold.select("ul li")]
    assert items == [a.text for a in expected]


# ---------------------------------------------------------------- cost on page 1 (issue 19, point 5)

BUDGET = {**GOALS, "budget_per_jaar": 20000}


def test_page_one_states_budget_and_each_shortlisted_price(shipped):
    """Page 1 gives the budget and, per shortlisted platform, its price and source date or
    'prijs onbekend', as the catalogue records it."""
    from kompas.report.cost import price_text
    from kompas.report.parts import cost_fact

    q, c = shipped
    explained = kompas.explain(q, c, BUDGET, lang="nl")
    html = render_report_html(explained, municipality="Dijkdorp", full=False)
    first = BeautifulSoup(html, "html.parser").select_one("section.first")
    text = re.sub(r"\s+", " ", first.get_text(" "))
    assert "Budget: 20.000 euro per jaar." in text
    spec = cost_fact(q, c)
    rows = first.select("table.brief tbody tr")
    assert rows
    by_name = {r.platform.name: r for r in explained.advice.ranking}
    kinds = set()
    for row in rows:
        name = row.select_one("th").get_text(" ", strip=True).split(". ", 1)[1]
        cell = row.select_one("td.price").get_text(" ", strip=True)
        fact = by_name[name].platform.fact(spec.id)
        kinds.add(fact.status)
        if fact.known:
            assert "bron" in cell and cell != "prijs onbekend"
        elif fact.status == "unknown":
            assert cell == "prijs onbekend"
        with language("nl"):
            assert cell == price_text(by_name[name], q, c)
    assert {"known", "unknown"} <= kinds, "both a known and an unknown price are shown"


def test_no_budget_line_without_a_budget(explained):
    """Without a budget answer page 1 names no budget."""
    html = render_report_html(explained, municipality="Dijkdorp", full=False)
    assert "Budget:" not in BeautifulSoup(html, "html.parser").select_one("section.first").text


# ---------------------------------------------------------------- red flags (issue 19, point 4)


def test_existence_unknown_is_flagged_next_to_the_platform_and_in_the_headline(shipped):
    """A ranked platform whose availability nobody knows carries a warning, unasked; when it
    shares or holds the first place, the headline says so."""
    q, c = shipped
    story = kompas.explain(q, c, GOALS, lang="nl").story
    advice = kompas.explain(q, c, GOALS, lang="nl").advice
    flagged = [r for r in advice.ranking if r.platform.availability == "onbekend"]
    assert flagged, "the shipped catalogue ranks a platform of unknown availability"
    for r in flagged:
        p = story.platform(r.platform.id)
        assert p is not None and any("nog bestaat" in w for w in p.warnings), r.platform.id
    for r in advice.ranking:
        if r.platform.availability != "onbekend":
            p = story.platform(r.platform.id)
            assert p is not None and not any("nog bestaat" in w for w in p.warnings)
    leaders = [r for r in advice.ranking if r.rank == advice.ranking[0].rank]
    unknown_leaders = [r.platform.name for r in leaders if r.platform.availability == "onbekend"]
    said = " ".join(story.headline)
    if unknown_leaders:
        assert "nog bestaat" in said or "nog bestaan" in said
        for name in unknown_leaders:
            assert name in said
    else:
        assert "nog bestaat" not in said and "nog bestaan" not in said


def test_headline_warns_when_a_leader_may_have_vanished(shipped):
    """A profile whose first place is a platform of unknown availability (made so here: the
    shipped data changes, the rule does not)."""
    import dataclasses
    import sys
    from pathlib import Path

    from kompas.engine.model import Fact

    sys.path.insert(0, str(Path(__file__).parent))
    from test_profiles_sense import PROFILES

    q, c = shipped
    answers = PROFILES["region_burenhulp_older"]
    before = kompas.explain(q, c, answers, lang="nl").advice
    leaders = {r.platform.id for r in before.ranking if r.rank == before.ranking[0].rank}
    unknown = Fact("availability", "unknown")
    c = c.with_platforms(
        tuple(
            dataclasses.replace(p, availability_fact=unknown) if p.id in leaders else p
            for p in c.platforms
        )
    )
    explained = kompas.explain(q, c, answers, lang="nl")
    first = explained.advice.ranking[0].rank
    vanished = [
        r.platform.name
        for r in explained.advice.ranking
        if r.rank == first and r.platform.availability == "onbekend"
    ]
    assert vanished
    headline = " ".join(explained.story.headline)
    assert "Let op" in headline and all(name in headline for name in vanished)
