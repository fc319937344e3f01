"""Leave-one-out: what the top of the advice would be without one of the answers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kompas.engine.activation import activation_table
from kompas.engine.answers import Answers
from kompas.engine.answers import visible_questions
from kompas.engine.goals import SERVES
from kompas.engine.goals import chosen_goals
from kompas.engine.kernel import EPSILON
from kompas.engine.kernel import condition_answers
from kompas.engine.kernel import is_must
from kompas.engine.kernel import must_outcome
from kompas.engine.kernel import stronger
from kompas.engine.kernel import weight_of
from kompas.engine.matrix import Matrix
from kompas.engine.model import Questionnaire


@dataclass(frozen=True, slots=True)
class LeaveOneOut:
    """What the top would be without one answer."""

    question_id: str
    question: str
    top: tuple[str, ...]
    changes: bool
    weighs: bool = True  # whether any criterion would still weigh (else no platform is scored)


def leave_one_out(
    questionnaire: Questionnaire, answers: Answers, matrix: Matrix, top: set[str]
) -> tuple[LeaveOneOut, ...]:
    """Per answered question: the top without that answer (columns reused, weights redone).

    Only the answer itself is left out: the follow-up questions it opens stay shown with their
    answers, so that an answer that merely gates a follow-up (and weighs nothing itself) is
    never said to change the top (docs/design.md, "Leave-one-out").
    """
    table = activation_table(questionnaire, answers)
    shown_now = {q.id for q in visible_questions(questionnaire, answers.values)}
    base = [matrix.sums(i) for i in range(len(matrix.platform_ids))]
    musts_now = [j for j, ac in enumerate(matrix.active) if ac.must]
    reads = condition_answers(questionnaire)
    results = []
    for question in questionnaire.questions:
        if question.id not in answers or question.type == "text":
            continue
        rest = {k: v for k, v in answers.values.items() if k != question.id}
        shown = shown_now - {question.id}
        levels: dict[str, Any] = {}
        for other, switched in table.items():
            if other == question.id or other not in shown:
                continue
            for cid, level in switched:
                levels[cid] = stronger(levels.get(cid), level)
        changed = []  # (criterion index, new weight, new must) where something differs
        for j, ac in enumerate(matrix.active):
            level = levels.get(ac.id)
            reads_it = any(qid == question.id or qid not in shown for qid in reads[ac.id])
            weight, must = (
                (0.0, False) if level is None or reads_it else (weight_of(level), is_must(level))
            )
            if weight != ac.weight or must != ac.must:
                changed.append((j, weight, must))
        # Without the answer that a digital platform is wanted, no approach only complements;
        # without a goal answer, its goals are no longer chosen.
        digital = question.id != questionnaire.digital_question
        chosen = chosen_goals(questionnaire, {k: v for k, v in rest.items() if k in shown})
        goals = tuple(j for j, ac in enumerate(matrix.active) if ac.id in chosen)
        new_top = _top_with_changes(matrix, base, changed, musts_now, digital, goals)
        weighs = _still_weighs(matrix, changed)
        results.append(
            LeaveOneOut(question.id, question.text, new_top, set(new_top) != top, weighs)
        )
    return tuple(results)


def _still_weighs(matrix: Matrix, changed: list[tuple[int, float, bool]]) -> bool:
    """Whether any criterion weighs or is a must-have once the changes are made."""
    new = {j: (weight, must) for j, weight, must in changed}
    return any(
        new.get(j, (ac.weight, ac.must))[0] > 0 or new.get(j, (ac.weight, ac.must))[1]
        for j, ac in enumerate(matrix.active)
    )


def _top_with_changes(
    matrix: Matrix,
    base: list[tuple[float, float]],
    changed: list[tuple[int, float, bool]],
    musts_now: list[int],
    complements: bool = True,
    goals: tuple[int, ...] | None = None,
) -> tuple[str, ...]:
    """The top after changing a few criteria's weights: only those terms are redone.

    The same order as the advice: only candidates no must-have excludes, goals first, never
    an approach that only complements a platform (it has no rank), then the score.
    """
    musts = set(musts_now) - {j for j, _w, m in changed if not m} | {j for j, _w, m in changed if m}
    weights = list(matrix.weights)
    for j, weight, _must in changed:
        weights[j] = weight
    new_weights = tuple(weights)
    scores: dict[int, float] = {}
    for i, (achieved, total) in enumerate(base):
        if i in matrix.outside or matrix.tier(i, new_weights, goals) != SERVES:
            continue
        if any(must_outcome(matrix.low[i][j], matrix.high[i][j]) == "fail" for j in musts):
            continue
        for j, weight, _must in changed:
            mid = matrix.middle(i, j)
            if mid is None:
                continue
            old = matrix.weights[j]
            old = old if old > 0 else 0.0
            new = weight if weight > 0 else 0.0
            achieved += (new - old) * mid
            total += new - old
        if total > EPSILON:
            scores[i] = 100.0 * achieved / total
    if complements:
        scores = {i: v for i, v in scores.items() if i not in matrix.complements}
    if not scores:
        return ()
    best = max(scores.values())
    return tuple(sorted(matrix.platform_ids[i] for i, v in scores.items() if v >= best - EPSILON))
