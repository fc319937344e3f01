"""`kompas catalogue stats`: known, unknown and not applicable apart; the README quotes it."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from bs4 import BeautifulSoup

from kompas.cli import main
from kompas.engine.catalogue import with_facts
from kompas.engine.coverage import age_bucket
from kompas.engine.coverage import catalogue_stats
from kompas.engine.coverage import decision_facts
from kompas.engine.model import Fact

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCK = re.compile(r"<!-- catalogue-stats (\d{4}-\d{2}-\d{2}) -->\n```\n(.*?)```", re.S)


def test_not_applicable_is_not_counted_as_known(mini):
    q, c = mini
    before = catalogue_stats(q, c)
    platform, fid = next(
        (p, f) for p in c.platforms for f in c.facts if p.fact(f).status == "unknown"
    )
    after = catalogue_stats(q, with_facts(c, {platform.id: {fid: Fact(fid, "not_applicable")}}))
    assert after.total.known == before.total.known
    assert after.total.not_applicable == before.total.not_applicable + 1
    assert after.total.unknown == before.total.unknown - 1
    assert after.total.total == len(c.platforms) * len(c.facts)


def test_a_fact_known_nowhere_shows_zero_percent(shipped):
    q, c = shipped
    stats = catalogue_stats(q, c)
    nowhere = [t for t in stats.per_fact if t.known == 0]
    # The catalogue had such a fact (accessibility) that the old figure showed as 18% known.
    for t in nowhere:
        assert t.percent_known == 0.0
    for t in stats.per_fact:
        cells = [p.fact(t.name) for p in c.platforms]
        assert t.known == sum(1 for f in cells if f.status == "known")
        assert t.not_applicable == sum(1 for f in cells if f.status == "not_applicable")


def test_decision_facts_are_exactly_the_facts_criteria_read(shipped):
    q, c = shipped
    read = set().union(*(crit.facts() for crit in q.criteria.values()))
    assert set(decision_facts(q, c)) == read & set(c.facts)
    text_facts = {fid for fid, spec in c.facts.items() if spec.type == "text"}
    assert not text_facts & set(decision_facts(q, c))


def test_evidence_and_age_shares_add_up_to_the_known_facts(shipped):
    q, c = shipped
    stats = catalogue_stats(q, c, dt.date(2026, 12, 7))
    assert sum(n for _lvl, n in stats.by_evidence) == stats.total.known
    assert sum(n for _b, n in stats.by_age) == stats.total.known
    undated = sum(1 for p in c.platforms for f in p.facts.values() if f.known and not f.source_date)
    assert dict(stats.by_age)["zonder_datum"] == undated


def test_age_buckets_turn_on_the_anniversary():
    on = dt.date(2026, 12, 7)
    assert age_bucket(dt.date(2025, 12, 8), on) == "tot_1_jaar"
    assert age_bucket(dt.date(2025, 12, 7), on) == "1_3_jaar"
    assert age_bucket(dt.date(2021, 12, 7), on) == "ouder"
    assert age_bucket(None, on) == "zonder_datum"


def test_cli_reports_the_three_states_per_fact_and_platform(runner, shipped):
    _q, c = shipped
    result = runner.invoke(main, ["catalogue", "stats", "--on", "2026-12-07"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "niet van toepassing" in out and "Beslissingsrelevant" in out
    for p in c.platforms:
        assert p.id[:30] in out


def test_readme_quotes_the_command_output(runner):
    found = BLOCK.search(README.read_text(encoding="utf-8"))
    assert found, "README lacks the <!-- catalogue-stats DATE --> block"
    day, quoted = found.groups()
    result = runner.invoke(main, ["catalogue", "stats", "--on", day])
    assert result.exit_code == 0, result.output
    lines = [line for line in quoted.splitlines() if line.strip()]
    assert lines
    assert lines == result.output.splitlines()[: len(lines)]


def test_platform_pages_show_the_figures_of_the_stats(app, client):
    """Each platform page repeats the command's row for it: the same three counts."""
    q = app.extensions["kompas"]["questionnaire"]
    c = app.extensions["kompas"]["catalogue"]
    rows = {t.name: t for t in catalogue_stats(q, c).per_platform}
    for p in c.platforms:
        html = client.get(f"/platforms/{p.id}").get_data(as_text=True)
        shown = BeautifulSoup(html, "html.parser")
        row = rows[p.id]
        relevant = " ".join(shown.find(id="bekend-beslissingsrelevant").get_text().split())
        assert relevant == (
            f"Van de {row.total} feiten die een criterium leest: {row.known} bekend, "
            f"{row.unknown} onbekend, {row.not_applicable} niet van toepassing"
        )
        every = [p.fact(f).status for f in c.facts]
        assert " ".join(shown.find(id="bekend-alle").get_text().split()) == (
            f"{every.count('known')} bekend, {every.count('unknown')} onbekend, "
            f"{every.count('not_applicable')} niet van toepassing"
        )
