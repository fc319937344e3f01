"""Issue 12 semantics of the decision kernel: what not applicable, dependent facts, budgets,
must-have goals, completeness and availability mean for the advice."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import kompas
from kompas.engine.analysis import analyse
from kompas.engine.combinations import combinations
from kompas.engine.matrix import decision_matrix
from kompas.engine.model import Fact

Q, C = kompas.load()
GOALS = [o.id for o in Q.question("doelen").options if not o.informational]


def _has(platform, fact_id, value):
    fact = platform.fact(fact_id)
    return fact.known and value in fact.value


def test_dependent_fact_without_its_function_is_not_applicable():
    """Participation levels without the participation function: not applicable, never half.

    A platform that has no participation function cannot reach any participation level, so
    it must not get half the points for an unknown level, and never ranks above a platform
    that has polls and documents the level asked for.
    """
    advice = kompas.advise(Q, C, {"doelen": ["participatie"], "participatieniveau": "raadplegen"})
    without = [
        p
        for p in C.platforms
        if p.fact("functions").known and not _has(p, "functions", "participatie")
    ]
    assert without
    for p in without:
        r = advice.result(p.id).result("participatieniveau_past")
        assert r.state == "not_applicable" and r.satisfaction == 0.0
    meeting = [
        r
        for r in advice.ranking
        if (x := r.result("participatieniveau_past")) is not None and x.state == "met"
    ]
    assert meeting
    best_without = max(advice.result(p.id).score for p in without)
    assert min(r.score for r in meeting) > best_without


def test_requires_is_validated(tmp_path):
    """`requires` must name a known fact with a value it can take."""
    text = Path(C.source).read_text(encoding="utf-8")
    bad = text.replace(
        "requires: {fact: functions, has: participatie}",
        "requires: {fact: functies, has: participatie}",
    )
    assert bad != text
    path = tmp_path / "platforms.yaml"
    path.write_text(bad, encoding="utf-8")
    report = kompas.validate(None, path)
    assert any("functies" in p.message for p in report.errors)


def test_a_municipal_licence_never_fits_a_budget_of_zero():
    """A known licence model with an unknown amount: unmet at budget 0, unknown above it."""
    licensed = [
        p
        for p in C.platforms
        if _has(p, "funding_model", "gemeente_licentie")
        and p.fact("cost_per_year").status == "unknown"
    ]
    assert licensed
    zero = kompas.advise(Q, C, {"budget_per_jaar": 0})
    some = kompas.advise(Q, C, {"budget_per_jaar": 5000})
    for p in licensed:
        assert zero.result(p.id).result("binnen_budget").state == "unmet"
        assert some.result(p.id).result("binnen_budget").state == "unknown"


def test_a_hard_budget_excludes_known_prices_above_it_and_verifies_unknown_ones():
    """budget_hard: a known price above the budget excludes; an unknown price is to verify."""
    budget = 1000
    advice = kompas.advise(Q, C, {"budget_per_jaar": budget, "budget_hard": True})
    soft = kompas.advise(Q, C, {"budget_per_jaar": budget, "budget_hard": False})
    assert not any(r.excluded for r in soft.ranking + soft.excluded)
    checked = 0
    for p in C.platforms:
        fact = p.fact("cost_per_year")
        r = advice.result(p.id)
        if fact.known and _low(fact) > budget:
            assert "binnen_budget" in [x.criterion_id for x in r.excluded_by]
            checked += 1
        elif fact.status == "unknown" and fact.above is None:
            assert "binnen_budget" in [x.criterion_id for x in r.to_verify]
            checked += 1
    assert checked


def _low(fact: Fact) -> float:
    value = fact.value
    return value["min"] if hasattr(value, "keys") else value


@pytest.mark.parametrize("goal", GOALS)
def test_any_chosen_goal_can_be_made_a_must_have(goal):
    """doelen_onmisbaar makes the goal's criterion a must-have: known misses drop out."""
    answers = {"doelen": [goal], "doelen_onmisbaar": [goal]}
    advice = kompas.advise(Q, C, answers)
    (criterion,) = [
        a.criterion for o in Q.question("doelen").options if o.id == goal for a in o.activates
    ]
    active = {a.id: a for a in advice.active}
    assert active[criterion].must
    for r in advice.ranking:
        assert r.result(criterion).state != "unmet"
    plain = kompas.advise(Q, C, {"doelen": [goal]})
    assert {r.platform.id for r in advice.ranking} <= {r.platform.id for r in plain.ranking}


def test_not_applicable_software_must_have_is_neutral_for_an_offline_approach():
    """Under the must-have 'volledig open source' an offline approach (no source code) neither
    meets nor violates it: not excluded, the criterion does not count for it, and the
    explanation says so; in combinations it sits beside a platform."""
    answers = {
        "doelen": ["burenhulp"],
        "open_source_wens": "eis",
        "doelgroepen": ["ouderen", "laag_digitaal"],
        "aandeel_laag_digitaal": "groot",
    }
    answers = {k: v for k, v in answers.items() if k in Q.index}
    assert Q.criteria["open_source_volledig"].not_applicable == "neutral"
    advice = kompas.advise(Q, C, answers, strict=False)
    offline = [p for p in C.platforms if p.category == Q.offline_category]
    assert offline
    seen = 0
    for p in offline:
        r = advice.result(p.id)
        oss = r.result("open_source_volledig")
        if oss.state == "not_applicable":
            seen += 1
            assert not oss.counted and oss.satisfaction is None
            assert "telt niet mee" in oss.text or "neither" in oss.text
            assert not any(e.criterion_id == "open_source_volledig" for e in r.excluded_by)
    assert seen
    found = combinations(Q, C, answers)
    ids = {p.id for p in offline}
    for combo in found.with_offline:
        assert set(combo.platform_ids) & ids


def test_not_applicable_ads_and_eu_count_as_met_for_an_offline_approach():
    """An approach without software shows no ads and keeps no data on a platform: a must-have
    on either does not exclude it, and both count as met."""
    answers = {
        "doelen": ["burenhulp"],
        "reclame_acceptabel": False,
        "opslag_gegevens": "eu_verplicht",
    }
    answers = {k: v for k, v in answers.items() if k in Q.index}
    advice = kompas.advise(Q, C, answers, strict=False)
    offline = [p for p in C.platforms if p.category == Q.offline_category]
    seen = 0
    for p in offline:
        r = advice.result(p.id)
        for cid in ("geen_reclame", "data_in_eu"):
            res = r.result(cid)
            if res.state == "not_applicable":
                seen += 1
                assert res.satisfaction == 1.0 and res.counted
                assert not any(e.criterion_id == cid for e in r.excluded_by)
    assert seen


def test_a_handful_of_answers_is_provisional_and_never_fully_known():
    """One answer: provisional, open important sections listed, coverage well below 100%."""
    advice = kompas.advise(Q, C, {"doelen": ["burenhulp"]})
    c = advice.completeness
    assert c is not None and c.provisional
    assert c.answered == 1 and c.total > 10
    assert "financiering" in c.open_sections
    assert all(r.coverage is not None and r.coverage < 50 for r in advice.ranking)
    shown = {q.id for q in kompas.visible_questions(Q, advice.answers)}
    assert c.decisive_open and set(c.decisive_open) <= shown - set(advice.answers)


def test_answering_a_decisive_question_lowers_what_is_open():
    """The first decisive open question is unanswered, and answering questions raises the share."""
    base = {"doelen": ["burenhulp"]}
    one = kompas.advise(Q, C, base).completeness
    more = kompas.advise(Q, C, {**base, "budget_per_jaar": 2000, "schaal": "dorp"}).completeness
    assert more.answered == one.answered + 2
    assert more.share > one.share
    assert set(more.open_sections) < set(one.open_sections)


def _with_availability(catalogue, chosen):
    platforms = tuple(
        dataclasses.replace(
            p,
            availability_fact=Fact("availability", "known", chosen[p.id], "https://example.org"),
        )
        if p.id in chosen
        else p
        for p in catalogue.platforms
    )
    return catalogue.with_platforms(platforms)


def test_own_instances_are_examples_and_stopped_projects_are_not_ranked(mini):
    """eigen_gemeente -> examples, gestopt -> withdrawn; neither ranked nor in combinations."""
    q, c = mini
    first, second = c.platforms[0].id, c.platforms[1].id
    cat = _with_availability(c, {first: "eigen_gemeente", second: "gestopt"})
    advice = kompas.advise(q, cat, {"doelen": ["burenhulp", "prikbord"]})
    ranked = {r.platform.id for r in advice.ranking + advice.excluded}
    assert first not in ranked and second not in ranked
    assert [r.platform.id for r in advice.examples] == [first]
    assert [r.platform.id for r in advice.withdrawn] == [second]
    assert advice.examples[0].rank is None and advice.examples[0].score is not None
    matrix = decision_matrix(q, cat, {"doelen": ["burenhulp", "prikbord"]})
    assert {matrix.platform_ids.index(first), matrix.platform_ids.index(second)} <= set(
        matrix.excluded
    )
    found = combinations(q, cat, {"doelen": ["burenhulp", "prikbord"]})
    for combo in found.pairs + found.triples:
        assert first not in combo.platform_ids and second not in combo.platform_ids


def test_combinations_state_their_cost_or_the_member_without_a_price():
    """Each combination has a combined yearly cost range, or names the unpriced members."""
    answers = {"doelen": ["burenhulp", "participatie"], "budget_per_jaar": 5000}
    found = analyse(Q, C, answers).combinations
    combos = found.pairs + found.triples + found.with_offline
    assert combos
    for combo in combos:
        facts = [C.platform(pid).fact("cost_per_year") for pid in combo.platform_ids]
        unknown = tuple(
            pid for pid, f in zip(combo.platform_ids, facts, strict=True) if f.status == "unknown"
        )
        assert combo.cost_unknown == unknown
        if unknown:
            assert combo.cost_low is None and combo.cost_high is None
        else:
            known = [f for f in facts if f.known]
            low = sum(f.value["min"] if hasattr(f.value, "keys") else f.value for f in known)
            assert combo.cost_low == pytest.approx(low)
            assert combo.cost_high >= combo.cost_low


def test_an_excluded_platform_is_never_also_in_the_running():
    """The notes of an excluded platform say why it drops out, not that it "blijft in beeld"."""
    answers = {"doelen": ["burenhulp"], "reclame_acceptabel": False, "open_source_wens": "eis"}
    answers = {k: v for k, v in answers.items() if k in Q.index}
    advice = kompas.advise(Q, C, answers)
    assert advice.excluded
    verify = Q.text("verify", platform="", criterion="").strip()[:20]
    for r in advice.excluded:
        assert r.notes
        assert not any(verify and verify in n for n in r.notes)
        assert not any("bekend van wat u belangrijk vindt" in n for n in r.notes)
