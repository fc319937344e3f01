"""Benchmark: reading the shipped YAML with libyaml's C parser against the pure-Python loader.

Per file, the median CPU time of `yamlsource.load_text` on each path (both build the same
tree, tests/test_yaml_fast.py checks that), and `kompas.load()` of the shipped data each way.
Also the CPU a fresh process (a web worker before its first report) spends reading the
research log, on each path. Prints medians and the ratio pure / C. Nothing is asserted.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import kompas
from bench.common import median_seconds
from kompas.engine import yamldialect
from kompas.engine import yamlsource

ROOT = Path(__file__).resolve().parent.parent
REPEAT = 5
FILES = [
    *sorted((ROOT / "kompas" / "data").glob("*.yaml")),
    *sorted((ROOT / "examples").glob("*.yaml")),
]


def cpu_median(run: Callable[[], object], repeat: int = REPEAT) -> float:
    """Median CPU seconds of `run` over `repeat` calls."""
    return median_seconds(run, repeat=repeat, clock=time.process_time)


def timed_load(fast: bool) -> float:
    """CPU seconds of loading the shipped questionnaire and catalogue on one path."""
    yamlsource.FAST = fast
    try:
        return cpu_median(kompas.load, repeat=3)
    finally:
        yamlsource.FAST = bool(yamldialect.CParser)


def research_child(fast: bool) -> None:
    """Print the CPU seconds a fresh process spends on its first read of the research log."""
    from kompas.engine.research import searched_in_vain

    yamlsource.FAST = fast
    _, catalogue = kompas.load()
    start = time.process_time()
    searched_in_vain(catalogue, catalogue.platforms[0].id)
    print(time.process_time() - start)


def research_first_read(fast: bool) -> float:
    """Median over fresh processes: the research log is read once per process and kept."""
    times = []
    for _ in range(3):
        args = [sys.executable, __file__, "--research", "c" if fast else "pure"]
        out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
        times.append(float(out.split()[-1]))
    return statistics.median(times)


def main() -> None:
    """Run the benchmark and print a table."""
    if sys.argv[1:2] == ["--research"]:
        research_child(sys.argv[2] == "c")
        return
    if not yamlsource.FAST:
        print("PyYAML has no libyaml here: only the pure loader runs.")
        return
    print(f"{'file':<28} {'pure ms':>9} {'C ms':>8} {'ratio':>7}")
    for path in FILES:
        text = path.read_text(encoding="utf-8")
        pure = cpu_median(lambda t=text, n=path.name: yamlsource._load_pure(t, n))
        fast = cpu_median(lambda t=text, n=path.name: yamlsource._load_fast(t, n))
        print(f"{path.name:<28} {pure * 1000:>9.1f} {fast * 1000:>8.1f} {pure / fast:>6.1f}x")
    pure, fast = timed_load(False), timed_load(True)
    print(f"{'kompas.load()':<28} {pure * 1000:>9.1f} {fast * 1000:>8.1f} {pure / fast:>6.1f}x")
    pure, fast = research_first_read(False), research_first_read(True)
    label = "first research-log read"
    print(f"{label:<28} {pure * 1000:>9.1f} {fast * 1000:>8.1f} {pure / fast:>6.1f}x")


if __name__ == "__main__":
    main()
