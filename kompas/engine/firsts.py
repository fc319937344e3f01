"""First and top-three shares from independent score distributions, exactly.

Facts belong to one platform, so under the assumption the platforms' scores are independent
and the shares of being first (ties split) and in the top three follow from each platform's
score distribution (acceptability.distribution) without sampling.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from collections.abc import Sequence


def combine(
    dists: Sequence[Mapping[float, float]], top_three: bool = True
) -> tuple[list[float], list[float]]:
    """First shares (ties split) and top-three shares of independent score distributions.

    Sweeping the scores from high to low: a platform scoring s is first when every other
    platform scores below s or drops out, sharing the first place with the t others that
    also score s (1/(t+1) each). The mean of 1/(t+1) is the integral over [0, 1] of the
    product of (below_j + equal_j x) over the others, read exactly by Gauss-Legendre
    quadrature (the product is a polynomial of degree below the nodes' exactness).
    """
    n = len(dists)
    first = [0.0] * n
    top = [0.0] * n
    above = [0.0] * n
    at: dict[float, list[tuple[int, float]]] = {}
    for i, d in enumerate(dists):
        for s, p in d.items():
            if p > 0:
                at.setdefault(s, []).append((i, p))
    for s in sorted(at, reverse=True):
        here = at[s]
        equal = dict(here)
        rest = 1.0
        for j in range(n):
            if j not in equal:
                rest *= 1.0 - above[j]
        if rest > 0:
            nodes, weights = gauss_legendre(len(here) // 2 + 1)
            below = {i: 1.0 - above[i] - p for i, p in here}
            products = []
            for x in nodes:
                value = 1.0
                for i, p in here:
                    value *= below[i] + p * x
                products.append(value)
            for i, p in here:
                mean = sum(
                    w * _without(v, below[i] + p * x, x, i, here, below)
                    for x, w, v in zip(nodes, weights, products, strict=True)
                )
                first[i] += p * rest * mean
        if top_three:
            _add_top_three(top, here, above)
        for i, p in here:
            above[i] += p
    return first, top


def _without(
    product: float,
    factor: float,
    x: float,
    i: int,
    here: Sequence[tuple[int, float]],
    below: Mapping[int, float],
) -> float:
    """The product over the tied platforms without platform i's factor."""
    if factor > 1e-12:
        return product / factor
    value = 1.0  # a vanishing factor: multiply the others out instead of dividing
    for j, q in here:
        if j != i:
            value *= below[j] + q * x
    return value


@functools.cache
def gauss_legendre(count: int) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Nodes and weights on [0, 1], exact for polynomials of degree below 2 * count."""
    nodes, weights = [], []
    for k in range(1, count + 1):
        x = math.cos(math.pi * (k - 0.25) / (count + 0.5))
        for _ in range(100):
            p0, p1 = 1.0, x
            for m in range(2, count + 1):
                p0, p1 = p1, ((2 * m - 1) * x * p1 - (m - 1) * p0) / m
            derivative = count * (x * p1 - p0) / (x * x - 1) if count > 1 else 1.0
            step = p1 / derivative
            x -= step
            if abs(step) < 1e-15:
                break
        p0, p1 = 1.0, x
        for m in range(2, count + 1):
            p0, p1 = p1, ((2 * m - 1) * x * p1 - (m - 1) * p0) / m
        derivative = count * (x * p1 - p0) / (x * x - 1) if count > 1 else 1.0
        nodes.append((x + 1) / 2)
        weights.append(1.0 / ((1 - x * x) * derivative * derivative))
    return tuple(nodes), tuple(weights)


def _add_top_three(top: list[float], here: list[tuple[int, float]], above: list[float]) -> None:
    """For each platform scoring s here: the chance that at most two others score higher."""
    n = len(above)
    prefix = [[1.0, 0.0, 0.0]]
    for j in range(n):
        prefix.append(_step(prefix[-1], above[j]))
    suffix = [[1.0, 0.0, 0.0]] * (n + 1)
    for j in range(n - 1, -1, -1):
        suffix[j] = _step(suffix[j + 1], above[j])
    for i, p in here:
        a, b = prefix[i], suffix[i + 1]
        within = a[0] * (b[0] + b[1] + b[2]) + a[1] * (b[0] + b[1]) + a[2] * b[0]
        top[i] += p * within


def _step(counts: list[float], q: float) -> list[float]:
    """Counts 0, 1, 2 of platforms above, with one more that is above with chance q."""
    return [
        counts[0] * (1 - q),
        counts[1] * (1 - q) + counts[0] * q,
        counts[2] * (1 - q) + counts[1] * q,
    ]
