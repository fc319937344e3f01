"""Completeness of the shipped data: sourced facts, used criteria, effective options."""

from __future__ import annotations

import datetime as dt
import re

import yaml

import kompas
from kompas.engine.catalogue import DEFAULT_PLATFORMS
from kompas.engine.lint import validate


def test_shipped_files_have_no_errors_and_no_shape_warnings():
    """The shipped files load cleanly; the only warnings allowed are content lints."""
    report = validate()
    assert report.errors == ()
    shape = [w for w in report.warnings if "unknown key" in w.message]
    assert shape == []


def test_enough_content(shipped):
    """At least 25 questions in sections and 25 real platforms, offline and free options among them."""
    q, c = shipped
    assert len(q.questions) >= 25
    assert len(c.platforms) >= 25
    assert {"offline", "algemeen"} <= {p.category for p in c.platforms}
    types = {question.type for question in q.questions}
    assert types == {"single", "multiple", "importance", "yesno", "number", "text"}
    assert sum(question.show_if is not None for question in q.questions) >= 3


def test_every_known_fact_has_source_and_checked_date(shipped):
    """No fact without a source and a date it was checked; no date in the future."""
    _q, c = shipped
    today = dt.date.today()
    for platform in c.platforms:
        for fact in platform.facts.values():
            if fact.known:
                assert fact.source, (platform.id, fact.id)
                assert re.match(r"^(https?://\S+|\S.*)$", fact.source)
                assert fact.checked is not None and fact.checked <= today, (platform.id, fact.id)


def test_every_criterion_is_used_and_every_option_has_an_effect(shipped):
    """Criteria are all reachable from some answer; options activate something or say they do not."""
    q, _c = shipped
    used = set()
    for question in q.questions:
        used |= {a.criterion for a in question.activates + question.if_yes + question.if_no}
        used |= set(question.criteria)
        for option in question.options:
            assert option.activates or option.informational, (question.id, option.id)
            used |= {a.criterion for a in option.activates}
    assert set(q.criteria) == used


def test_every_question_has_help_and_every_criterion_a_vendor_question(shipped):
    """Help texts explain why a question matters; criteria say what to ask a vendor."""
    q, _c = shipped
    assert all(len(question.help) > 40 for question in q.questions)
    assert all(criterion.ask.endswith("?") for criterion in q.criteria.values())


def test_every_platform_is_described(shipped):
    """Each platform has a description, its own site as link (or none known) and a category."""
    _q, c = shipped
    for platform in c.platforms:
        assert len(platform.description) > 30, platform.id
        assert platform.url == platform.homepage, platform.id
        assert not platform.url or platform.url.startswith(("https://", "http://"))
        assert platform.category in c.categories


def test_every_platform_says_where_it_comes_from_and_who_can_adopt_it(shipped):
    """Homepage is a web address or unknown; availability is sourced, or unknown with a reason."""
    _q, c = shipped
    raw = yaml.safe_load(DEFAULT_PLATFORMS.read_text(encoding="utf-8"))["platforms"]
    today = dt.date.today()
    # Leaving the keys out also means unknown, so read the file to see they were written.
    for entry in raw:
        assert "homepage" in entry and "availability" in entry, entry["id"]
        homepage = entry["homepage"]
        assert homepage == "unknown" or re.match(r"^https?://[^\s/]+\.[^\s]+$", homepage), entry[
            "id"
        ]
    for platform in c.platforms:
        fact = platform.availability_fact
        if fact.known:
            assert platform.availability != "onbekend", platform.id
            assert re.match(r"^https?://\S+$", fact.source), platform.id
            assert fact.checked is not None and fact.checked <= today, platform.id
        else:
            assert platform.availability == "onbekend", platform.id
            assert len(fact.note) > 20, platform.id
        if fact.note:
            assert fact.note.translations.get("en"), platform.id
        if platform.homepage:
            assert re.match(r"^https?://[^\s/]+\.\S+$", platform.homepage), platform.id
    assert {p.availability for p in c.platforms} - {"onbekend"}, (
        "no platform has a known availability"
    )


def test_every_platform_can_be_explained(shipped):
    """Advice over all questions answered explains every platform without empty sentences."""
    q, c = shipped
    answers = {}
    for question in q.questions:
        if question.type == "multiple":
            answers[question.id] = [o.id for o in question.options if not o.informational]
        elif question.type == "single":
            answers[question.id] = question.options[0].id
        elif question.type == "importance":
            answers[question.id] = 2
        elif question.type == "yesno":
            answers[question.id] = True
        elif question.type == "number":
            answers[question.id] = int(question.maximum or 1000) // 2
    advice = kompas.advise(q, c, answers, strict=False)
    for result in advice.ranking + advice.excluded:
        for criterion in result.results:
            assert criterion.text and "{" not in criterion.text, (
                result.platform.id,
                criterion.criterion_id,
            )


def test_every_known_fact_says_what_it_rests_on_and_how_old_its_source_is(shipped):
    """Issue 13: evidence and source_date (a date or `unknown`) on every known fact."""
    _q, c = shipped
    raw = yaml.safe_load(DEFAULT_PLATFORMS.read_text(encoding="utf-8"))
    for entry in raw["platforms"]:
        for fact_id, fact in (entry.get("facts") or {}).items():
            if not isinstance(fact, dict) or fact.get("value") in ("unknown", "not_applicable"):
                continue
            where = (entry["id"], fact_id)
            assert fact.get("evidence") in ("onafhankelijk", "leverancier", "gemeente"), where
            assert "source_date" in fact, where
    report = validate()
    assert not [w for w in report.warnings if "a known fact without" in w.message]
    today = dt.date.today()
    dated = [f for p in c.platforms for f in p.facts.values() if f.source_date is not None]
    assert dated, "some sources carry a date"
    assert all(f.source_date <= today for f in dated)
    # A vendor's page is never passed off as independent: its own domain is 'leverancier'.
    for platform in c.platforms:
        home = re.sub(r"^https?://(www\.)?", "", platform.homepage).split("/")[0]
        for fact in platform.facts.values():
            if home and fact.known and home in fact.source and fact.evidence == "onafhankelijk":
                raise AssertionError((platform.id, fact.id, fact.source))


def test_issue_13_approaches_are_in_the_catalogue_with_sourced_facts(shipped):
    """The approaches issue 13 names exist, each with an availability and sourced facts."""
    _q, c = shipped
    names = {p.name: p for p in c.platforms}
    for name in ("ANWB AutoMaatje", "Stichting Present", "Lief & Leed-straten", "Voorzorgcirkels"):
        platform = names[name]
        assert platform.availability != "onbekend", name
        assert platform.availability_fact.source.startswith(("http://", "https://")), name
        known = [f for f in platform.facts.values() if f.known]
        assert len(known) >= 4, name
        assert all(f.evidence and f.source.startswith(("http://", "https://")) for f in known)
        assert platform.description, name
