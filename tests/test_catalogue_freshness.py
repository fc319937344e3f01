"""Old sources in the shipped catalogue: each one is either refreshed or its search is logged."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from kompas.engine.checks import Checker
from kompas.engine.kernel import is_stale
from kompas.engine.lint import lint_content
from kompas.engine.lint import validate
from kompas.engine.research import read_log

TODAY = dt.date(2026, 12, 7)


def _stale_warnings(q, c, log, today=TODAY) -> list[str]:
    check = Checker()
    lint_content(q, c, check, today, log)
    return [p.path for p in check.problems if "dated more than 12 months" in p.message]


def _log(c, tmp_path: Path, *lines: str):
    path = tmp_path / "log.yaml"
    path.write_text("searches:\n" + "".join(f"  - {line}\n" for line in lines))
    return read_log(c, path)


def _one_old_fact(c):
    """A platform with exactly one fact on a source over a year old (found in the data)."""
    for platform in c.platforms:
        old = [
            f
            for f in platform.facts.values()
            if f.source_date is not None and is_stale(f.known, f.source_date, f.checked, TODAY)
        ]
        if len(old) == 1:
            return platform, old[0]
    raise AssertionError("the example needs a platform with exactly one old fact")


def test_shipped_data_has_no_unexamined_old_source(shipped):
    """Every fact on an old source was looked at again this year: refreshed or logged."""
    q, c = shipped
    assert _stale_warnings(q, c, read_log(c)) == []


def test_an_old_source_warns_until_a_search_for_a_newer_one_is_logged(shipped, tmp_path):
    q, c = shipped
    platform, fact = _one_old_fact(c)
    assert _stale_warnings(q, c, ()) and f"platforms.{platform.id}" in _stale_warnings(q, c, ())
    searched = _log(
        c,
        tmp_path,
        f"{{platform: {platform.id}, facts: [{fact.id}], when: 2026-12-07, where: x, "
        "found: false}",
    )
    assert f"platforms.{platform.id}" not in _stale_warnings(q, c, searched)


def test_a_search_older_than_a_year_or_for_another_fact_does_not_count(shipped, tmp_path):
    q, c = shipped
    platform, fact = _one_old_fact(c)
    warned = f"platforms.{platform.id}"
    other = _log(
        c,
        tmp_path,
        f"{{platform: {platform.id}, facts: [{'ads' if fact.id != 'ads' else 'scale'}], "
        "when: 2026-12-07, where: x, found: false}",
    )
    assert warned in _stale_warnings(q, c, other)
    long_ago = _log(
        c,
        tmp_path,
        f"{{platform: {platform.id}, facts: [{fact.id}], when: 2025-06, where: x, found: false}}",
    )
    assert warned in _stale_warnings(q, c, long_ago)
    # The same search, fresh a year ago, no longer counts a year later.
    fresh = _log(
        c,
        tmp_path,
        f"{{platform: {platform.id}, facts: [{fact.id}], when: 2026-12-07, where: x, "
        "found: false}",
    )
    assert warned in _stale_warnings(q, c, fresh, TODAY + dt.timedelta(days=400))


def test_a_search_made_before_the_source_appeared_does_not_count(shipped, tmp_path):
    """A search cannot have looked past a source that did not exist yet."""
    q, c = shipped
    platform, fact = _one_old_fact(c)
    newer = dataclasses.replace(fact, source_date=dt.date(2026, 12, 1) - dt.timedelta(days=400))
    facts = {**platform.facts, fact.id: newer}
    moved = dataclasses.replace(platform, facts=facts)
    c2 = dataclasses.replace(
        c, platforms=tuple(moved if p.id == platform.id else p for p in c.platforms)
    )
    before = _log(
        c,
        tmp_path,
        f"{{platform: {platform.id}, facts: [{fact.id}], when: {newer.source_date - dt.timedelta(days=30)}, "
        "where: x, found: false}",
    )
    assert f"platforms.{platform.id}" in _stale_warnings(q, c2, before)


def test_validate_on_the_shipped_files_reports_no_old_source():
    report = validate(today=TODAY)
    assert not report.errors
    assert not [w for w in report.warnings if "dated more than 12 months" in w.message]


def _reorder_warnings(q, c, log) -> list[str]:
    check = Checker()
    lint_content(q, c, check, TODAY, log)
    return [p.path for p in check.problems if "re-order" in p.message]


def test_a_reordering_question_warns_until_every_gap_was_searched(shipped, tmp_path):
    """The warning stays while one platform leaving the fact unknown has no logged search."""
    q, c = shipped
    question = "questions.belang_toegankelijkheid"
    assert question in _reorder_warnings(q, c, ())
    gaps = [p.id for p in c.platforms if p.fact("accessibility").status == "unknown"]
    assert len(gaps) > 1
    lines = [
        f"{{platform: {pid}, facts: [accessibility], when: 2026-12-07, where: x, found: false}}"
        for pid in gaps
    ]
    assert question not in _reorder_warnings(q, c, _log(c, tmp_path, *lines))
    assert question in _reorder_warnings(q, c, _log(c, tmp_path, *lines[1:]))
    stale = [line.replace("2026-12-07", "2025-06") for line in lines]
    assert question in _reorder_warnings(q, c, _log(c, tmp_path, *stale))


def test_shipped_log_covers_every_unknown_accessibility_cell(shipped):
    """Accessibility was looked for on every platform that leaves it unknown (December 2026)."""
    q, c = shipped
    assert "questions.belang_toegankelijkheid" not in _reorder_warnings(q, c, read_log(c))


def test_validate_strict_passes_on_the_shipped_files():
    """`kompas validate --strict` has nothing to say about the shipped data (December 2026).

    Every reordering question's gaps were looked for in public sources (issue 20); a new
    platform or fact without a logged search brings its warning back and fails this test.
    """
    report = validate(today=TODAY)
    shown = report.errors + report.warnings + report.untranslated
    assert report.ok(strict=True), [str(p) for p in shown]
