"""How sure is the advice: the leader, its margin, and an overall label.

The label reads the exact stability intervals (engine.stability) and leave-one-out
(engine.leave_one_out); the tie-break between the first two is engine.tiebreak.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kompas.engine.answers import Answers
from kompas.engine.answers import check_answers
from kompas.engine.completeness import open_weight
from kompas.engine.goals import SERVES
from kompas.engine.kernel import EPSILON
from kompas.engine.kernel import row_scores
from kompas.engine.leave_one_out import LeaveOneOut
from kompas.engine.leave_one_out import leave_one_out
from kompas.engine.matrix import Matrix
from kompas.engine.matrix import decision_matrix
from kompas.engine.model import Catalogue
from kompas.engine.model import Questionnaire
from kompas.engine.stability import Interval
from kompas.engine.stability import shared_intervals
from kompas.engine.stability import stability_intervals


@dataclass(frozen=True, slots=True)
class Robustness:
    """How far the answers can move before the advice changes."""

    top: tuple[str, ...]
    runner_up: str | None
    margin: float | None
    intervals: tuple[Interval, ...]
    leave_one_out: tuple[LeaveOneOut, ...]
    label: str  # "solid" | "sensitive" | "shaky" | "none"

    @property
    def critical(self) -> tuple[Interval, ...]:
        """The criteria whose importance, changed within the scale, would flip the top."""
        return tuple(i for i in self.intervals if i.critical)


def robustness(
    questionnaire: Questionnaire,
    catalogue: Catalogue,
    answers: Mapping[str, Any] | Answers,
    matrix: Matrix | None = None,
) -> Robustness:
    """Exact stability intervals per criterion, leave-one-out, and an overall label."""
    if not isinstance(answers, Answers):
        answers = check_answers(questionnaire, answers, strict=False)
    matrix = matrix or decision_matrix(questionnaire, catalogue, answers)
    ids = matrix.platform_ids
    tops = matrix.top()
    if not tops:
        return Robustness((), None, None, (), (), "none")
    t = tops[0]  # the leader in the one order (matrix.ranked, as `advise`)
    # Rivals are the platforms that can share the first place: ranked ones (goals first), never
    # an approach that only complements a platform (it has no rank).
    scores = {
        i: matrix.score(i)
        for i in range(len(ids))
        if i not in matrix.excluded and matrix.tier(i) == SERVES and i not in matrix.complements
    }
    others = sorted(
        (i for i, s in scores.items() if i != t and s is not None),
        key=lambda i: (matrix.key(i), matrix.name(i).casefold(), ids[i]),
    )
    margin = (scores[t] or 0.0) - (scores[others[0]] or 0.0) if others else None
    # A platform without a score now (nothing that counts for it) may get one, and lead,
    # once a criterion it does meet gains weight: it is a rival too.
    rivals = others + sorted((i for i, s in scores.items() if s is None), key=lambda i: ids[i])
    # A shared first place: the ranges within which it stays with those who share it, not
    # with the one of them that happens to be named first.
    intervals = (
        shared_intervals(matrix, list(tops), rivals)
        if len(tops) > 1
        else stability_intervals(matrix, t, rivals)
    )
    loo = leave_one_out(questionnaire, answers, matrix, {ids[i] for i in tops})
    critical = sum(i.critical for i in intervals)
    flips = sum(x.changes for x in loo)
    if len(tops) > 1 or (margin is not None and margin < questionnaire.tie_margin) or critical >= 3:
        label = "shaky"
    elif critical or flips or not _surely_first(questionnaire, answers, matrix, t, others):
        label = "sensitive"
    else:
        label = "solid"
    return Robustness(
        tuple(ids[i] for i in tops),
        ids[others[0]] if others else None,
        margin,
        intervals,
        loo,
        label,
    )


def _surely_first(
    questionnaire: Questionnaire, answers: Answers, matrix: Matrix, t: int, others: list[int]
) -> bool:
    """Whether the leader surely beats every rival (its lowest reachable score is above their
    highest) and at least `min_coverage` percent of what matters is known about it: only
    then is the advice 'stevig'; a flip inside a wide range is never ruled out otherwise."""
    weights = matrix.weights
    top = row_scores(weights, matrix.low[t], matrix.high[t])
    coverage = top.coverage_with(open_weight(questionnaire, answers.values))
    if top.lower is None or coverage is None or coverage < questionnaire.min_coverage:
        return False
    for i in others:
        upper = row_scores(weights, matrix.low[i], matrix.high[i]).upper
        if upper is not None and upper >= top.lower - EPSILON:
            return False
    return True
