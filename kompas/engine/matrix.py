"""The decision matrix behind an advice, shared by the analyses of how sure it is."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from kompas.engine.answers import Answers
from kompas.engine.answers import check_answers
from kompas.engine.conditions import NA
from kompas.engine.model import Catalogue
from kompas.engine.model import Criterion
from kompas.engine.model import Questionnaire
from kompas.engine.questionnaire import ensure_compatible
from kompas.engine.result import ActiveCriterion
from kompas.engine.scoring import active_criteria
from kompas.engine.scoring import criterion_column

EPSILON = 1e-9


@dataclass(frozen=True, slots=True)
class Matrix:
    """What every platform reaches on every active criterion, as the score uses it.

    ``low[i][j]`` and ``high[i][j]`` bound platform i's satisfaction of criterion j: equal
    when the fact is known, 0 and 1 when it is unknown, None where the criterion does not
    count for the platform (not applicable, rule 'skip'). The score is the weighted mean
    of the middle of low and high; `advise` ranks on exactly that number.
    """

    platform_ids: tuple[str, ...]
    active: tuple[ActiveCriterion, ...]
    low: tuple[tuple[float | None, ...], ...]
    high: tuple[tuple[float | None, ...], ...]
    excluded: frozenset[int]
    weights: tuple[float, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "weights", tuple(a.weight for a in self.active))

    def middle(self, i: int, j: int) -> float | None:
        """Platform i's middle satisfaction of criterion j (None: does not count)."""
        lo = self.low[i][j]
        return None if lo is None else (lo + self.high[i][j]) / 2  # type: ignore[operator]

    def sums(self, i: int, weights: tuple[float, ...] | None = None) -> tuple[float, float]:
        """Weighted achievement and weight that counts, for platform i."""
        w = self.weights if weights is None else weights
        total = achieved = 0.0
        for wj, lo, hi in zip(w, self.low[i], self.high[i], strict=True):
            if lo is None or wj <= 0:
                continue
            total += wj
            achieved += wj * (lo + hi) / 2  # type: ignore[operator]
        return achieved, total

    def score(self, i: int, weights: tuple[float, ...] | None = None) -> float | None:
        """Platform i's score (0-100) under the given weights (default: the answers')."""
        achieved, total = self.sums(i, weights)
        return 100.0 * achieved / total if total > 0 else None

    def scores(self, weights: tuple[float, ...] | None = None) -> dict[int, float | None]:
        """The score of every platform no must-have excludes."""
        return {
            i: self.score(i, weights)
            for i in range(len(self.platform_ids))
            if i not in self.excluded
        }

    def top(self, weights: tuple[float, ...] | None = None) -> list[int]:
        """Indices of the non-excluded platforms with the highest score (ties included)."""
        scores = self.scores(weights)
        known = [s for s in scores.values() if s is not None]
        if not known:
            return []
        best = max(known)
        return [i for i, s in scores.items() if s is not None and s >= best - EPSILON]

    def ranked(self, weights: tuple[float, ...] | None = None) -> list[int]:
        """Non-excluded platforms with a score, best first (ties by id)."""
        scores = self.scores(weights)
        return sorted(
            (i for i, s in scores.items() if s is not None),
            key=lambda i: (-(scores[i] or 0.0), self.platform_ids[i]),
        )


def bounds(criterion: Criterion, raw: Any) -> tuple[float | None, float | None]:
    """Low and high satisfaction from a raw evaluation (None, None: does not count)."""
    if raw is NA:
        return (0.0, 0.0) if criterion.not_applicable == "unmet" else (None, None)
    if raw is None:
        return 0.0, 1.0
    return float(raw), float(raw)


def decision_matrix(
    questionnaire: Questionnaire, catalogue: Catalogue, answers: Mapping[str, Any] | Answers
) -> Matrix:
    """The matrix of satisfactions and the exclusions for a set of answers."""
    ensure_compatible(questionnaire, catalogue)
    if not isinstance(answers, Answers):
        answers = check_answers(questionnaire, answers, strict=False)
    return build_matrix(
        questionnaire, catalogue, active_criteria(questionnaire, answers), answers.values
    )


def build_matrix(
    questionnaire: Questionnaire,
    catalogue: Catalogue,
    active: tuple[ActiveCriterion, ...],
    answers: Mapping[str, Any],
) -> Matrix:
    """The matrix for given active criteria (columns come from the scorer's cache)."""
    n = len(catalogue.platforms)
    columns = []
    for ac in active:
        criterion = questionnaire.criteria[ac.id]
        raw = criterion_column(questionnaire, catalogue, ac.id, answers).raw
        columns.append([bounds(criterion, r) for r in raw])
    low = tuple(tuple(col[i][0] for col in columns) for i in range(n))
    high = tuple(tuple(col[i][1] for col in columns) for i in range(n))
    excluded = frozenset(
        i
        for i in range(n)
        if any(ac.must and col[i][1] == 0.0 for ac, col in zip(active, columns, strict=True))
    )
    return Matrix(tuple(p.id for p in catalogue.platforms), active, low, high, excluded)
