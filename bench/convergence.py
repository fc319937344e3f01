"""Benchmark (not a test): how many vendor answers until the choice is made.

For each shipped example, hidden "true" catalogues are drawn under the same assumption as the
advice (neutral). A round is simulated: ask a question, reveal the hidden answer, recompute
the exact shares, until the choice is made — one platform first in at least 90% of the
outcomes that have a first place, or three platforms each in the top three in (almost) all
outcomes — or no question is left. Three orders are compared:

- worth: the question most worth asking (kompas.engine.worth, over the probable shortlist);
- random: a random unknown fact of a platform that can still be first;
- leader: every unknown fact of the platform most often first, then of the next leader.

Prints per example and order the distribution of the number of answers and the ratio of the
medians to random order (target: worth at most 0.5).

    python bench/convergence.py [--runs N] [--seed S]
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import kompas
from kompas.engine.acceptability import PROBABLE
from kompas.engine.acceptability import distribution
from kompas.engine.acceptability import models
from kompas.engine.activation import active_criteria
from kompas.engine.answers import check_answers
from kompas.engine.firsts import combine
from kompas.engine.outcomes import draw_values
from kompas.engine.uncertainty import PlatformModel
from kompas.engine.worth import answers_about
from kompas.engine.worth import rank_questions
from kompas.engine.worth import rest_of
from kompas.engine.yamlsource import load_file

ROOT = Path(__file__).resolve().parent.parent
MAX_STEPS = 300  # a round that needs more answers is counted as this many
SURE = 1 - 1e-9

Truth = dict[tuple[str, str], Any]  # (platform, fact) -> the hidden value in answer form


def hidden_truth(items: list[PlatformModel], rng: random.Random) -> Truth:
    """One possible catalogue: every unknown fact's value, drawn under the assumption."""
    truth: Truth = {}
    for m in items:
        present: dict[str, dict[str | None, Any]] = {}
        for component in m.components:
            values = draw_values(m.world, component.variables, component.priors, rng)
            for variable, value in zip(component.variables, values, strict=True):
                present.setdefault(variable.fact, {})[variable.member] = value
        for fact, parts in present.items():
            truth[m.platform_id, fact] = (
                parts[None]
                if None in parts
                else sorted(k for k, v in parts.items() if v and k is not None)
            )
    return truth


def reveal(model: PlatformModel, fact: str, value: Any) -> PlatformModel:
    """The platform's model once the fact is known to have this value."""
    for plain, _p, after in answers_about(model, fact):
        if plain == value:
            kept = rest_of(model, fact).components
            return dataclasses.replace(model, components=kept + after.components)
    raise ValueError(f"{model.platform_id}.{fact}: {value!r} is not a possible answer")


def decided(dists: list[dict[float, float]]) -> bool:
    """One platform first in 90% of the outcomes with a first, or the top three fixed."""
    first, top = combine(dists)
    passing = sum(first)
    if passing > 0 and max(first) >= PROBABLE * passing:
        return True
    return sum(1 for t in top if t >= SURE) >= 3


def open_facts(model: PlatformModel) -> list[str]:
    """The facts of a platform that are still unknown and matter."""
    return sorted(
        {
            v.fact
            for c in model.components
            for k, v in enumerate(c.variables)
            if len({repr(o.values[k]) for o in c.outcomes}) > 1
        }
    )


Chooser = Callable[[list[PlatformModel], list[dict[float, float]], random.Random], Any]


def by_worth(criteria: list[str]) -> Chooser:
    """The question most worth asking about the probable shortlist."""

    def choose(
        items: list[PlatformModel], dists: list[dict[float, float]], rng: random.Random
    ) -> Any:
        first, _top = combine(dists, top_three=False)
        live = [k for k, f in enumerate(first) if f > 0]
        ranked = rank_questions([items[k] for k in live], [dists[k] for k in live], criteria, 1)
        if ranked:
            return ranked[0].platform_id, ranked[0].fact
        return by_random(items, dists, rng)

    return choose


def by_random(
    items: list[PlatformModel], dists: list[dict[float, float]], rng: random.Random
) -> Any:
    """A random open fact of a platform that can still be first."""
    first, _top = combine(dists, top_three=False)
    pool = [
        (m.platform_id, f)
        for m, s in zip(items, first, strict=True)
        if s > 0
        for f in open_facts(m)
    ]
    return rng.choice(pool) if pool else None


def by_leader(
    items: list[PlatformModel], dists: list[dict[float, float]], rng: random.Random
) -> Any:
    """The next open fact of the platform most often first (then the next leader)."""
    first, _top = combine(dists, top_three=False)
    for k in sorted(range(len(items)), key=lambda k: -first[k]):
        if first[k] <= 0:
            break
        facts = open_facts(items[k])
        if facts:
            return items[k].platform_id, facts[0]
    return None


def simulate(items: list[PlatformModel], truth: Truth, choose: Chooser, rng: random.Random) -> int:
    """Answers needed until the choice is made (MAX_STEPS when it is not)."""
    items = list(items)
    dists = [distribution(m) for m in items]
    index = {m.platform_id: k for k, m in enumerate(items)}
    for step in range(MAX_STEPS):
        if decided(dists):
            return step
        question = choose(items, dists, rng)
        if question is None:
            return step
        k = index[question[0]]
        items[k] = reveal(items[k], question[1], truth[question])
        dists[k] = distribution(items[k])
    return MAX_STEPS


def main() -> None:
    """Run the rounds and print the distributions and the ratios of medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=4, help="hidden catalogues per example")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    q, c = kompas.load()
    print(
        f"{'example':<20}{'order':<8}{'median':>7}{'p25':>6}{'p75':>6}{'max':>6}  vs random  answers"
    )
    ratios = []
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        answers = check_answers(q, load_file(path)[0].plain(), strict=False)
        items, *_rest = models(q, c, answers, "neutraal", 0)
        criteria = [a.id for a in active_criteria(q, answers, explain=False)]
        rng = random.Random(f"{args.seed}:{path.stem}")
        truths = [hidden_truth(items, rng) for _ in range(args.runs)]
        orders = {"worth": by_worth(criteria), "random": by_random, "leader": by_leader}
        counts: dict[str, list[int]] = {}
        start = time.perf_counter()
        for name, choose in orders.items():
            counts[name] = [
                simulate(items, t, choose, random.Random(f"{args.seed}:{name}:{n}"))
                for n, t in enumerate(truths)
            ]
        base = statistics.median(counts["random"]) or 1
        for name, values in counts.items():
            quart = statistics.quantiles(values, n=4) if len(values) > 1 else [values[0]] * 3
            ratio = statistics.median(values) / base
            if name == "worth":
                ratios.append(ratio)
            print(
                f"{path.stem:<20}{name:<8}{statistics.median(values):>7.1f}{quart[0]:>6.1f}"
                f"{quart[2]:>6.1f}{max(values):>6}  {ratio:>9.2f}  {sorted(values)}"
            )
        print(f"{'':<20}({time.perf_counter() - start:.0f} s)")
    print(f"worth / random, median over examples: {statistics.median(ratios):.2f} (target <= 0.5)")


if __name__ == "__main__":
    main()
