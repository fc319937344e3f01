"""Every outcome of a component: enumerated exactly, reweighed under a stance, or drawn.

The variables, cells and the kernel's reading of one outcome are in uncertainty.py; this
module turns a component into its outcomes and their probabilities under the assumption
(neutral, or the cautious stance's odds per favourable value).
"""

from __future__ import annotations

import dataclasses
import itertools
import random
from collections.abc import Mapping
from collections.abc import Sequence
from typing import Any

from kompas.engine.uncertainty import Cell
from kompas.engine.uncertainty import Component
from kompas.engine.uncertainty import Outcome
from kompas.engine.uncertainty import Variable
from kompas.engine.uncertainty import World
from kompas.engine.uncertainty import score_cells

EXACT_LIMIT = 4096  # most outcomes of one component enumerated exactly; above: sampled


def enumerate_component(
    world: World, variables: Sequence[Variable], cells: Sequence[Cell], answers: Mapping[str, Any]
) -> list[Outcome]:
    """Every outcome of a component, neutral probabilities (numbers conditional on the rest)."""
    plain = [k for k, v in enumerate(variables) if not v.number]
    numbers = [k for k, v in enumerate(variables) if v.number]
    outcomes = []
    for head in itertools.product(*(variables[k].values for k in plain)):
        choices: list[tuple[Any, ...]] = [variables[k].values for k in range(len(variables))]
        if numbers:
            facts0 = world.facts([variables[k] for k in plain], head)
            for k in numbers:
                choices[k] = world.allowed(variables[k], facts0)
        for tail in itertools.product(*(choices[k] for k in numbers)):
            chosen = dict(zip(plain, head, strict=True))
            chosen.update(zip(numbers, tail, strict=True))
            values = tuple(chosen[k] for k in range(len(variables)))
            facts = world.facts(variables, values)
            contribution, fails, shown = score_cells(cells, facts, answers)
            p = 1.0
            for allowed in choices:
                p /= len(allowed)
            outcomes.append(Outcome(values, p, contribution, fails, shown, tuple(choices)))
    return outcomes


def reweigh(
    outcomes: Sequence[Outcome], priors: Mapping[int, Mapping[Any, float]]
) -> list[Outcome]:
    """The same outcomes with their probabilities under other priors."""
    result = []
    for o in outcomes:
        p = 1.0
        for k, (value, allowed) in enumerate(zip(o.values, o.choices, strict=True)):
            p *= _prior(priors, k, allowed, value)
        result.append(dataclasses.replace(o, probability=p))
    return result


def _prior(
    priors: Mapping[int, Mapping[Any, float]] | None, k: int, allowed: Sequence[Any], value: Any
) -> float:
    """P(value) among the allowed values: uniform, or the stance's odds per favourable value."""
    if priors is None or k not in priors:
        return 1.0 / len(allowed)
    odds = priors[k]
    key = _key(value)
    return odds.get(key, 1.0) / sum(odds.get(_key(v), 1.0) for v in allowed)


def _key(value: Any) -> Any:
    return tuple(sorted(value.items())) if isinstance(value, Mapping) else value


def stance_odds(
    variables: Sequence[Variable], outcomes: Sequence[Outcome], odds: float
) -> dict[int, dict[Any, float]]:
    """Per variable, the relative weight of each value under a stance.

    A value is favourable when, on average over the neutral outcomes, the platform scores
    most with it (and not every value scores the same): it gets `odds`, the others 1.
    """
    result: dict[int, dict[Any, float]] = {}
    for k, _variable in enumerate(variables):
        mass: dict[Any, list[float]] = {}
        for o in outcomes:
            gain = -1e6 if o.fails else o.contribution
            pair = mass.setdefault(_key(o.values[k]), [0.0, 0.0])
            pair[0] += o.probability * gain
            pair[1] += o.probability
        means = {v: s / p for v, (s, p) in mass.items() if p > 0}
        if not means or max(means.values()) - min(means.values()) <= 1e-9:
            continue
        best = max(means.values())
        result[k] = {v: odds if m >= best - 1e-9 else 1.0 for v, m in means.items()}
    return result


def build_component(
    world: World,
    variables: Sequence[Variable],
    cells: Sequence[Cell],
    answers: Mapping[str, Any],
    odds: float,
    samples: int,
    rng: random.Random,
) -> Component:
    """A component's outcomes under the stance: exact when small enough, else sampled."""
    size = 1
    for v in variables:
        size *= len(v.values)
    priors = None
    if size <= EXACT_LIMIT:
        outcomes = enumerate_component(world, variables, cells, answers)
        if odds != 1.0:
            priors = stance_odds(variables, outcomes, odds)
            outcomes = reweigh(outcomes, priors)
        return Component(tuple(variables), tuple(cells), tuple(outcomes), 0, priors)
    outcomes = draw_outcomes(world, variables, cells, answers, None, samples, rng)
    if odds != 1.0:
        priors = stance_odds(variables, outcomes, odds)
        outcomes = draw_outcomes(world, variables, cells, answers, priors, samples, rng)
    return Component(tuple(variables), tuple(cells), tuple(outcomes), samples, priors)


def draw_outcomes(
    world: World,
    variables: Sequence[Variable],
    cells: Sequence[Cell],
    answers: Mapping[str, Any],
    priors: Mapping[int, Mapping[Any, float]] | None,
    samples: int,
    rng: random.Random,
) -> list[Outcome]:
    """`samples` outcomes drawn under the priors, each with probability 1/samples."""
    drawn = []
    for _ in range(samples):
        values = draw_values(world, variables, priors, rng)
        contribution, fails, shown = score_cells(cells, world.facts(variables, values), answers)
        drawn.append(Outcome(values, 1.0 / samples, contribution, fails, shown))
    return drawn


def draw_values(
    world: World,
    variables: Sequence[Variable],
    priors: Mapping[int, Mapping[Any, float]] | None,
    rng: random.Random,
) -> tuple[Any, ...]:
    """One draw of the variables: plain ones first, then numbers given the rest."""
    values: list[Any] = [None] * len(variables)
    plain = [k for k, v in enumerate(variables) if not v.number]
    for k in plain:
        values[k] = _pick(priors, k, variables[k], variables[k].values, rng)
    facts = world.facts([variables[k] for k in plain], [values[k] for k in plain])
    for k, variable in enumerate(variables):
        if variable.number:
            values[k] = _pick(priors, k, variable, world.allowed(variable, facts), rng)
    return tuple(values)


def _pick(
    priors: Mapping[int, Mapping[Any, float]] | None,
    k: int,
    variable: Variable,
    allowed: Sequence[Any],
    rng: random.Random,
) -> Any:
    weights = [_prior(priors, k, allowed, v) for v in allowed]
    return rng.choices(list(allowed), weights)[0]
