"""Benchmark: robustness, tie-break and combinations beside a single `advise`.

On the shipped data and on synthetic catalogues (250, 500, 1,000 platforms x 40
criteria), each measured in the same run, in turns (bench/common.interleaved_medians).
Prints medians, the ratio to one `advise`
and the growth ratio per doubling. Target: the full analysis on the shipped data
<= 20x a single advise, so the advice page stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import kompas
from bench.common import interleaved_medians
from bench.common import synthetic
from kompas.engine.analysis import analyse
from kompas.engine.combinations import combinations
from kompas.engine.robustness import robustness
from kompas.engine.tiebreak import tie_break
from kompas.engine.yamlsource import load_file

ROOT = Path(__file__).resolve().parent.parent
CRITERIA = 40


def _row(name: str, q, c, answers, repeat: int) -> dict[str, float]:
    kompas.advise(q, c, answers, strict=False)
    analyse(q, c, answers)
    times = interleaved_medians(
        {
            "advise": lambda: kompas.advise(q, c, answers, strict=False),
            "robustness": lambda: robustness(q, c, answers),
            "tie-break": lambda: tie_break(q, c, answers),
            "combinations": lambda: combinations(q, c, answers),
            "full analysis": lambda: analyse(q, c, answers),
        },
        repeat,
    )
    base = times["advise"]
    cells = "  ".join(f"{times[k] * 1000:>9.1f}" for k in times)
    print(f"{name:<28}{cells}  {times['full analysis'] / base:>7.1f}x")
    return times


def main() -> None:
    """Run and print the table."""
    header = ["advise", "robustness", "tie-break", "combinations", "full analysis"]
    print(f"{'data (ms, median)':<28}" + "  ".join(f"{h:>9}" for h in header) + "  full/advise")
    q, c = kompas.load()
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        answers = load_file(path)[0].plain()
        _row(f"shipped: {path.stem}", q, c, answers, repeat=25)
    previous = None
    growth = []
    for n in (250, 500, 1000):
        sq, sc, sa = synthetic(n, CRITERIA)
        times = _row(f"synthetic {n} x {CRITERIA}", sq, sc, sa, repeat=3)
        if previous:
            growth.append(times["full analysis"] / previous)
        previous = times["full analysis"]
    print()
    print("growth of the full analysis per doubling: " + ", ".join(f"{g:.2f}x" for g in growth))
    print("target: full analysis on the shipped data <= 20x a single advise")


if __name__ == "__main__":
    main()
