"""Benchmark: the probable shortlist (rank acceptabilities) beside a single `advise`.

On the shipped examples, measured in turns (bench/common.interleaved_medians): one advise,
the exact rank acceptabilities (neutral and cautious), and the vendor questions ranked by
worth. Target: the rank acceptabilities within 20x one advise.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import kompas
from bench.common import interleaved_medians
from kompas.engine.acceptability import acceptability
from kompas.engine.probable import probable
from kompas.engine.yamlsource import load_file

ROOT = Path(__file__).resolve().parent.parent


def _times(q: Any, c: Any, answers: dict[str, Any]) -> dict[str, float]:
    return interleaved_medians(
        {
            "advise": lambda: kompas.advise(q, c, answers, strict=False),
            "shares": lambda: acceptability(q, c, answers),
            "cautious": lambda: acceptability(q, c, answers, stance="voorzichtig"),
            "+questions": lambda: probable(q, c, answers),
        },
        5,
    )


def main() -> None:
    """Run and print the table."""
    header = ["advise", "shares", "cautious", "+questions"]
    print(f"{'data (ms, median)':<28}" + "".join(f"{h:>11}" for h in header) + "  shares/advise")
    q, c = kompas.load()
    worst = 0.0
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        answers = load_file(path)[0].plain()
        times = _times(q, c, answers)
        ratio = times["shares"] / times["advise"]
        worst = max(worst, ratio)
        cells = "".join(f"{times[k] * 1000:>11.1f}" for k in header)
        print(f"shipped: {path.stem:<19}{cells}  {ratio:>12.1f}x")
    print(f"rank acceptabilities / advise, worst example: {worst:.1f}x (target <= 20x)")


if __name__ == "__main__":
    main()
