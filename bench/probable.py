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
    """Run and print the table: times, and each part as a ratio to one advise."""
    header = ["advise", "shares", "cautious", "+questions"]
    parts = header[1:]
    print(
        f"{'data (ms, median)':<28}"
        + "".join(f"{h:>11}" for h in header)
        + "".join(f"{h + '/adv':>15}" for h in parts)
    )
    q, c = kompas.load()
    worst = dict.fromkeys(parts, 0.0)
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        answers = load_file(path)[0].plain()
        times = _times(q, c, answers)
        ratios = {k: times[k] / times["advise"] for k in parts}
        for k in parts:
            worst[k] = max(worst[k], ratios[k])
        cells = "".join(f"{times[k] * 1000:>11.1f}" for k in header)
        print(f"shipped: {path.stem:<19}{cells}" + "".join(f"{ratios[k]:>14.1f}x" for k in parts))
    print(
        f"rank acceptabilities / advise, worst example: {worst['shares']:.1f}x neutral, "
        f"{worst['cautious']:.1f}x cautious (target <= 20x); with the vendor questions ranked "
        f"(kompas advise on the command line): {worst['+questions']:.1f}x"
    )


if __name__ == "__main__":
    main()
