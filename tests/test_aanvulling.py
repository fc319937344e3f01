"""Complements ("aanvulling"): where a digital platform is wanted, an offline approach that only
complements a platform gets no rank number. It is listed apart, after the ranking, in the one
order, in every view; it never shares or takes a place in the ranking, the shortlist, the
leave-one-out, tie-break or robustness lines, and still pairs with a platform in combinations.
"""

from __future__ import annotations

import json
import re
from functools import cache

import pytest
import yaml
from bs4 import BeautifulSoup
from click.testing import CliRunner

import kompas
from kompas.engine.matrix import decision_matrix
from kompas.i18n import language
from kompas.pipeline import Explanation
from kompas.report import render_report_html
from kompas.textview import render_advice
from tests.test_profiles_sense import NEWCOMERS_CITY

HEADING = "Aanvulling"


@cache
def _explained() -> Explanation:
    q, c = kompas.load()
    return kompas.explain(q, c, NEWCOMERS_CITY, lang="nl")


@pytest.fixture(scope="module")
def explained() -> Explanation:
    """The advice of a large city with newcomers that wants a digital platform with an offline
    layer: offline approaches serve its goals (tests/test_profiles_sense.py, newcomers_city)."""
    return _explained()


def _complement_ids(e: Explanation) -> set[str]:
    return {r.platform.id for r in e.advice.complements}


def test_complements_are_offline_approaches_without_a_rank(explained):
    """Every offline candidate that serves a goal is a complement: no rank, not in the ranking."""
    q, advice = explained.questionnaire, explained.advice
    assert advice.complements, "newcomers_city has offline approaches that serve its goals"
    assert all(r.platform.category == q.offline_category for r in advice.complements)
    assert all(r.rank is None for r in advice.complements)
    ranked = {r.platform.id for r in advice.ranking}
    assert not ranked & _complement_ids(explained)
    assert all(r.platform.category != q.offline_category for r in advice.ranking)
    # The ranks run 1.. without a gap a complement would leave, and equal scores share one.
    assert advice.ranking[0].rank == 1
    for a, b in zip(advice.ranking, advice.ranking[1:], strict=False):
        assert b.rank == (a.rank if abs(a.score - b.score) < 1e-9 else advice.ranking.index(b) + 1)


def test_complements_keep_the_one_order(explained):
    """Among themselves the complements stand in the one order (score first, then name)."""
    complements = explained.advice.complements
    scores = [r.score for r in complements]
    assert scores == sorted(scores, reverse=True)
    matrix = decision_matrix(
        explained.questionnaire, explained.catalogue, dict(explained.advice.answers)
    )
    ids = matrix.platform_ids
    in_order = sorted(
        (ids.index(r.platform.id) for r in complements),
        key=lambda i: (matrix.key(i), matrix.name(i).casefold(), ids[i]),
    )
    assert [ids[i] for i in in_order] == [r.platform.id for r in complements]


def test_a_complement_never_leads_shares_or_is_runner_up(explained):
    """Shortlist, robustness, leave-one-out and tie-break name ranked platforms only."""
    outside = _complement_ids(explained)
    rob = explained.analysis.robustness
    assert not set(rob.top) & outside
    assert rob.runner_up not in outside
    digital = explained.questionnaire.digital_question
    for loo in rob.leave_one_out:
        if loo.question_id != digital:  # without that answer no approach only complements
            assert not set(loo.top) & outside, loo
    assert not set(explained.analysis.tied or ()) & outside
    assert not {s[0] for s in explained.likely.shares} & outside
    assert not {s.platform_id for s in explained.probable.acceptability.shares} & outside


def test_combinations_still_pair_a_platform_with_a_complement(explained):
    """A complement is still offered beside a platform in the pairs with an offline approach."""
    pairs = explained.analysis.combinations.with_offline
    assert pairs
    outside = _complement_ids(explained)
    for combo in pairs:
        assert len(set(combo.platform_ids) & outside) == 1


def test_record_lists_complements_apart_without_rank(explained, tmp_path):
    """The JSON the CLI writes has `complements` beside `aside`, no `rank` there, none ranked."""
    from kompas.cli import main

    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump(dict(NEWCOMERS_CITY), allow_unicode=True), encoding="utf-8")
    run = CliRunner().invoke(main, ["advise", str(path), "--format", "json"])
    assert run.exit_code == 0, run.output
    record = json.loads(run.output)
    listed = [p["platform"] for p in record["complements"]]
    assert listed == [r.platform.id for r in explained.advice.complements]
    assert all("rank" not in p for p in record["complements"])
    assert not {p["platform"] for p in record["ranking"]} & set(listed)
    assert not {p["platform"] for p in record["aside"]} & set(listed)


def test_text_view_lists_complements_after_the_ranking_without_a_number(explained):
    """The text view has no numbered row for a complement and lists it under 'Aanvulling'."""
    with language("nl"):
        text = render_advice(explained.advice, explained.story)
    head, _sep, rest = text.partition("Aanvulling (zonder rang)")
    assert rest, "the text view has no complements list"
    for r in explained.advice.complements:
        name = re.escape(r.platform.name[:30])
        assert not re.search(rf"^\s*\d+\.\s+{name}", head, re.MULTILINE), r.platform.name
        assert r.platform.name in rest.split("\n\n")[0]


def test_council_report_lists_complements_apart(explained):
    """The full report's ranking annex has no row for a complement and lists it as aanvulling;
    page 1 names none."""
    html = render_report_html(explained, municipality="Grootstad")
    page = BeautifulSoup(html, "html.parser")
    table = page.select_one("table.ranking").get_text(" ")
    names = [r.platform.name for r in explained.advice.complements]
    for name in names:
        assert name not in table
    heading = page.select_one("#aanvulling")
    assert heading is not None and heading.get_text(strip=True) == HEADING
    listed = heading.find_next("ul").get_text(" ")
    assert all(name in listed for name in names)
    first = page.select_one("section.first").get_text(" ")
    assert not [name for name in names if name in first]


def test_advice_page_lists_complements_apart(answered_dossier, explained):
    """The advice page's ranking table has no row for a complement; the aanvulling list has
    each, in the same order, and the CSV marks it 'aanvulling' without a rank."""
    client, token = answered_dossier(NEWCOMERS_CITY, "Grootstad")
    page = BeautifulSoup(client.get(f"/d/{token}/advies").data, "html.parser")
    rows = page.select_one("table.ranking").get_text(" ")
    names = [r.platform.name for r in explained.advice.complements]
    assert not [name for name in names if name in rows]
    heading = page.select_one("#aanvulling")
    assert heading is not None and heading.get_text(strip=True) == HEADING
    items = [li.get_text(" ", strip=True) for li in heading.find_parent("section").select("li")]
    assert items == [a.text for a in explained.story.complements]
    assert [a.name for a in explained.story.complements] == names
    csv = client.get(f"/d/{token}/advies.csv").data.decode("utf-8-sig")
    for line in csv.splitlines():
        if any(f";{name};" in line for name in names):
            assert line.startswith(";aanvulling;"), line
