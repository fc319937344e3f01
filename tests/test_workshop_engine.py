"""Workshop aggregation in the engine: properties (hypothesis) and exact examples.

Question and option ids are read from the loaded questionnaires; none is written here.
"""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from kompas.engine.answers import normalise_answer
from kompas.engine.model import MUST
from kompas.engine.model import Question
from kompas.engine.model import Questionnaire
from kompas.engine.scoring import advise
from kompas.engine.workshop import PRIORITY_TYPES
from kompas.engine.workshop import aggregate
from kompas.engine.workshop import compare_participant
from kompas.engine.workshop import default_sections
from kompas.engine.workshop import importance_level
from kompas.engine.workshop import priority_questions
from kompas.engine.workshop import priority_sections
from kompas.engine.workshop import round_half_up
from tests.strategies import answer_for

FAST = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def first(questionnaire: Questionnaire, kind: str, min_options: int = 0) -> Question:
    for question in questionnaire.questions:
        if question.type == kind and len(question.options) >= min_options:
            return question
    raise AssertionError(f"no {kind} question")


def participants_for(questionnaire: Questionnaire) -> st.SearchStrategy[list[dict[str, Any]]]:
    """1-8 participants, each answering a random subset of the priority questions."""
    questions = priority_questions(questionnaire)
    one = st.fixed_dictionaries({}, optional={q.id: answer_for(q) for q in questions})
    return st.lists(one, min_size=1, max_size=8)


def normalised(questionnaire: Questionnaire, answers: dict[str, Any]) -> dict[str, Any]:
    return {
        qid: normalise_answer(questionnaire.question(qid), value)
        for qid, value in answers.items()
        if questionnaire.question(qid).type in PRIORITY_TYPES
    }


# -- properties -------------------------------------------------------------------------------


@FAST
@given(data=st.data())
def test_median_lies_between_lowest_and_highest(shipped, data) -> None:
    q, _c = shipped
    people = data.draw(participants_for(q))
    result = aggregate(q, people)
    for item in result.questions:
        if item.question.type != "importance":
            continue
        levels = [
            importance_level(normalise_answer(item.question, p[item.id]))
            for p in people
            if item.id in p
        ]
        assert importance_level(item.low) == min(levels)
        assert importance_level(item.high) == max(levels)
        assert min(levels) <= item.median <= max(levels)
        assert min(levels) <= importance_level(item.value) <= max(levels)
        assert item.respondents == len(levels)


@FAST
@given(data=st.data())
def test_order_of_participants_does_not_matter(shipped, data) -> None:
    q, _c = shipped
    people = data.draw(participants_for(q))
    shuffled = data.draw(st.permutations(people))
    assert aggregate(q, shuffled) == aggregate(q, people)


@FAST
@given(data=st.data())
def test_one_participant_is_that_participant(shipped, data) -> None:
    q, _c = shipped
    person = data.draw(participants_for(q).map(lambda ps: ps[0]))
    result = aggregate(q, [person])
    assert dict(result.answers) == normalised(q, person)
    assert all(item.disagreement == 0 and item.spread == 0 for item in result.questions)
    assert result.agenda == ()


@FAST
@given(data=st.data(), copies=st.integers(2, 3))
def test_the_same_group_twice_gives_the_same_answers(shipped, data, copies: int) -> None:
    q, _c = shipped
    people = data.draw(participants_for(q))
    once, more = aggregate(q, people), aggregate(q, people * copies)
    assert more.answers == once.answers
    for a, b in zip(once.questions, more.questions, strict=True):
        assert a.spread == pytest.approx(b.spread, abs=1e-6)
        if a.question.type != "single":  # for single, the widest spread possible grows
            assert a.disagreement == pytest.approx(b.disagreement, abs=1e-6)


@FAST
@given(data=st.data())
def test_group_answers_follow_the_counts(shipped, data) -> None:
    q, _c = shipped
    people = data.draw(participants_for(q))
    result = aggregate(q, people)
    for item in result.questions:
        assert 0.0 <= item.disagreement <= 1.0
        counts = dict(item.counts)
        kind = item.question.type
        if kind == "single":
            most = max(counts.values())
            if item.value is None:
                assert len(item.tied) > 1 and all(counts[o] == most for o in item.tied)
            else:
                assert counts[item.value] == most and not item.tied
        elif kind == "multiple":
            assert set(item.value) == {o for o, c in counts.items() if 2 * c >= item.respondents}
        elif kind == "yesno":
            if counts[True] == counts[False]:
                assert item.value is None and item.id not in result.answers
            else:
                assert item.value == (counts[True] > counts[False])
    ranks = [item.disagreement for item in result.agenda]
    assert ranks == sorted(ranks, reverse=True)
    assert all(item.respondents >= 2 and item.disagreement > 0 for item in result.agenda)


# -- exact examples ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "expected", "median"),
    [
        ([1, 2], 2, 1.5),  # halves round up
        ([0, 1, 2, 3], 2, 1.5),
        ([3, MUST], MUST, 3.5),  # 3.5 rounds to 4, read back as must
        ([0, 3, MUST], 3, 3.0),
        ([MUST, MUST, 0], MUST, 4.0),
        ([2], 2, 2.0),
    ],
)
def test_importance_median(mini, answers: list[Any], expected: Any, median: float) -> None:
    q, _c = mini
    question = first(q, "importance")
    item = aggregate(q, [{question.id: a} for a in answers]).question(question.id)
    assert item is not None
    assert item.value == expected
    assert item.median == median


def test_importance_spread_is_the_standard_deviation_on_the_0_to_4_scale(mini) -> None:
    q, _c = mini
    question = first(q, "importance")
    item = aggregate(q, [{question.id: 0}, {question.id: MUST}]).question(question.id)
    assert item is not None
    assert item.spread == 2.0 and item.disagreement == 1.0
    item = aggregate(q, [{question.id: 2}, {question.id: 2}, {question.id: 2}]).question(
        question.id
    )
    assert item is not None
    assert item.spread == 0 and item.disagreement == 0
    assert dict(item.counts)[2] == 3


def test_round_half_up() -> None:
    assert [round_half_up(x) for x in (0.5, 1.5, 2.5, 2.4999, 3.5)] == [1, 2, 3, 2, 4]


def test_single_choice_tie_leaves_it_to_the_facilitator(shipped) -> None:
    q, _c = shipped
    question = first(q, "single", min_options=3)
    a, b, c = (o.id for o in question.options[:3])
    result = aggregate(q, [{question.id: b}, {question.id: a}, {question.id: c}, {question.id: a}])
    item = result.question(question.id)
    assert item is not None
    assert item.value == a and not item.tied
    assert item.spread == 0.5
    tie = aggregate(q, [{question.id: b}, {question.id: a}]).question(question.id)
    assert tie is not None
    assert tie.value is None
    assert tie.tied == (a, b)  # in questionnaire order
    assert tie.disagreement == 1.0
    assert question.id not in aggregate(q, [{question.id: b}, {question.id: a}]).answers


def test_multiple_choice_takes_options_chosen_by_at_least_half(shipped) -> None:
    q, _c = shipped
    question = first(q, "multiple", min_options=3)
    a, b, c = (o.id for o in question.options[:3])
    people = [{question.id: [a, b]}, {question.id: [a]}, {question.id: [c]}, {question.id: [a]}]
    item = aggregate(q, people).question(question.id)
    assert item is not None
    assert item.value == (a,)  # a: 3 of 4; b and c: 1 of 4
    assert dict(item.counts)[a] == 3
    people.append({question.id: [b, c]})
    people.append({question.id: [b]})
    item = aggregate(q, people).question(question.id)
    assert item is not None
    assert item.value == (a, b)  # a and b: 3 of 6 each, c: 2 of 6
    assert item.contested == a  # a and b split 3-3; a comes first
    assert item.disagreement == 1.0


def test_yes_no_majority_and_tie(mini) -> None:
    q, _c = mini
    question = first(q, "yesno")
    item = aggregate(q, [{question.id: True}, {question.id: False}, {question.id: True}]).question(
        question.id
    )
    assert item is not None
    assert item.value is True
    assert item.disagreement == pytest.approx(2 / 3, abs=1e-6)
    tie = aggregate(q, [{question.id: True}, {question.id: False}]).question(question.id)
    assert tie is not None
    assert tie.value is None and tie.tied == (True, False)


def test_agenda_puts_the_largest_disagreement_first(mini) -> None:
    q, _c = mini
    one, two = [x for x in q.questions if x.type == "importance"][:2]
    people = [{one.id: 1, two.id: 0}, {one.id: 2, two.id: MUST}, {one.id: 1, two.id: 3}]
    result = aggregate(q, people)
    assert [item.id for item in result.agenda] == [two.id, one.id]
    single = aggregate(q, [{one.id: 3}])
    assert single.agenda == ()


def test_answers_that_do_not_fit_are_set_aside(mini) -> None:
    q, _c = mini
    importance = first(q, "importance")
    number = first(q, "number")
    text = first(q, "text")
    people = [
        {importance.id: 2, "vraag_die_niet_bestaat": 1, number.id: 5, text.id: "x"},
        {importance.id: "heel erg", number.id: 9},
    ]
    result = aggregate(q, people)
    assert dict(result.answers) == {importance.id: 2}
    assert result.participants == 2
    item = result.question(importance.id)
    assert item is not None and item.respondents == 1


def test_default_sections_are_priority_sections_without_numbers(shipped) -> None:
    q, _c = shipped
    defaults = default_sections(q)
    assert defaults, "the shipped questionnaire has sections for participants"
    for section in priority_sections(q):
        has_number = any(x.type == "number" for x in section.questions)
        assert (section in defaults) == (not has_number)
    for question in priority_questions(q, [s.id for s in defaults]):
        assert question.type in PRIORITY_TYPES


def test_compare_participant_against_the_group(shipped) -> None:
    q, c = shipped
    question = first(q, "importance")
    base: dict[str, Any] = {}
    group = dict(aggregate(q, [{question.id: 0}, {question.id: 1}]).answers)
    mine = {question.id: MUST}
    comparison = compare_participant(q, c, base, mine, group)
    own_advice = advise(q, c, {**base, **mine}, strict=False)
    group_advice = advise(q, c, {**base, **group}, strict=False)
    assert [r.platform.id for r in comparison.mine] == [
        r.platform.id for r in own_advice.ranking if r.rank == 1
    ]
    assert [r.platform.id for r in comparison.group] == [
        r.platform.id for r in group_advice.ranking if r.rank == 1
    ]
    same = compare_participant(q, c, base, group, group)
    assert same.same


def test_engine_module_stays_pure() -> None:
    code = (
        "import sys, kompas.engine.workshop; "
        "print(','.join(m for m in ('flask', 'sqlalchemy', 'wtforms', 'segno') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == ""


# -- workshop policy, moved out of the web layer ----------------------------------------------


def test_disagreement_levels_follow_the_thresholds():
    """Level words are decided in the engine: groot from 0.6, matig from 0.3, klein above 0."""
    from kompas.engine import workshop_policy as ew

    assert [ew.disagreement_level(d) for d in (0.0, 0.1, 0.3, 0.59, 0.6, 1.0)] == [
        "geen",
        "klein",
        "matig",
        "matig",
        "groot",
        "groot",
    ]
    items = [{"spread": s, "question": str(i)} for i, s in enumerate([0.9, 0.1, 0.5, 0.3] * 3)]
    main = ew.main_disagreements(items)
    assert len(main) == ew.MAIN_LIMIT
    assert all(d["spread"] >= ew.MAIN_DISAGREEMENT for d in main)


def test_respondents_are_people_with_a_valid_answer(shipped):
    """Only someone with at least one valid answer to the session's questions counts."""
    from kompas.engine import workshop_policy as ew

    q, _c = shipped
    questions = ew.session_questions(q, [s.id for s in default_sections(q)])
    single = next(x for x in questions if x.type == "single")
    option = single.options[0].id
    people = [{}, {single.id: "geen_optie"}, {single.id: option}, {"bestaat_niet": 1}]
    assert ew.respondents(questions, people) == [2]
    assert ew.own_answers(questions, people[2]) == {single.id: option}


def test_adoption_proposes_the_group_answer_or_the_dossier_on_a_tie(shipped):
    """Adoption proposes the group's answer; on a tie the dossier's own answer stays."""
    from kompas.engine import workshop_policy as ew

    q, _c = shipped
    questions = ew.session_questions(q, [s.id for s in default_sections(q)])
    yesno = next(x for x in questions if x.type == "yesno" and x.show_if is None)
    agreed = aggregate(q, [{yesno.id: True}, {yesno.id: True}])
    chosen, defaults = ew.adoption_plan(q, questions, agreed, {})
    assert yesno in chosen and defaults[yesno.id] is True
    tied = aggregate(q, [{yesno.id: True}, {yesno.id: False}])
    chosen, defaults = ew.adoption_plan(q, questions, tied, {yesno.id: False})
    assert yesno in chosen and defaults[yesno.id] is False
    _chosen, defaults = ew.adoption_plan(q, questions, tied, {})
    assert yesno.id not in defaults


def test_a_participant_sees_follow_up_questions_of_their_own_answers(shipped):
    """show_if is applied on the participant's own answers plus the dossier's other answers."""
    from kompas.engine import workshop_policy as ew

    q, _c = shipped
    questions = ew.session_questions(q, [s.id for s in q.sections])
    follow = next(
        x
        for x in questions
        if x.show_if is not None and x.show_if.subject in {y.id for y in questions}
    )
    hidden = ew.shown_to_participant(q, questions, {}, {})
    assert follow not in hidden
    trigger = q.question(follow.show_if.subject)
    for answer in [o.id for o in trigger.options] + [[o.id for o in trigger.options]]:
        value = (
            answer
            if trigger.type == "single"
            else (answer if isinstance(answer, list) else [answer])
        )
        seen = ew.shown_to_participant(q, questions, {}, {trigger.id: value})
        if follow in seen:
            break
    else:
        raise AssertionError("no answer shows the follow-up question")
