"""First-place shares of independent score distributions, fast when one platform changes.

The question ranking asks "what if this platform's fact were known" hundreds of times; each
answer changes one platform's distribution only. With every platform's atoms on one grid of
scores (high to low), platform j is first at score s with chance

    p_j(s) * integral over [0, 1] of prod_{m != j} (below_m(s) + equal_m(s) x) dx

(the integral splits the first place between ties, see acceptability.combine). The product
over all platforms, F(s, x), is kept at the Gauss-Legendre nodes; changing platform k only
swaps k's factor in F. Measured on the shipped examples, pure Python took about 100 s for
the questions of one advice and numpy well under a second, so this part uses numpy.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from kompas.engine.firsts import gauss_legendre

Array = npt.NDArray[np.float64]


class Grid:
    """Score distributions on one grid, with the product of their factors at the nodes."""

    def __init__(self, dists: Sequence[Mapping[float, float]]) -> None:
        scores = sorted({s for d in dists for s in d}, reverse=True)
        self.index = {s: i for i, s in enumerate(scores)}
        self.size = len(scores)
        self.count = len(dists)
        nodes, weights = gauss_legendre(len(dists) // 2 + 1)
        self.nodes = np.array(nodes)
        self.weights = np.array(weights)
        self.product = np.ones((self.size, len(nodes)))
        self.f: list[Array] = []
        js, ss, ps = [], [], []
        for j, dist in enumerate(dists):
            factor = self.factors(self.row(dist))
            self.f.append(factor)
            self.product *= factor
            for s, p in dist.items():
                if p > 0:
                    js.append(j)
                    ss.append(self.index[s])
                    ps.append(p)
        # One entry per atom (platform, score): its probability and 1 / its own factor.
        self.atom_j = np.array(js, dtype=np.int64)
        self.atom_s = np.array(ss, dtype=np.int64)
        self.atom_p = np.array(ps)
        self.atom_inv = np.array([1.0 / self.f[j][s] for j, s in zip(js, ss, strict=True)])
        self.atom_inv = self.atom_inv.reshape(len(js), len(nodes))

    def row(self, dist: Mapping[float, float]) -> Array:
        """A distribution as a row on the grid (its scores must be on the grid)."""
        row = np.zeros(self.size)
        for s, p in dist.items():
            row[self.index[s]] += p
        return row

    def factors(self, p: Array) -> Array:
        """below + equal * x at every score (rows) and node (columns) for one platform."""
        above = np.cumsum(p) - p
        below = np.clip(1.0 - above - p, 0.0, 1.0)
        result: Array = below[:, None] + p[:, None] * self.nodes[None, :]
        return result

    def first(self) -> list[float]:
        """Every platform's share of the outcomes in which it is first."""
        values = self.atom_p * ((self.product[self.atom_s] * self.atom_inv) @ self.weights)
        return [float(v) for v in np.bincount(self.atom_j, values, minlength=self.count)]

    def first_with(self, k: int, dist: Mapping[float, float]) -> list[float]:
        """The first shares when platform k's distribution is `dist` instead.

        `dist` is k's distribution given an answer: its scores are among k's own.
        """
        factor = self.factors(self.row(dist))
        old = self.f[k]
        product = np.divide(self.product * factor, old, out=np.zeros_like(old), where=old > 0)
        keep = self.atom_j != k
        s = self.atom_s[keep]
        values = self.atom_p[keep] * ((product[s] * self.atom_inv[keep]) @ self.weights)
        result = np.bincount(self.atom_j[keep], values, minlength=self.count)
        at = np.array([self.index[score] for score in dist], dtype=np.int64)
        p = np.array(list(dist.values()))
        result[k] = float(p @ ((product[at] / np.maximum(factor[at], 1e-300)) @ self.weights))
        return [float(v) for v in result]
