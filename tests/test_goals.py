"""Goals first and not-applicable directions, as properties over random answer sets."""

from __future__ import annotations

from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings

import kompas
from kompas.engine.goals import SERVES
from kompas.engine.goals import chosen_goals
from kompas.engine.matrix import decision_matrix
from tests.strategies import answers_for

Q = kompas.load_questionnaire()
C = kompas.load_catalogue()
QUICK = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _serves(result: kompas.PlatformResult, goals: frozenset[str]) -> bool:
    return any(
        r.criterion_id in goals and r.weight > 0 and (r.satisfaction or 0) > 0
        for r in result.results
    )


@QUICK
@given(answers=answers_for(Q))
def test_no_platform_without_a_chosen_goal_outranks_one_that_serves_them(answers):
    """Ranked platforms are known to serve a chosen goal; the rest stand below the line."""
    advice = kompas.advise(Q, C, answers, strict=False)
    goals = chosen_goals(Q, advice.answers)
    weighing = {a.id for a in advice.active if a.weight > 0} & goals
    if not weighing:
        assert not advice.aside
        return
    for r in advice.ranking:
        assert _serves(r, weighing), r.platform.id
    for r in advice.aside:
        assert not _serves(r, weighing), r.platform.id
        assert r.rank is None


@QUICK
@given(answers=answers_for(Q))
def test_matrix_order_agrees_with_the_advice(answers):
    """The matrix ranks exactly the advice's ranked platforms that have a score, and ties
    share a rank."""
    advice = kompas.advise(Q, C, answers, strict=False)
    matrix = decision_matrix(Q, C, answers)
    assert {matrix.platform_ids[i] for i in matrix.ranked()} == {
        r.platform.id for r in advice.ranking if r.score is not None
    }
    for i in matrix.ranked():
        assert matrix.tier(i) == SERVES
    for a in advice.ranking:
        for b in advice.ranking:
            same_group = (a.platform.category == Q.offline_category) == (
                b.platform.category == Q.offline_category
            )
            tied = a.score is not None and abs((a.score or 0) - (b.score or 0)) < 1e-9
            if same_group and tied and a.coverage == b.coverage:
                assert a.rank == b.rank, (a.platform.id, b.platform.id)


def test_an_offline_approach_is_neither_met_nor_violated_by_open_source():
    """'Volledig open source' is neutral for an approach without software: not counted."""
    advice = kompas.advise(Q, C, {"doelen": ["burenhulp"], "open_source_wens": "eis"})
    approaches = [p for p in C.platforms if p.category == Q.offline_category]
    seen = 0
    for p in approaches:
        res = advice.result(p.id).result("open_source_volledig")
        if res.state == "not_applicable":
            seen += 1
            assert not res.counted and p.id not in {r.platform.id for r in advice.excluded}
    assert seen
