"""The rows of a combination search: each platform's low/high per criterion, split by
combine rule (any, all, sum), and the score of a combination built from them."""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
from operator import add as _add
from operator import and_ as _and
from operator import gt as _gt
from typing import Any

from kompas.engine.conditions import evaluate
from kompas.engine.fact_sums import sum_fact
from kompas.engine.kernel import EPSILON
from kompas.engine.kernel import is_candidate
from kompas.engine.kernel import member_bounds
from kompas.engine.matrix import Matrix
from kompas.engine.model import Catalogue
from kompas.engine.model import Questionnaire

POOL = 40  # up to this many eligible platforms, the search is exhaustive
SPECIALISTS = 2  # beyond it: per goal criterion, the best platforms at it join the pool
_ANY_EMPTY = -1.0  # neutral for max: a member to whom the criterion does not apply
_ALL_EMPTY = 2.0  # neutral for min


class Rows:
    """Rows split by combine rule, so adding a member is a few C-level map() calls."""

    def __init__(
        self,
        questionnaire: Questionnaire,
        catalogue: Catalogue,
        matrix: Matrix,
        answers: Mapping[str, Any],
    ) -> None:
        self.matrix = matrix
        self.answers = answers
        self.criteria = [questionnaire.criteria[a.id] for a in matrix.active]
        self.rules = [c.combine for c in self.criteria]
        self.platforms = catalogue.platforms
        self.cost_fact = (
            questionnaire.cost_fact if questionnaire.cost_fact in catalogue.facts else ""
        )
        weights = matrix.weights
        musts = [a.must for a in matrix.active]
        self.any_cols = [j for j, r in enumerate(self.rules) if r == "any"]
        self.all_cols = [j for j, r in enumerate(self.rules) if r == "all"]
        self.sum_cols = [j for j, r in enumerate(self.rules) if r == "sum"]
        self.sum_facts = {j: next(iter(self.criteria[j].facts())) for j in self.sum_cols}
        self._sums: dict[tuple[int, ...], list[tuple[float | None, float | None]]] = {}
        self._subsets: dict[tuple[int, ...], float | None] = {}
        self._scores: dict[tuple[int, ...], tuple[float, float | None] | None] = {}
        # An 'at least' sum (say, capacity) can make any extra member useful.
        self.grows_with_members = any(
            (cond := self.criteria[j].condition) is not None and cond.op == "at_least"
            for j in self.sum_cols
        )
        self.w_any = tuple(weights[j] for j in self.any_cols)
        self.w_all = tuple(weights[j] for j in self.all_cols)
        self.w_sum = tuple(weights[j] for j in self.sum_cols)
        self.must_any = [k for k, j in enumerate(self.any_cols) if musts[j]]
        # The chosen goals among the 'any' criteria (positions in any_cols): each member of a
        # combination must bring one of them that the other members lack.
        chosen = set(matrix.goals)
        self.goal_any = [k for k, j in enumerate(self.any_cols) if j in chosen and weights[j] > 0]
        self.must_all = [k for k, j in enumerate(self.all_cols) if musts[j]]
        self.must_sum = [k for k, j in enumerate(self.sum_cols) if musts[j]]
        self.total_weight = sum(w for w in weights if w > 0)
        n = len(matrix.platform_ids)
        self._split_rows(matrix, n)
        self.candidates = self._candidates(matrix, n)
        # From each position on: the best middle value a later candidate brings to each 'any'
        # criterion, and whether a later candidate's number for a 'sum' criterion is unknown.
        self.suffix_any, self.suffix_unknown = self.suffixes(self.candidates)
        self._vectors(n)

    def _split_rows(self, matrix: Matrix, n: int) -> None:
        """Each platform's lows and highs per 'any' and per 'all' criterion (neutral where one
        does not apply to it, or it does not count as a member)."""
        skip = matrix.member_skip

        def row(i: int, cols: list[int], empty: float, table: Any) -> tuple[float, ...]:
            return tuple(
                empty if table[i][j] is None or (i, j) in skip else table[i][j] for j in cols
            )

        self.any_lo = [row(i, self.any_cols, _ANY_EMPTY, matrix.low) for i in range(n)]
        self.any_hi = [row(i, self.any_cols, _ANY_EMPTY, matrix.high) for i in range(n)]
        self.all_lo = [row(i, self.all_cols, _ALL_EMPTY, matrix.low) for i in range(n)]
        self.all_hi = [row(i, self.all_cols, _ALL_EMPTY, matrix.high) for i in range(n)]

    def _candidates(self, matrix: Matrix, n: int) -> list[int]:
        """The platforms the search may combine, best score first: none that fails a
        must-have on its own or is no candidate."""
        skip = matrix.member_skip
        hard = {
            i
            for i in range(n)
            if any(self.all_hi[i][k] == 0.0 for k in self.must_all)
            or any(
                matrix.high[i][self.sum_cols[k]] == 0.0 and (i, self.sum_cols[k]) not in skip
                for k in self.must_sum
            )
            or not is_candidate(self.platforms[i])
        }
        scores = matrix.scores()
        return sorted(
            self._pool([i for i in range(n) if i not in hard], scores),
            key=lambda i: (-(scores.get(i) or 0.0), matrix.platform_ids[i]),
        )

    def _vectors(self, n: int) -> None:
        """Per-criterion vectors for score, bounds and raises (the search calls them for
        every combination it visits). Weights below 0 count as 0, as in the kernel."""
        self.p_any = tuple(max(w, 0.0) for w in self.w_any)
        self.p_all = tuple(max(w, 0.0) for w in self.w_all)
        self.half_all = tuple(w / 2 for w in self.p_all)
        self.ones_all = (1.0,) * len(self.all_cols)
        # lo + hi of each 'any' criterion a platform counts for; -3 where its weight is 0, so
        # it never "raises" one that does not count.
        self.any_sum = [
            tuple(
                lo + hi if w > 0 else -3.0
                for lo, hi, w in zip(self.any_lo[i], self.any_hi[i], self.w_any, strict=True)
            )
            for i in range(n)
        ]
        # Which 'all' criteria that count apply to a platform.
        self.all_present = [
            tuple(lo <= 1 and w > 0 for lo, w in zip(self.all_lo[i], self.w_all, strict=True))
            for i in range(n)
        ]
        self.sum_na = [
            tuple(
                self.platforms[i].fact(self.sum_facts[j]).status == "not_applicable"
                for j in self.sum_cols
            )
            for i in range(n)
        ]

    def suffixes(
        self, platforms: Sequence[int]
    ) -> tuple[list[tuple[float, ...]], list[tuple[bool, ...]]]:
        """From each position of a list on: the best middle value a later platform brings to
        each 'any' criterion, and whether a later platform's 'sum' number is unknown."""
        count = len(platforms)
        best: list[tuple[float, ...]] = [(_ANY_EMPTY,) * len(self.any_cols)] * (count + 1)
        unknowns: list[tuple[bool, ...]] = [(False,) * len(self.sum_cols)] * (count + 1)
        for pos in range(count - 1, -1, -1):
            i = platforms[pos]
            mids = tuple(
                _ANY_EMPTY if lo < 0 else (lo + hi) / 2
                for lo, hi in zip(self.any_lo[i], self.any_hi[i], strict=True)
            )
            best[pos] = tuple(map(max, best[pos + 1], mids))
            unknown = tuple(
                self.platforms[i].fact(self.sum_facts[j]).status == "unknown" for j in self.sum_cols
            )
            unknowns[pos] = tuple(map(max, unknowns[pos + 1], unknown))
        return best, unknowns

    def _pool(self, eligible: list[int], scores: dict[int, float | None]) -> list[int]:
        """The platforms searched: all of them up to POOL, else the best plus specialists.

        Up to POOL eligible platforms the search is exhaustive. Beyond that it keeps the
        POOL best by score and, per goal ('any') criterion, the SPECIALISTS best at it, so
        a platform that is weak overall but alone in covering a goal stays in.
        """
        if len(eligible) <= POOL:
            return eligible
        ids = self.matrix.platform_ids

        def overall(i: int) -> tuple[float, str]:
            return -(scores.get(i) or 0.0), ids[i]

        chosen = set(sorted(eligible, key=overall)[:POOL])
        for k, w in enumerate(self.w_any):
            if w <= 0:
                continue
            best = sorted(
                (i for i in eligible if self.any_lo[i][k] >= 0),
                key=lambda i: (-(self.any_lo[i][k] + self.any_hi[i][k]), *overall(i)),
            )
            chosen.update(best[:SPECIALISTS])
        return sorted(chosen)

    def start(self) -> tuple[Any, ...]:
        """The aggregate of an empty combination."""
        a = (_ANY_EMPTY,) * len(self.any_cols)
        b = (_ALL_EMPTY,) * len(self.all_cols)
        return a, a, b, b, ()

    def add(self, state: tuple[Any, ...], i: int) -> tuple[Any, ...]:
        """The aggregate with platform i added."""
        a_lo, a_hi, l_lo, l_hi, members = state
        if not members:
            # max with the 'any' neutral and min with the 'all' neutral change nothing: a
            # one-member aggregate is the platform's own rows.
            return self.any_lo[i], self.any_hi[i], self.all_lo[i], self.all_hi[i], (i,)
        return (
            # Conditional expressions, not map(max, ...): builtin max with two arguments is
            # about three times slower, and the search adds members thousands of times.
            tuple([x if x > y else y for x, y in zip(a_lo, self.any_lo[i], strict=True)]),
            tuple([x if x > y else y for x, y in zip(a_hi, self.any_hi[i], strict=True)]),
            tuple([x if x < y else y for x, y in zip(l_lo, self.all_lo[i], strict=True)]),
            tuple([x if x < y else y for x, y in zip(l_hi, self.all_hi[i], strict=True)]),
            (*members, i),
        )

    def sum_bounds(self, members: tuple[int, ...]) -> list[tuple[float | None, float | None]]:
        cached = self._sums.get(members)
        if cached is not None:
            return cached
        result = []
        for j in self.sum_cols:
            criterion = self.criteria[j]
            fact = sum_fact([self.platforms[i].fact(self.sum_facts[j]) for i in members])
            raw = (
                evaluate(criterion.condition, {fact.id: fact}, self.answers)
                if criterion.condition
                else None
            )
            result.append(member_bounds(criterion, raw))
        self._sums[members] = result
        return result

    def criterion_bounds(self, state: tuple[Any, ...]) -> list[tuple[float | None, float | None]]:
        """Low and high of every criterion for a complete combination, in matrix order.

        A criterion that applies to no member is not provided by the combination: not met.
        """
        a_lo, a_hi, l_lo, l_hi, members = state
        per: list[tuple[float | None, float | None]] = [(0.0, 0.0)] * len(self.rules)
        for k, j in enumerate(self.any_cols):
            if a_lo[k] >= 0:
                per[j] = (a_lo[k], a_hi[k])
        for k, j in enumerate(self.all_cols):
            if l_lo[k] <= 1:
                per[j] = (l_lo[k], l_hi[k])
        for j, b in zip(self.sum_cols, self.sum_bounds(members), strict=True):
            if b[0] is not None:
                per[j] = b
        return per

    def score(self, state: tuple[Any, ...]) -> tuple[float, float | None] | None:
        """Score and coverage of a complete combination; None if a must-have fails.

        The same numbers as kernel.middle_score over `criterion_bounds`, unrolled because
        the search calls it for every combination it visits: a criterion that applies to
        no member counts as not met (0, 0).
        """
        a_lo, a_hi, l_lo, l_hi, members = state
        # A combination's score does not depend on the order its members were added in;
        # the offline pairs and `every_member_counts` meet many the search already scored.
        key = tuple(sorted(members))
        if key in self._scores:
            return self._scores[key]
        result = self._score(a_lo, a_hi, l_lo, l_hi, members)
        self._scores[key] = result
        return result

    def _score(
        self,
        a_lo: tuple[float, ...],
        a_hi: tuple[float, ...],
        l_lo: tuple[float, ...],
        l_hi: tuple[float, ...],
        members: tuple[int, ...],
    ) -> tuple[float, float | None] | None:
        if any(a_hi[k] <= 0.0 for k in self.must_any) or any(
            l_hi[k] <= 0.0 or l_lo[k] > 1 for k in self.must_all
        ):
            return None
        sums = self.sum_bounds(members) if self.sum_cols else []
        for k in self.must_sum:
            lo, hi = sums[k]
            if lo is None or hi is None or hi <= 0.0:
                return None
        total = self.total_weight
        if total <= 0:
            return None
        # An 'any' criterion no member counts for is (-1, -1), an 'all' one (2, 2): neither
        # adds to the achievement (lo + hi is -2 or 4), both count as known (lo == hi).
        achieved = sum(
            [w * s for w, s in zip(self.p_any, map(_add, a_lo, a_hi), strict=True) if s > 0]
        ) + sum([w * s for w, s in zip(self.p_all, map(_add, l_lo, l_hi), strict=True) if s <= 2])
        known = sum(
            [w for w, lo, hi in zip(self.p_any, a_lo, a_hi, strict=True) if lo == hi]
        ) + sum([w for w, lo, hi in zip(self.p_all, l_lo, l_hi, strict=True) if lo == hi])
        for (slo, shi), w in zip(sums, self.w_sum, strict=True):
            if w <= 0:
                continue
            if slo is None or shi is None:
                known += w
                continue
            achieved += w * (slo + shi)
            if slo == shi:
                known += w
        return 50.0 * achieved / total, 100.0 * known / total

    def raises(self, state: tuple[Any, ...], i: int) -> bool:
        """Whether platform i lifts some criterion above the members so far, or brings one in.

        A member that does neither can be left out without lowering the score (the weakest
        link of 'all' criteria and the sum of costs only get better without it), so no
        combination with it and these members passes `every_member_counts`.
        """
        if self.grows_with_members:
            return True
        a_lo, a_hi, l_lo, _l_hi, members = state
        if any(map(_gt, self.any_sum[i], map(_add, a_lo, a_hi))):
            return True
        # A criterion none of the members so far counts (not applicable to all) may start to
        # count with i, which can raise the mean.
        if any(map(_and, map(_gt, l_lo, self.ones_all), self.all_present[i])):
            return True
        return any(
            all(self.sum_na[m][k] for m in members) and not self.sum_na[i][k]
            for k in range(len(self.sum_cols))
        )

    def subset_score(self, members: tuple[int, ...]) -> float | None:
        """The score of a smaller combination (memoised); None if a must-have fails."""
        if members not in self._subsets:
            if len(members) == 1:
                i = members[0]
                self._subsets[members] = None if i in self.matrix.excluded else self.matrix.score(i)
            else:
                key = tuple(sorted(members))
                if key in self._scores:
                    scored = self._scores[key]
                else:
                    state = self.start()
                    for i in members:
                        state = self.add(state, i)
                    scored = self.score(state)
                self._subsets[members] = None if scored is None else scored[0]
        return self._subsets[members]

    def serves(self, i: int, k: int) -> bool:
        """Whether platform i is known to serve (at least partly) the goal at any-position k."""
        return self.any_lo[i][k] > 0

    def brings_goals(self, members: tuple[int, ...]) -> bool:
        """Whether every member brings a chosen goal the others are not known to serve.

        So a combination meets a must-have only through members that carry goals, and no
        member rides along for its requirements alone. Without chosen goals: always.
        """
        if not self.goal_any:
            return True
        return all(
            any(
                self.serves(m, k) and not any(self.serves(o, k) for o in members if o != m)
                for k in self.goal_any
            )
            for m in members
        )

    def serves_a_goal(self, i: int) -> bool:
        """Whether platform i is known to serve at least one chosen goal (True without goals)."""
        return not self.goal_any or any(self.serves(i, k) for k in self.goal_any)

    def every_member_counts(self, members: tuple[int, ...], score: float) -> bool:
        """Whether leaving out any member would lower the score: no passengers."""
        for k in range(len(members)):
            rest = members[:k] + members[k + 1 :]
            other = self.subset_score(rest)
            if other is not None and other >= score - EPSILON:
                return False
        return True
