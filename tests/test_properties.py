"""Properties of the scoring model that must hold for every answer set (hypothesis)."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

import kompas
from tests.conftest import MINI_PLATFORMS
from tests.conftest import MINI_QUESTIONS
from tests.strategies import answers_for

MINI_Q, MINI_C = kompas.load(MINI_QUESTIONS, MINI_PLATFORMS)
SHIPPED_Q, SHIPPED_C = kompas.load()
DATASETS = {"mini": (MINI_Q, MINI_C), "shipped": (SHIPPED_Q, SHIPPED_C)}
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _data(name: str) -> tuple[kompas.Questionnaire, kompas.Catalogue]:
    return DATASETS[name]


@pytest.mark.parametrize("name", DATASETS)
@FAST
@given(data=st.data())
def test_scores_stay_within_0_and_100(name, data):
    """Fit and coverage are percentages (or absent when nothing counts)."""
    q, c = _data(name)
    advice = kompas.advise(q, c, data.draw(answers_for(q)))
    for r in advice.ranking + advice.complements + advice.excluded:
        assert r.fit is None or 0.0 <= r.fit <= 100.0
        assert r.coverage is None or 0.0 <= r.coverage <= 100.0
    every = (
        advice.ranking
        + advice.complements
        + advice.aside
        + advice.excluded
        + advice.examples
        + advice.withdrawn
    )
    assert len({r.platform.id for r in every}) == len(every) == len(c.platforms)


@pytest.mark.parametrize("name", DATASETS)
@FAST
@given(data=st.data())
def test_coverage_is_never_full_while_important_questions_are_open(name, data):
    """While an important section's question is open, no platform shows 100% bekend."""
    q, c = _data(name)
    advice = kompas.advise(q, c, data.draw(answers_for(q)), strict=False)
    important = {s.id for s in q.sections if s.important}
    shown = kompas.visible_questions(q, advice.answers)
    open_weighty = [
        x
        for x in shown
        if x.section in important
        and x.id not in advice.answers
        and x.type != "text"
        and any(a.importance for o in x.options for a in o.activates)
    ]
    assert advice.completeness is not None
    assert 0 <= advice.completeness.answered <= advice.completeness.total
    if open_weighty:
        for r in advice.ranking:
            assert r.coverage is None or r.coverage < 100.0


@pytest.mark.parametrize("name", DATASETS)
@FAST
@given(data=st.data())
def test_more_weight_on_a_met_criterion_never_lowers_fit(name, data):
    """Raising the importance of a criterion a platform fully meets never lowers its fit."""
    q, c = _data(name)
    answers = data.draw(answers_for(q))
    importance_questions = [x for x in q.questions if x.type == "importance"]
    question = data.draw(st.sampled_from(importance_questions))
    low = data.draw(st.sampled_from([0, 1, 2]))
    high = data.draw(st.integers(low + 1, 3))
    before = kompas.advise(q, c, {**answers, question.id: low}, strict=False)
    after = kompas.advise(q, c, {**answers, question.id: high}, strict=False)
    for r in before.ranking + before.excluded:
        fully_met = all(
            (res := r.result(cid)) is not None and res.satisfaction == 1.0
            for cid in question.criteria
        )
        if not fully_met or r.fit is None:
            continue
        new = after.result(r.platform.id)
        assert new.fit is not None and new.fit >= r.fit - 1e-9


@pytest.mark.parametrize("name", DATASETS)
@FAST
@given(data=st.data())
def test_a_must_have_never_adds_a_platform(name, data):
    """Making an importance a must-have can only shrink the ranking."""
    q, c = _data(name)
    answers = data.draw(answers_for(q))
    importance_questions = [x for x in q.questions if x.type == "importance"]
    question = data.draw(st.sampled_from(importance_questions))
    answers.pop(question.id, None)
    without = kompas.advise(q, c, answers)
    with_must = kompas.advise(q, c, {**answers, question.id: "must"})
    assert {r.platform.id for r in with_must.ranking} <= {r.platform.id for r in without.ranking}


@pytest.mark.parametrize("name", DATASETS)
@FAST
@given(data=st.data(), seed=st.integers(0, 2**32 - 1))
def test_platform_order_in_the_file_changes_nothing(name, data, seed):
    """Shuffling the catalogue gives the same advice."""
    q, c = _data(name)
    answers = data.draw(answers_for(q))
    shuffled = list(c.platforms)
    random.Random(seed).shuffle(shuffled)
    a = kompas.to_record(kompas.advise(q, c, answers))
    b = kompas.to_record(kompas.advise(q, c.with_platforms(tuple(shuffled)), answers))
    a.pop("created"), b.pop("created")
    assert a == b


@pytest.mark.parametrize("name", DATASETS)
@FAST
@given(data=st.data())
def test_decision_record_round_trips(name, data):
    """A JSON record read back and recomputed gives the same advice, exactly."""
    q, c = _data(name)
    advice = kompas.advise(q, c, data.draw(answers_for(q)))
    text = kompas.to_json(advice)
    record = kompas.read_record(text)
    again = kompas.recompute(record, q, c)
    assert kompas.same_outcome(record, again)
    assert kompas.to_json(again) == text
