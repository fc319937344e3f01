"""Helpers shared by the benchmarks: medians and synthetic data."""

from __future__ import annotations

import gc
import random
import statistics
import time
from collections.abc import Callable
from typing import Any

import kompas
from kompas.engine.catalogue import build_catalogue
from kompas.engine.checks import Checker
from kompas.engine.questionnaire import build_questionnaire
from kompas.engine.yamlsource import load_text


def median_seconds(
    fn: Callable[[], Any], repeat: int = 7, clock: Callable[[], float] = time.perf_counter
) -> float:
    """The median time of fn over several runs: wall time, or CPU with clock=time.process_time."""
    times = []
    for _ in range(repeat):
        start = clock()
        fn()
        times.append(clock() - start)
    return statistics.median(times)


def interleaved_medians(fns: dict[str, Callable[[], Any]], repeat: int = 7) -> dict[str, float]:
    """The median wall time of each fn, measured in turns so a busy spell slows them all.

    A ratio of two medians taken one after the other drifts with the machine's load (on a
    shared machine by a factor of two); taken round by round it does not. As in timeit, the
    garbage collector is off while a call is timed, so one call does not pay for another's
    garbage.
    """
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            gc.collect()
            gc.disable()
            try:
                start = time.perf_counter()
                fn()
                times[name].append(time.perf_counter() - start)
            finally:
                gc.enable()
    return {name: statistics.median(t) for name, t in times.items()}


def synthetic(platforms: int, criteria: int, seed: int = 1) -> tuple[Any, Any, dict[str, Any]]:
    """A made-up questionnaire and catalogue of the given size, plus an answer set."""
    rng = random.Random(seed)
    features = [f"f{i}" for i in range(criteria)]
    cat = [
        "version: synthetic",
        "categories: {x: X}",
        "facts:",
        "  features:",
        "    label: Features",
        "    type: set",
        "    values:",
    ]
    cat += [f"      {f}: {f}" for f in features]
    cat += ["  hosted_eu: {label: EU, type: bool}", "platforms:"]
    for i in range(platforms):
        has = [f for f in features if rng.random() < 0.4]
        cat += [
            f"  - id: p{i}",
            f"    name: Platform {i}",
            "    url: https://example.org",
            "    category: x",
            "    description: Synthetic.",
            "    facts:",
            f"      features: {{value: [{', '.join(has)}], source: s, checked: 2026-11-01}}",
            "      hosted_eu: "
            + rng.choice(["unknown", "{value: true, source: s, checked: 2026-11-01}"]),
        ]
    q = ["version: synthetic", "texts:"]
    q += [
        f"  {k}: '{{platform}} {k} {{criterion}}'"
        for k in (
            "met",
            "unmet",
            "partial",
            "unknown",
            "not_applicable",
            "not_applicable_met",
            "not_applicable_unmet",
            "excluded",
            "verify",
            "low_coverage",
        )
    ]
    q += [
        "  yes: ja",
        "  no: nee",
        "  none: geen",
        "  range: '{min}-{max}'",
        "sections:",
        "  - id: s",
        "    title: S",
        "    questions:",
    ]
    for i in range(criteria):
        q += [f"      - {{id: q{i}, type: importance, text: Q, help: H, criteria: [c{i}]}}"]
    q += ["criteria:"]
    for i, f in enumerate(features):
        q += [
            f"  - {{id: c{i}, label: C{i}, ask: A, combine: {'any' if i % 2 else 'all'}, "
            f"condition: {{has: {{fact: features, value: {f}}}}}}}"
        ]
    check = Checker()
    catalogue = build_catalogue(load_text("\n".join(cat), "synthetic.yaml"), "c", check)
    questionnaire = build_questionnaire(load_text("\n".join(q), "synthetic-q.yaml"), "q", check)
    if check.errors:
        raise SystemExit("\n".join(map(str, check.errors)))
    answers = {f"q{i}": rng.choice([0, 1, 2, 3]) for i in range(criteria)}
    return questionnaire, catalogue, answers


def floor_weighted_sum(matrix: list[list[float]], weights: list[float]) -> list[tuple[float, int]]:
    """The floor: a plain weighted sum over a precomputed matrix, then a sort."""
    total = sum(weights)
    scores = []
    for i, row in enumerate(matrix):
        acc = 0.0
        for w, s in zip(weights, row, strict=True):
            acc += w * s
        scores.append((-acc / total, i))
    scores.sort()
    return scores


def matrix_of(advice: kompas.Advice, criteria: int) -> tuple[list[list[float]], list[float]]:
    """The decision matrix and weights behind an advice (unknown as 0)."""
    weights = [a.weight for a in advice.active]
    rows = []
    for r in advice.ranking + advice.excluded:
        rows.append([x.satisfaction or 0.0 for x in r.results])
    return rows, weights
