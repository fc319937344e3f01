"""Benchmark: `advise` on the shipped data and on synthetic catalogues, against a floor.

The floor is a plain weighted sum over a precomputed matrix, measured in the same run.
Prints medians, the ratio engine/floor and the growth ratio per doubling of platforms.
Target: engine <= 3x floor, growth about 2x per doubling.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import kompas
from bench.common import floor_weighted_sum
from bench.common import matrix_of
from bench.common import median_seconds
from bench.common import synthetic

CRITERIA = 200


def main() -> None:
    """Run the benchmark and print a table."""
    q, c = kompas.load()
    answers = {
        "doelen": ["burenhulp", "sociale_kaart"],
        "reclame_acceptabel": False,
        "belang_toegankelijkheid": 3,
        "budget_per_jaar": 20000,
    }
    answers = {k: v for k, v in answers.items() if k in q.index}
    kompas.advise(q, c, answers)
    shipped = median_seconds(lambda: kompas.advise(q, c, answers), repeat=21)
    print(
        f"shipped data: {len(c.platforms)} platforms, {len(q.criteria)} criteria: "
        f"advise median {shipped * 1000:.2f} ms"
    )
    print()
    print(
        f"{'platforms':>9} {'criteria':>8} {'cold ms':>9} {'advise ms':>10} {'floor ms':>9} "
        f"{'ratio':>6} {'growth':>7}"
    )
    previous = None
    for n in (250, 500, 1000):
        sq, sc, sa = synthetic(n, CRITERIA)
        cold = median_seconds(
            lambda sq=sq, sc=sc, sa=sa: kompas.advise(sq, sc.with_platforms(sc.platforms), sa),
            repeat=3,
        )
        advice = kompas.advise(sq, sc, sa)
        matrix, weights = matrix_of(advice, CRITERIA)
        t_engine = median_seconds(lambda sq=sq, sc=sc, sa=sa: kompas.advise(sq, sc, sa))
        t_floor = median_seconds(lambda m=matrix, w=weights: floor_weighted_sum(m, w))
        growth = f"{t_engine / previous:.2f}x" if previous else "-"
        previous = t_engine
        print(
            f"{n:>9} {CRITERIA:>8} {cold * 1000:>9.1f} {t_engine * 1000:>10.1f} "
            f"{t_floor * 1000:>9.1f} {t_engine / t_floor:>5.2f}x {growth:>7}"
        )
    print()
    print("cold = first advise on a fresh catalogue object (fills the answer-independent cache).")
    print("target: advise <= 3x floor; growth ~2x per doubling of platforms.")


if __name__ == "__main__":
    main()
