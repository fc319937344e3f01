"""Rank acceptabilities by drawing whole possible catalogues: the independent check.

`acceptability(method="sample")` draws every candidate's unknown facts at once and scores
each drawn catalogue with the kernel's columnar sums, so it shares no arithmetic with the
exact shares (firsts.py); the tests hold the two within the stated sampling error.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from collections.abc import Sequence
from typing import Any

from kompas.engine.kernel import Column
from kompas.engine.kernel import must_outcomes
from kompas.engine.kernel import weighted_sums
from kompas.engine.outcomes import draw_values
from kompas.engine.uncertainty import DIGITS
from kompas.engine.uncertainty import PlatformModel
from kompas.engine.uncertainty import score_cells


def sample_shares(
    items: Sequence[PlatformModel],
    columns: Sequence[Column],
    musts: Sequence[bool],
    weights: Sequence[float],
    samples: int,
    seed: int,
    answers: Mapping[str, Any],
) -> tuple[list[float], list[float]]:
    """First and top-three shares over `samples` whole catalogues scored by the kernel's sums."""
    rng = random.Random(f"catalogue:{seed}")
    n = len(items)
    first = [0.0] * n
    top = [0.0] * n
    for _ in range(samples):
        cells: dict[tuple[int, int], float] = {}
        for k, m in enumerate(items):
            for component in m.components:
                values = draw_values(m.world, component.variables, component.priors, rng)
                facts = m.world.facts(component.variables, values)
                _c, _f, shown = score_cells(component.cells, facts, answers)
                for cell, value in zip(component.cells, shown, strict=True):
                    cells[k, cell.column] = value
        scores, failed = _score_catalogue(items, columns, musts, weights, cells)
        _count(scores, failed, first, top)
    return [f / samples for f in first], [t / samples for t in top]


def _score_catalogue(
    items: Sequence[PlatformModel],
    columns: Sequence[Column],
    musts: Sequence[bool],
    weights: Sequence[float],
    cells: Mapping[tuple[int, int], float],
) -> tuple[list[float], set[int]]:
    """Scores and must-have failures of the candidates, from the kernel's columnar sums."""
    made = []
    for j, column in enumerate(columns):
        low = []
        for k, m in enumerate(items):
            value = cells.get((k, j))
            low.append(column.low[m.index] if value is None else value)
        values = tuple(0.0 if v is None else v for v in low)
        made.append(Column((), tuple(low), tuple(low), values, (), ()))
    sums = weighted_sums(weights, made, len(items))
    failed = {k for k, (fail, _verify) in must_outcomes(musts, made).items() if fail}
    return [round(s.score or 0.0, DIGITS) for s in sums], failed


def _count(scores: Sequence[float], failed: set[int], first: list[float], top: list[float]) -> None:
    """Add one outcome: the first place split between ties, the top three by rank."""
    alive = [k for k in range(len(scores)) if k not in failed]
    if not alive:
        return
    best = max(scores[k] for k in alive)
    leaders = [k for k in alive if scores[k] == best]
    for k in leaders:
        first[k] += 1.0 / len(leaders)
    for k in alive:
        if sum(1 for j in alive if scores[j] > scores[k]) <= 2:
            top[k] += 1.0
