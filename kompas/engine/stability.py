"""Exact stability intervals: how far one criterion's weight can move before the top changes.

Scores are ratios of linear functions of any one criterion's weight, so the weights at
which another platform overtakes the top are roots of a quadratic: computed exactly,
not by sampling.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from fractions import Fraction

from kompas.engine.kernel import EPSILON
from kompas.engine.kernel import MAX_WEIGHT
from kompas.engine.matrix import Matrix


@dataclass(frozen=True, slots=True)
class Interval:
    """The weights of one criterion within which the current top (all who share it) stays on top."""

    criterion_id: str
    label: str
    weight: float
    lower: float
    upper: float  # math.inf when no weight makes another platform overtake
    below: str | None  # the platform that takes over under `lower`
    above: str | None  # the platform that takes over above `upper`

    @property
    def critical(self) -> bool:
        """Whether a change within the importance scale (0-3) would change the top."""
        return self.lower > EPSILON or self.upper < MAX_WEIGHT - EPSILON


def stability_intervals(matrix: Matrix, t: int, rivals: list[int]) -> tuple[Interval, ...]:
    """Per weighing criterion: the weights within which leader t stays ahead of every rival."""
    ids = matrix.platform_ids
    intervals = []
    sums = {i: matrix.sums(i) for i in [t, *rivals]}
    for j, ac in enumerate(matrix.active):
        if ac.must:
            continue
        lower, upper, below, above = 0.0, math.inf, None, None
        for p in rivals:
            lo, hi = _stable_range(_difference(matrix, sums, t, p, j), ac.weight)
            # Two rivals overtaking at the same weight: name the one that leads past it.
            if hi < upper - EPSILON or (
                abs(hi - upper) < EPSILON
                and above is not None
                and _takes_over(matrix, sums, p, ids.index(above), j, hi, 1)
            ):
                upper, above = hi, ids[p]
            if lo > lower + EPSILON or (
                abs(lo - lower) < EPSILON
                and lo > 0
                and below is not None
                and _takes_over(matrix, sums, p, ids.index(below), j, lo, -1)
            ):
                lower, below = lo, ids[p]
        intervals.append(Interval(ac.id, ac.label, ac.weight, lower, upper, below, above))
    return tuple(intervals)


def _takes_over(
    matrix: Matrix,
    sums: dict[int, tuple[float, float]],
    p: int,
    q: int,
    j: int,
    x: float,
    side: int,
) -> bool:
    """Whether rival p rather than rival q leads just past weight x on `side` (+1 above, -1
    below); on a tie there too, the one first in id order, so the name never depends on order."""
    c = _difference(matrix, sums, p, q, j)
    roots = sorted({r for r in _roots(*c) if r > 0})
    if side > 0:
        further = [r for r in roots if r > x + EPSILON]
        probe = (x + further[0]) / 2 if further else x + 1.0
    else:
        nearer = [r for r in roots if r < x - EPSILON]
        probe = (x + nearer[-1]) / 2 if nearer else x / 2
    sign = _sign(c, probe)
    return sign > 0 or (sign == 0 and matrix.platform_ids[p] < matrix.platform_ids[q])


def _difference(
    matrix: Matrix, sums: dict[int, tuple[float, float]], t: int, p: int, j: int
) -> tuple[float, float, float]:
    """Coefficients of (score_t - score_p) x denominators, as a polynomial in weight x of j."""
    wj = matrix.weights[j]

    def parts(i: int) -> tuple[float, float, float, float]:
        achieved, total = sums[i]
        mid = matrix.middle(i, j)
        if mid is None:
            return achieved, total, 0.0, 0.0
        if wj > 0:  # take criterion j out of the sums: its weight becomes the variable x
            achieved, total = achieved - wj * mid, total - wj
        return achieved, total, mid, 1.0

    at, tt, aj_t, tj_t = parts(t)
    ap, tp, aj_p, tj_p = parts(p)
    # (at + x aj_t)(tp + x tj_p) - (ap + x aj_p)(tt + x tj_t)
    c2 = aj_t * tj_p - aj_p * tj_t
    c1 = at * tj_p + aj_t * tp - ap * tj_t - aj_p * tt
    c0 = at * tp - ap * tt
    return c2, c1, c0


def _roots(c2: float, c1: float, c0: float) -> list[float]:
    if abs(c2) < EPSILON:
        return [] if abs(c1) < EPSILON else [-c0 / c1]
    disc = c1 * c1 - 4 * c2 * c0
    if disc < -EPSILON:
        return []
    disc = math.sqrt(max(disc, 0.0))
    # The numerically stable pair of quadratic roots.
    q = -0.5 * (c1 + math.copysign(disc, c1))
    roots = [q / c2]
    if abs(q) > EPSILON:
        roots.append(c0 / q)
    return sorted(roots)


def _sign(c: tuple[float, float, float], x: float) -> int:
    """The sign of the polynomial at x; exact (rational arithmetic) when floats cannot tell."""
    value = (c[0] * x + c[1]) * x + c[2]
    scale = abs(c[0]) * x * x + abs(c[1]) * x + abs(c[2])
    if abs(value) > 1e-9 * max(scale, 1.0):
        return 1 if value > 0 else -1
    a, b, k, t = (Fraction(v) for v in (*c, x))
    exact = (a * t + b) * t + k
    return (exact > 0) - (exact < 0)


def _stable_range(coefficients: tuple[float, float, float], x0: float) -> tuple[float, float]:
    """The largest interval around x0 (within x >= 0) where the polynomial stays >= 0.

    The roots split [0, inf) into pieces of constant sign; each piece's sign is read at a
    point inside it, so a crossing is found however flat the polynomial is there.
    """
    roots = sorted({r for r in _roots(*coefficients) if r > 0})
    edges = [0.0, *roots, math.inf]
    pieces = []
    for left, right in itertools.pairwise(edges):
        inside = left + 1.0 if math.isinf(right) else (left + right) / 2
        pieces.append((left, right, _sign(coefficients, inside)))
    here = next(k for k, (left, right, _s) in enumerate(pieces) if left <= x0 <= right)
    # At x0 the top leads (sign >= 0); grow to both sides over pieces that are not negative.
    lower_k = upper_k = here
    if pieces[here][2] < 0:  # x0 sits exactly on a root: stay on the non-negative side(s)
        on_left = here > 0 and abs(pieces[here][0] - x0) <= EPSILON
        lower_k = upper_k = here - 1 if on_left else here
        if pieces[lower_k][2] < 0:
            return x0, x0
    while lower_k > 0 and pieces[lower_k - 1][2] >= 0:
        lower_k -= 1
    while upper_k + 1 < len(pieces) and pieces[upper_k + 1][2] >= 0:
        upper_k += 1
    lower = pieces[lower_k][0]
    upper = pieces[upper_k][1]
    return min(lower, x0), max(upper, x0)


def shared_intervals(matrix: Matrix, tops: list[int], rivals: list[int]) -> tuple[Interval, ...]:
    """Per weighing criterion: the weights within which the first place stays with one of the
    leaders that share it now (their order among themselves may change).

    Each leader's own range against the rivals outside the shared first place holds the current
    weight, so their union is one range in which some leader stays ahead of every rival.
    """
    outside = [p for p in rivals if p not in tops]
    per_leader = [stability_intervals(matrix, t, outside) for t in tops]
    merged = []
    for parts in zip(*per_leader, strict=True):
        low = min(parts, key=lambda i: (i.lower, i.below or ""))
        high = min(parts, key=lambda i: (-i.upper, i.above or ""))
        first = parts[0]
        merged.append(
            Interval(
                first.criterion_id,
                first.label,
                first.weight,
                low.lower,
                high.upper,
                low.below,
                high.above,
            )
        )
    return tuple(merged)
