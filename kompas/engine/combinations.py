"""Platforms side by side: the best pairs and triples, found exactly by branch and bound.

Per criterion, ``combine`` in questions.yaml says how several platforms score together:
``any`` (one member suffices: a goal such as burenhulp), ``all`` (every member must:
a requirement such as no ads; the weakest member counts) or ``sum`` (the members'
numbers add up, such as costs against the budget). The search visits combinations
best-first and skips every branch whose upper bound cannot reach the results so far,
so it returns the same best combinations as trying them all. Catalogues of more than
POOL eligible platforms are searched among the best POOL and, per goal, the best
SPECIALISTS at it (the shipped catalogue is far below that).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from operator import add as _add
from operator import and_ as _and
from operator import gt as _gt
from types import MappingProxyType
from typing import Any

from kompas.engine.answers import Answers
from kompas.engine.answers import check_answers
from kompas.engine.conditions import evaluate
from kompas.engine.kernel import EPSILON
from kompas.engine.kernel import is_candidate
from kompas.engine.kernel import member_bounds
from kompas.engine.matrix import Matrix
from kompas.engine.matrix import decision_matrix
from kompas.engine.model import Catalogue
from kompas.engine.model import Fact
from kompas.engine.model import Questionnaire

POOL = 40  # up to this many eligible platforms, the search is exhaustive
SPECIALISTS = 2  # beyond it: per goal criterion, the best platforms at it join the pool
_ANY_EMPTY = -1.0  # neutral for max: a member to whom the criterion does not apply
_ALL_EMPTY = 2.0  # neutral for min


@dataclass(frozen=True, slots=True)
class Combination:
    """Several platforms side by side, scored together."""

    platform_ids: tuple[str, ...]
    score: float
    lower: float
    upper: float
    fit: float | None
    coverage: float | None
    covers: Mapping[str, tuple[str, ...]]  # platform -> goal criteria it meets
    overlaps: tuple[tuple[str, tuple[str, ...]], ...]  # goal criterion -> members that all meet it
    sums: tuple[tuple[str, Fact], ...]  # sum criterion -> the members' combined fact
    gains: tuple[str, ...]  # criteria where it does better than the best single platform
    losses: tuple[str, ...]  # criteria where it does worse than the best single platform
    # The combined yearly cost range in euro (None when a member's price is unknown, or the
    # questionnaire names no cost fact), and the members whose price is unknown.
    cost_low: float | None = None
    cost_high: float | None = None
    cost_unknown: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Combinations:
    """The best pairs and triples, beside the best single platform."""

    accepted: bool | None  # the advisor's answer to the questionnaire's combinations question
    best_single: str | None
    best_single_score: float | None
    by_size: Mapping[int, tuple[Combination, ...]]
    # The best pairs of one platform and one offline approach, when offline residents matter.
    with_offline: tuple[Combination, ...] = ()

    @property
    def pairs(self) -> tuple[Combination, ...]:
        """The best pairs."""
        return self.by_size.get(2, ())

    @property
    def triples(self) -> tuple[Combination, ...]:
        """The best triples."""
        return self.by_size.get(3, ())

    def beats_single(self, combination: Combination) -> bool:
        """Whether a combination scores higher than the best single platform."""
        return (
            self.best_single_score is None or combination.score > self.best_single_score + EPSILON
        )


class _Search:
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

        skip = matrix.member_skip

        def row(i: int, cols: list[int], empty: float, table: Any) -> tuple[float, ...]:
            return tuple(
                empty if table[i][j] is None or (i, j) in skip else table[i][j] for j in cols
            )

        self.any_lo = [row(i, self.any_cols, _ANY_EMPTY, matrix.low) for i in range(n)]
        self.any_hi = [row(i, self.any_cols, _ANY_EMPTY, matrix.high) for i in range(n)]
        self.all_lo = [row(i, self.all_cols, _ALL_EMPTY, matrix.low) for i in range(n)]
        self.all_hi = [row(i, self.all_cols, _ALL_EMPTY, matrix.high) for i in range(n)]
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
        self.candidates = sorted(
            self._pool([i for i in range(n) if i not in hard], scores),
            key=lambda i: (-(scores.get(i) or 0.0), matrix.platform_ids[i]),
        )
        # From each position on: the best middle value a later candidate brings to each 'any'
        # criterion, and whether a later candidate's number for a 'sum' criterion is unknown.
        self.suffix_any, self.suffix_unknown = self.suffixes(self.candidates)

        # Per-criterion vectors for score, bounds and raises (the search calls them for
        # every combination it visits). Weights below 0 count as 0, as in the kernel.
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

    def _sum_bounds(self, members: tuple[int, ...]) -> list[tuple[float | None, float | None]]:
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
        for j, b in zip(self.sum_cols, self._sum_bounds(members), strict=True):
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
        sums = self._sum_bounds(members) if self.sum_cols else []
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

    def bounds(
        self,
        state: tuple[Any, ...],
        suffix_any: Sequence[tuple[float, ...]] | None = None,
        suffix_unknown: Sequence[tuple[bool, ...]] | None = None,
    ) -> Callable[[int], float]:
        """The upper bound of a state's completions, per first position still open.

        By default the positions are the candidates'; `suffix_any` and `suffix_unknown`
        give them for another list of platforms the completions come from.

        Every criterion counts in a combination's score (one that applies to no member as
        not met), so the denominator is the total weight and each criterion's best reachable
        middle satisfaction bounds its term. What does not depend on the position is summed
        once per state; the search then asks for position after position.
        """
        total = self.total_weight
        if total <= 0:
            return lambda _pos: 100.0
        a_lo, a_hi, l_lo, l_hi, members = state
        # Middle of each 'any' criterion so far (0 where no member counts for it).
        current = tuple([0.5 * x if x > 0 else 0.0 for x in map(_add, a_lo, a_hi)])
        # More members only lower the weakest link of an 'all' criterion; none counting yet:
        # at most 1, which min(lo + hi, 2) / 2 also gives for the empty (2, 2).
        fixed = sum(
            [
                h * (x if x < 2 else 2.0)
                for h, x in zip(self.half_all, map(_add, l_lo, l_hi), strict=True)
            ]
        )
        # Per counted 'sum' criterion: its index, weight, middle, and middle if a later
        # member's number is unknown.
        sum_terms: list[tuple[int, float, float, float]] = []
        if self.sum_cols:
            sums = self._sum_bounds(members) if members else [(None, None)] * len(self.sum_cols)
            for k, ((slo, shi), w) in enumerate(zip(sums, self.w_sum, strict=True)):
                if w <= 0:
                    continue
                cond = self.criteria[self.sum_cols[k]].condition
                if slo is None or shi is None or (cond is not None and cond.op == "at_least"):
                    fixed += w  # a later member may bring it in; a bigger sum can only help
                else:
                    mid = (slo + shi) / 2
                    sum_terms.append((k, w, mid, max(mid, 0.5)))
        suffix_any = self.suffix_any if suffix_any is None else suffix_any
        suffix_unknown = self.suffix_unknown if suffix_unknown is None else suffix_unknown
        p_any = self.p_any

        def bound(pos: int) -> float:
            # `suffix_any[pos]` is the best middle a later candidate brings (-1: none applies).
            achieved = fixed + sum(
                [
                    w * (x if x > y else y)
                    for w, x, y in zip(p_any, current, suffix_any[pos], strict=True)
                ]
            )
            for k, w, mid, open_mid in sum_terms:
                achieved += w * (open_mid if suffix_unknown[pos][k] else mid)
            return 100.0 * achieved / total

        return bound

    def best(
        self, size: int, limit: int
    ) -> list[tuple[float, float | None, tuple[int, ...], list[Any]]]:
        """The `limit` best combinations of `size` members."""
        heap: list[tuple[float, float, tuple[int, ...], tuple[int, ...], Any]] = []
        ids = self.matrix.platform_ids
        # Among equal scores the combination whose sorted ids come first wins; the heap keeps
        # the worst on top, so it compares negated id ranks.
        rank = {i: r for r, i in enumerate(sorted(range(len(ids)), key=ids.__getitem__))}

        def threshold() -> float:
            return heap[0][0] if len(heap) >= limit else -1.0

        def visit(state: tuple[Any, ...], pos: int) -> None:
            members = state[4]
            if len(members) == size:
                scored = self.score(state)
                if scored is None:
                    return
                key = tuple(-r for r in sorted(rank[i] for i in members))
                entry = (scored[0], scored[1] or 0.0, key, members, state)
                full = len(heap) >= limit
                # Whether a member is a passenger is asked only of what would enter the heap.
                if full and entry[:3] <= heap[0][:3]:
                    return
                if not self.brings_goals(members):
                    return
                if not self.every_member_counts(members, scored[0]):
                    return
                if full:
                    heapq.heapreplace(heap, entry)
                else:
                    heapq.heappush(heap, entry)
                return
            bound = self.bounds(state)
            for p in range(pos, len(self.candidates) - (size - len(members) - 1)):
                if bound(p) < threshold() - EPSILON:
                    return  # later positions have lower bounds: the rest of this branch is done
                i = self.candidates[p]
                if members and not self.raises(state, i):
                    continue  # it would be a passenger in every combination from here
                visit(self.add(state, i), p + 1)

        visit(self.start(), 0)
        ordered = sorted(heap, key=lambda e: (-e[0], -e[1], tuple(sorted(ids[i] for i in e[3]))))
        return [(e[0], e[1], e[3], self.criterion_bounds(e[4])) for e in ordered]


def sum_fact(facts: list[Fact]) -> Fact:
    """The sum of numeric or range facts; unknown as soon as one member's is unknown."""
    counted = [f for f in facts if f.status != "not_applicable"]
    if not counted:
        return Fact(facts[0].id if facts else "", "not_applicable")
    if any(not f.known for f in counted):
        aboves = [f.above for f in counted if not f.known and f.above is not None]
        if not aboves:
            return Fact(counted[0].id, "unknown")
        # Known to exceed what the known members cost plus what the others are known to exceed.
        floor = sum(_low(f.value) for f in counted if f.known) + sum(aboves)
        return Fact(counted[0].id, "unknown", above=floor)
    low = high = 0.0
    ranged = False
    for f in counted:
        if isinstance(f.value, Mapping):
            ranged = True
            low += f.value["min"]
            high += f.value["max"]
        else:
            low += f.value
            high += f.value
    value: Any = MappingProxyType({"min": low, "max": high}) if ranged else low
    return Fact(counted[0].id, "known", value)


def _low(value: Any) -> float:
    return float(value["min"]) if isinstance(value, Mapping) else float(value)


def combinations(
    questionnaire: Questionnaire,
    catalogue: Catalogue,
    answers: Mapping[str, Any] | Answers,
    sizes: tuple[int, ...] = (2, 3),
    limit: int = 3,
    matrix: Matrix | None = None,
) -> Combinations:
    """The best combinations of each size, beside the best single platform."""
    if not isinstance(answers, Answers):
        answers = check_answers(questionnaire, answers, strict=False)
    matrix = matrix or decision_matrix(questionnaire, catalogue, answers)
    search = _Search(questionnaire, catalogue, matrix, answers.values)
    ranked = matrix.ranked()
    top = ranked[0] if ranked else None
    by_size = {
        size: tuple(
            _describe(search, members, score, per, top)
            for score, _coverage, members, per in search.best(size, limit)
        )
        for size in sizes
    }
    qid = questionnaire.combinations_question
    accepted = answers.values.get(qid) if qid else None
    return Combinations(
        accepted,
        matrix.platform_ids[top] if top is not None else None,
        matrix.score(top) if top is not None else None,
        MappingProxyType(by_size),
        _with_offline(questionnaire, catalogue, search, top, limit),
    )


def _with_offline(
    questionnaire: Questionnaire, catalogue: Catalogue, search: _Search, top: int | None, limit: int
) -> tuple[Combination, ...]:
    """Best pairs of a platform and an offline approach, when the answers ask for offline access.

    Every platform is paired with every approach of the offline category (a small set), so
    this is exhaustive; as elsewhere, both members must add something. The approach
    complements the platform: both must be known to serve a chosen goal (the approach
    brings it to residents who are not online), and the platform carries the software
    requirements (see kernel.member_bounds).
    """
    wanted = questionnaire.offline_criterion
    if not wanted or not questionnaire.offline_category:
        return ()
    if not any(a.id == wanted and (a.weight > 0 or a.must) for a in search.matrix.active):
        return ()
    offline = [
        i
        for i in search.candidates
        if catalogue.platforms[i].category == questionnaire.offline_category
    ]
    offline = [i for i in offline if search.serves_a_goal(i)]
    others = [i for i in search.candidates if i not in offline and search.serves_a_goal(i)]
    others = [
        i for i in others if catalogue.platforms[i].category != questionnaire.offline_category
    ]
    ids = search.matrix.platform_ids
    kept: list[tuple[Any, ...]] = []  # the best `limit` so far, best first
    best_offline, offline_unknown = search.suffixes(offline)
    for platform in others:
        single = search.add(search.start(), platform)
        # No pair of this platform and an approach beats its bound: once that is below the
        # last pair kept, none of its pairs can enter.
        bound = search.bounds(single, best_offline, offline_unknown)(0)
        if len(kept) >= limit and bound < -kept[-1][0] - EPSILON:
            continue
        for approach in offline:
            state = search.add(single, approach)
            result = search.score(state)
            if result is None:
                continue
            members = (platform, approach)
            entry = (-result[0], -(result[1] or 0.0), (ids[platform], ids[approach]))
            if len(kept) >= limit and entry >= kept[-1][:3]:
                continue  # it would not be kept: whether a member is a passenger is moot
            if not search.every_member_counts(members, result[0]):
                continue
            kept.append((*entry, members, state))
            kept.sort(key=lambda e: e[:3])
            del kept[limit:]
    return tuple(
        _describe(search, members, -neg, search.criterion_bounds(state), top)
        for neg, _cov, _ids, members, state in kept
    )


def _describe(
    search: _Search,
    members: tuple[int, ...],
    score: float,
    per: list[tuple[float | None, float | None]],
    top: int | None,
) -> Combination:
    matrix = search.matrix
    ids = matrix.platform_ids
    covers: dict[str, list[str]] = {ids[i]: [] for i in members}
    overlaps, gains, losses = [], [], []
    lows = highs = total = known = fit = 0.0
    for j, (ac, rule, (lo, hi)) in enumerate(zip(matrix.active, search.rules, per, strict=True)):
        if rule == "any" and ac.weight > 0:
            meeting = [ids[i] for i in members if matrix.low[i][j] == 1.0]
            for pid in meeting:
                covers[pid].append(ac.id)
            if len(meeting) > 1:
                overlaps.append((ac.id, tuple(meeting)))
        if lo is None or ac.weight <= 0:
            continue
        if top is not None:
            single_lo, single_hi = matrix.low[top][j], matrix.high[top][j]
            single = None if single_lo is None else (single_lo + single_hi) / 2  # type: ignore[operator]
            mid = (lo + hi) / 2  # type: ignore[operator]
            if single is None or mid > single + EPSILON:
                gains.append(ac.id)
            elif mid < single - EPSILON:
                losses.append(ac.id)
        total += ac.weight
        lows += ac.weight * lo
        highs += ac.weight * hi  # type: ignore[operator]
        if lo == hi:
            known += ac.weight
            fit += ac.weight * lo
    sums = tuple(
        (matrix.active[j].id, sum_fact([search.platforms[i].fact(fact_id) for i in members]))
        for j, fact_id in search.sum_facts.items()
    )
    cost_low, cost_high, cost_unknown = _cost(search, members)
    return Combination(
        tuple(ids[i] for i in members),
        score,
        100.0 * lows / total if total else 0.0,
        100.0 * highs / total if total else 0.0,
        100.0 * fit / known if known else None,
        100.0 * known / total if total else None,
        MappingProxyType({k: tuple(v) for k, v in covers.items()}),
        tuple(overlaps),
        sums,
        tuple(gains),
        tuple(losses),
        cost_low,
        cost_high,
        cost_unknown,
    )


def _cost(
    search: _Search, members: tuple[int, ...]
) -> tuple[float | None, float | None, tuple[str, ...]]:
    """The members' combined yearly cost range, or the members whose price is unknown."""
    fact_id = search.cost_fact
    if not fact_id:
        return None, None, ()
    facts = [search.platforms[i].fact(fact_id) for i in members]
    unknown = tuple(
        search.matrix.platform_ids[i]
        for i, f in zip(members, facts, strict=True)
        if f.status == "unknown"
    )
    if unknown:
        return None, None, unknown
    total = sum_fact(facts)
    if not total.known:  # no member has a price that applies: nothing to pay for the platforms
        return 0.0, 0.0, ()
    if isinstance(total.value, Mapping):
        return float(total.value["min"]), float(total.value["max"]), ()
    return float(total.value), float(total.value), ()
