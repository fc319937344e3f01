"""The decision matrix behind an advice, shared by the analyses of how sure it is."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from kompas.engine.activation import active_criteria
from kompas.engine.answers import Answers
from kompas.engine.answers import check_answers
from kompas.engine.conditions import NA
from kompas.engine.goals import SERVES
from kompas.engine.goals import chosen_goals
from kompas.engine.goals import goal_tier
from kompas.engine.goals import is_complement
from kompas.engine.goals import order_key
from kompas.engine.kernel import EPSILON
from kompas.engine.kernel import bounds  # noqa: F401 (re-exported for the analyses)
from kompas.engine.kernel import counts_as_member
from kompas.engine.kernel import criterion_column
from kompas.engine.kernel import is_candidate
from kompas.engine.kernel import middle_score
from kompas.engine.kernel import must_outcomes
from kompas.engine.kernel import row_scores
from kompas.engine.model import Catalogue
from kompas.engine.model import Questionnaire
from kompas.engine.questionnaire_checks import ensure_compatible
from kompas.engine.result import ActiveCriterion


@dataclass(frozen=True, slots=True)
class Matrix:
    """What every platform reaches on every active criterion, as the score uses it.

    ``low[i][j]`` and ``high[i][j]`` bound platform i's satisfaction of criterion j: equal
    when the fact is known, 0 and 1 when it is unknown (not applicable as the criterion
    declares: 1, 0 or None, see kernel.bounds). The score is the weighted mean of the middle of low and high; `advise`
    ranks on exactly that number. `excluded` holds the platforms a must-have excludes and
    those that are not candidates (another municipality's own instance, a stopped project).
    """

    platform_ids: tuple[str, ...]
    active: tuple[ActiveCriterion, ...]
    low: tuple[tuple[float | None, ...], ...]
    high: tuple[tuple[float | None, ...], ...]
    excluded: frozenset[int]
    # (platform, criterion) cells where the criterion does not apply and, in a combination,
    # the other members carry it (see kernel.member_bounds).
    member_skip: frozenset[tuple[int, int]] = frozenset()
    # Goals first (engine.goals): the columns of the chosen goals (counted where they weigh), and
    # the platforms that only complement the others here (offline where digital is wanted).
    goals: tuple[int, ...] = ()
    complements: frozenset[int] = frozenset()
    # The platforms that are no candidates whatever the answers (own instances, stopped).
    outside: frozenset[int] = frozenset()
    # Platform names: the one order breaks equal keys by name, then id (as `advise` does).
    names: tuple[str, ...] = ()
    weights: tuple[float, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "weights", tuple(a.weight for a in self.active))

    def middle(self, i: int, j: int) -> float | None:
        """Platform i's middle satisfaction of criterion j (None: does not count)."""
        lo, hi = self.low[i][j], self.high[i][j]
        return None if lo is None or hi is None else (lo + hi) / 2

    def sums(self, i: int, weights: tuple[float, ...] | None = None) -> tuple[float, float]:
        """Weighted achievement and weight that counts, for platform i."""
        return middle_score(self.weights if weights is None else weights, self.low[i], self.high[i])

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

    def tier(
        self, i: int, weights: tuple[float, ...] | None = None, goals: tuple[int, ...] | None = None
    ) -> int:
        """Platform i's goal tier under the given weights and chosen goals (engine.goals)."""
        w = self.weights if weights is None else weights
        chosen = [j for j in (self.goals if goals is None else goals) if w[j] > 0]
        return goal_tier(self.low[i], self.high[i], chosen)

    def key(
        self, i: int, weights: tuple[float, ...] | None = None
    ) -> tuple[int, int, float, float]:
        """Platform i's key in the one order (goals.order_key), as `advise` computes it."""
        w = self.weights if weights is None else weights
        coverage = row_scores(w, self.low[i], self.high[i]).coverage
        return order_key(self.tier(i, weights), i in self.complements, self.score(i, w), coverage)

    def name(self, i: int) -> str:
        """Platform i's name for the tie order (its id when the matrix has no names)."""
        return self.names[i] if self.names else self.platform_ids[i]

    def top(self, weights: tuple[float, ...] | None = None) -> list[int]:
        """Indices of the ranked platforms that share the first place (ties included)."""
        ranked = self.ranked(weights)
        if not ranked:
            return []
        first = self.key(ranked[0], weights)
        best = self.score(ranked[0], weights) or 0.0
        return [
            i
            for i in ranked
            if self.key(i, weights)[:2] == first[:2]
            and (self.score(i, weights) or 0.0) >= best - EPSILON
        ]

    def ranked(self, weights: tuple[float, ...] | None = None) -> list[int]:
        """The ranked platforms, best first: no must-have excludes them, they are known to
        serve a chosen goal and do not only complement a platform; in the one order of
        `advise` (key, then name, then id)."""
        scores = self.scores(weights)
        keys = {
            i: self.key(i, weights)
            for i, s in scores.items()
            if s is not None and i not in self.complements and self.tier(i, weights) == SERVES
        }
        return sorted(keys, key=lambda i: (keys[i], self.name(i).casefold(), self.platform_ids[i]))


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
    columns = [criterion_column(questionnaire, catalogue, ac.id, answers) for ac in active]
    low = tuple(zip(*(col.low for col in columns), strict=True)) if columns else ((),) * n
    high = tuple(zip(*(col.high for col in columns), strict=True)) if columns else ((),) * n
    failed = must_outcomes([ac.must for ac in active], columns)
    excluded = frozenset(i for i, (fails, _verify) in failed.items() if fails)
    outside = frozenset(i for i, p in enumerate(catalogue.platforms) if not is_candidate(p))
    excluded |= outside
    skip = frozenset(
        (i, j)
        for j, (ac, col) in enumerate(zip(active, columns, strict=True))
        for i, raw in enumerate(col.raw)
        if raw is NA and not counts_as_member(questionnaire.criteria[ac.id], raw)
    )
    goal_ids = chosen_goals(questionnaire, answers)
    return Matrix(
        tuple(p.id for p in catalogue.platforms),
        active,
        low,
        high,
        excluded,
        skip,
        tuple(j for j, ac in enumerate(active) if ac.id in goal_ids),
        frozenset(
            i for i, p in enumerate(catalogue.platforms) if is_complement(questionnaire, p, answers)
        ),
        outside,
        tuple(p.name for p in catalogue.platforms),
    )
