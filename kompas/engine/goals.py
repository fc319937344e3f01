"""Goals first: the chosen goals say what a platform is for; the other criteria choose among
the platforms that serve them.

The questionnaire names its goal question (``method.goal_question``): the criteria its options
activate are the goals. A goal is chosen by an answer to a question that switches on goals
only (the goals, the main goal, the indispensable goals) and weighs. A platform is
ranked only when it is known to serve at least one chosen goal (fully or partly); one that
serves none, or of which nobody knows whether it serves any, stands below the line, where
it may still be a complement in a combination. The main goal weighs most: no criterion
weighs more than 'zeer belangrijk', the main goal's weight.

Where the advisor answered that a digital platform is the instrument
(``method.digital_question`` with ``digital_options``), an approach of the offline category
complements a platform: it gets no rank in the platform ranking, and is listed apart after
it ("aanvulling"), in the one order among the complements (``Advice.complements``).
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
from typing import Any

from kompas.engine.model import Platform
from kompas.engine.model import Questionnaire

SERVES = 0  # known to serve at least one chosen goal (fully or partly)
MAYBE = 1  # not known whether it serves one: a goal fact is unknown, none is known met
NONE = 2  # known to serve none of the chosen goals


def goal_criteria(questionnaire: Questionnaire) -> frozenset[str]:
    """The criteria the goal question's options activate (computed once per questionnaire)."""
    cached: frozenset[str] | None = questionnaire.cache.get("goal-criteria")
    if cached is None:
        found: set[str] = set()
        qid = questionnaire.goal_question
        if qid and qid in questionnaire.index:
            for option in questionnaire.question(qid).options:
                found.update(a.criterion for a in option.activates)
        cached = frozenset(found)
        questionnaire.cache["goal-criteria"] = cached
    return cached


def goal_only_questions(questionnaire: Questionnaire) -> frozenset[str]:
    """The choice questions whose every activation is a goal (the goals, the main goal, the
    indispensable goals): answering them chooses goals."""
    cached: frozenset[str] | None = questionnaire.cache.get("goal-questions")
    if cached is None:
        goals = goal_criteria(questionnaire)
        found = set()
        for question in questionnaire.questions:
            if question.type not in ("single", "multiple"):
                continue
            targets = {a.criterion for o in question.options for a in o.activates}
            if targets and targets <= goals:
                found.add(question.id)
        cached = frozenset(found)
        questionnaire.cache["goal-questions"] = cached
    return cached


def chosen_goals(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> frozenset[str]:
    """The goal criteria the answers to the goal questions switch on (not a goal that another
    answer only weighs in, such as mantelzorg because informal carers are a target group)."""
    chosen: set[str] = set()
    for qid in goal_only_questions(questionnaire):
        value = answers.get(qid)
        if value is None:
            continue
        picked = (value,) if isinstance(value, str) else tuple(value)
        for option in questionnaire.question(qid).options:
            if option.id in picked:
                chosen.update(a.criterion for a in option.activates if a.importance != 0)
    return frozenset(chosen)


def goal_columns(
    chosen: frozenset[str], criterion_ids: Sequence[str], weights: Sequence[float]
) -> tuple[int, ...]:
    """Indices of the chosen goals among the given criteria, where they weigh."""
    return tuple(
        j
        for j, (cid, w) in enumerate(zip(criterion_ids, weights, strict=True))
        if cid in chosen and w > 0
    )


def goal_tier(
    low: Sequence[float | None], high: Sequence[float | None], columns: Sequence[int]
) -> int:
    """SERVES, MAYBE or NONE for one platform's row of bounds (SERVES when no goal is chosen)."""
    if not columns:
        return SERVES
    lows = [low[j] for j in columns]
    highs = [high[j] for j in columns]
    if any(lo is not None and lo > 0 for lo in lows):
        return SERVES
    if any(
        lo is not None and hi is not None and hi > 0 for lo, hi in zip(lows, highs, strict=True)
    ):
        return MAYBE
    return NONE


def wants_digital(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> bool:
    """Whether the advisor answered that a digital platform is the instrument."""
    qid = questionnaire.digital_question
    return bool(qid) and answers.get(qid) in questionnaire.digital_options


def is_complement(
    questionnaire: Questionnaire, platform: Platform, answers: Mapping[str, Any]
) -> bool:
    """Whether a platform only complements the others here: an offline approach where a
    digital platform is wanted."""
    category = questionnaire.offline_category
    return (
        bool(category) and platform.category == category and wants_digital(questionnaire, answers)
    )


def order_key(
    tier: int, complement: bool, score: float | None, coverage: float | None
) -> tuple[int, int, float, float]:
    """The sort key of the one order: goal tier, complements after (they are listed apart,
    unranked), then score and coverage.

    Coverage only orders platforms within a shared rank (`shares_rank`): equal scores tie.
    """
    return (
        tier,
        int(complement),
        -1.0 if score is None else -round(score, 9),
        -round(coverage or 0.0, 9),
    )


def shares_rank(a: tuple[int, int, float, float], b: tuple[int, int, float, float]) -> bool:
    """Whether two order keys share a (competition) rank: same tier, role and score.

    The larger share known is listed first within the rank but does not break the tie: two
    platforms with the same score are equally good on what the advice knows.
    """
    return a[:3] == b[:3]
