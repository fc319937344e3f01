"""Branch and bound over combinations: the upper bound of a branch, the best combinations of
a size, and the best pairs of a platform and an offline approach."""

from __future__ import annotations

import heapq
from collections.abc import Callable
from collections.abc import Sequence
from operator import add as _add
from typing import Any

from kompas.engine.combination_rows import Rows
from kompas.engine.kernel import EPSILON
from kompas.engine.model import Catalogue
from kompas.engine.model import Questionnaire


def bounds(
    search: Rows,
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
    total = search.total_weight
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
            for h, x in zip(search.half_all, map(_add, l_lo, l_hi), strict=True)
        ]
    )
    fixed, sum_terms = _sum_terms(search, members, fixed)
    suffix_any = search.suffix_any if suffix_any is None else suffix_any
    suffix_unknown = search.suffix_unknown if suffix_unknown is None else suffix_unknown
    p_any = search.p_any

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


def _sum_terms(
    search: Rows, members: tuple[int, ...], fixed: float
) -> tuple[float, list[tuple[int, float, float, float]]]:
    """The 'sum' criteria's part of a bound: `fixed` plus the weight of those a later member
    may still bring in or raise, and per other counted one its index, weight, middle, and
    middle if a later member's number is unknown."""
    sum_terms: list[tuple[int, float, float, float]] = []
    if search.sum_cols:
        sums = search.sum_bounds(members) if members else [(None, None)] * len(search.sum_cols)
        for k, ((slo, shi), w) in enumerate(zip(sums, search.w_sum, strict=True)):
            if w <= 0:
                continue
            cond = search.criteria[search.sum_cols[k]].condition
            if slo is None or shi is None or (cond is not None and cond.op == "at_least"):
                fixed += w  # a later member may bring it in; a bigger sum can only help
            else:
                mid = (slo + shi) / 2
                sum_terms.append((k, w, mid, max(mid, 0.5)))
    return fixed, sum_terms


def best(
    search: Rows, size: int, limit: int
) -> list[tuple[float, float | None, tuple[int, ...], list[Any]]]:
    """The `limit` best combinations of `size` members."""
    heap: list[tuple[float, float, tuple[int, ...], tuple[int, ...], Any]] = []
    ids = search.matrix.platform_ids
    # Among equal scores the combination whose sorted ids come first wins; the heap keeps
    # the worst on top, so it compares negated id ranks.
    rank = {i: r for r, i in enumerate(sorted(range(len(ids)), key=ids.__getitem__))}

    def threshold() -> float:
        return heap[0][0] if len(heap) >= limit else -1.0

    def visit(state: tuple[Any, ...], pos: int) -> None:
        members = state[4]
        if len(members) == size:
            scored = search.score(state)
            if scored is None:
                return
            key = tuple(-r for r in sorted(rank[i] for i in members))
            entry = (scored[0], scored[1] or 0.0, key, members, state)
            full = len(heap) >= limit
            # Whether a member is a passenger is asked only of what would enter the heap.
            if full and entry[:3] <= heap[0][:3]:
                return
            # `brings_goals(members)` holds: the loop below only adds members that keep it.
            if not search.every_member_counts(members, scored[0]):
                return
            if full:
                heapq.heapreplace(heap, entry)
            else:
                heapq.heappush(heap, entry)
            return
        bound = bounds(search, state)
        for p in range(pos, len(search.candidates) - (size - len(members) - 1)):
            if bound(p) < threshold() - EPSILON:
                return  # later positions have lower bounds: the rest of this branch is done
            i = search.candidates[p]
            if members and not search.raises(state, i):
                continue  # it would be a passenger in every combination from here
            if not search.brings_goals((*members, i)):
                # More members only take goals away from each other, so no completion of
                # this branch has every member bringing a goal of its own.
                continue
            visit(search.add(state, i), p + 1)

    visit(search.start(), 0)
    ordered = sorted(heap, key=lambda e: (-e[0], -e[1], tuple(sorted(ids[i] for i in e[3]))))
    return [(e[0], e[1], e[3], search.criterion_bounds(e[4])) for e in ordered]


def with_offline(
    questionnaire: Questionnaire, catalogue: Catalogue, search: Rows, limit: int
) -> list[tuple[float, tuple[int, ...], list[tuple[float | None, float | None]]]]:
    """Best pairs of a platform and an offline approach, when the answers ask for offline access.

    Every platform is paired with every approach of the offline category (a small set), so
    this is exhaustive; as elsewhere, both members must add something. The approach
    complements the platform: both must be known to serve a chosen goal (the approach
    brings it to residents who are not online), and the platform carries the software
    requirements (see kernel.member_bounds).
    """
    wanted = questionnaire.offline_criterion
    if not wanted or not questionnaire.offline_category:
        return []
    if not any(a.id == wanted and (a.weight > 0 or a.must) for a in search.matrix.active):
        return []
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
        bound = bounds(search, single, best_offline, offline_unknown)(0)
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
    return [
        (-neg, members, search.criterion_bounds(state)) for neg, _cov, _ids, members, state in kept
    ]
