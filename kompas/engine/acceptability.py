"""Rank acceptability (SMAA-2 style): in what share of the possible outcomes each platform wins.

Every unknown fact an active criterion reads is uncertain under a stated assumption (the
stance, see uncertainty.STANCES). Facts belong to one platform, so under the assumption the
platforms' scores are independent: each platform's score distribution is computed exactly
from its components (uncertainty.py, outcomes.py), and the shares of being first and in the
top three follow from those distributions exactly, ties split (firsts.py). Only a component
with more than EXACT_LIMIT outcomes is sampled (seeded). `method="sample"` instead draws
whole possible catalogues and scores each with the kernel's columnar sums (sampling.py), as
an independent check. The probable shortlist rule is `shortlist`.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from typing import Literal

from kompas.engine.activation import active_criteria
from kompas.engine.answers import Answers
from kompas.engine.answers import check_answers
from kompas.engine.firsts import combine
from kompas.engine.goals import SERVES
from kompas.engine.goals import chosen_goals
from kompas.engine.goals import goal_columns
from kompas.engine.goals import goal_tier
from kompas.engine.goals import is_complement
from kompas.engine.kernel import Column
from kompas.engine.kernel import criterion_column
from kompas.engine.kernel import is_candidate
from kompas.engine.kernel import must_outcomes
from kompas.engine.kernel import weighted_sums
from kompas.engine.model import Catalogue
from kompas.engine.model import Questionnaire
from kompas.engine.outcomes import build_component
from kompas.engine.sampling import sample_shares
from kompas.engine.uncertainty import DIGITS
from kompas.engine.uncertainty import STANCES
from kompas.engine.uncertainty import Cell
from kompas.engine.uncertainty import Component
from kompas.engine.uncertainty import PlatformModel
from kompas.engine.uncertainty import World
from kompas.engine.uncertainty import component_key
from kompas.engine.uncertainty import group
from kompas.engine.uncertainty import platform_variables

UNIT = 10**DIGITS  # contributions in whole units, so sums of equal parts are equal
PROBABLE = 0.9  # the probable shortlist is first in at least this share of the outcomes
FLOOR = 0.05  # ... but a platform first in fewer than this share is not probable (bar the leader)
SAMPLES = 2000  # draws of a component too large to enumerate, or of method="sample"
Method = Literal["exact", "sampled", "sample"]


@dataclass(frozen=True, slots=True)
class Share:
    """One platform's rank acceptability."""

    platform_id: str
    name: str
    first: float  # share of the outcomes in which it is first (ties split)
    top_three: float  # share in which at most two platforms score higher


@dataclass(frozen=True, slots=True)
class Acceptability:
    """The rank acceptabilities of an advice under one stance."""

    stance: str
    favourable: float  # chance that an unknown yes/no fact turns out favourable
    shares: tuple[Share, ...]  # most often first first
    none: float  # share of the outcomes in which a must-have excludes every platform
    shortlist: tuple[str, ...]  # the probable shortlist (platform ids)
    method: Method
    samples: int  # draws behind the shares (0: exact)
    error: float  # 95% half-width of any share (0: exact)
    seed: int

    @property
    def covered(self) -> float:
        """The share of the outcomes in which a platform of the probable shortlist is first."""
        return sum(s.first for s in self.shares if s.platform_id in self.shortlist)

    def share(self, platform_id: str) -> Share | None:
        """The share of one platform, None when it is not a candidate."""
        return next((s for s in self.shares if s.platform_id == platform_id), None)


def models(
    questionnaire: Questionnaire,
    catalogue: Catalogue,
    answers: Answers,
    stance: str,
    seed: int,
    samples: int = SAMPLES,
) -> tuple[list[PlatformModel], list[Column], list[bool], list[float]]:
    """Per candidate its model, and the active columns, must flags and weights."""
    odds = STANCES[stance]
    active = active_criteria(questionnaire, answers, explain=False)
    weights = [ac.weight for ac in active]
    musts = [ac.must for ac in active]
    columns = [criterion_column(questionnaire, catalogue, ac.id, answers.values) for ac in active]
    platforms = catalogue.platforms
    scores = weighted_sums(weights, columns, len(platforms))
    failed = must_outcomes(musts, columns)
    # Goals first: only the platforms the advice ranks (known to serve a chosen goal) can be
    # first; the ones below the line stay there whatever their unknown facts turn out to be,
    # and an approach that only complements a platform has no rank to share.
    goals = goal_columns(
        chosen_goals(questionnaire, answers.values), [ac.id for ac in active], weights
    )
    result = []
    made: dict[Any, Component] = {}
    for i, platform in enumerate(platforms):
        if not is_candidate(platform) or failed.get(i, ((), ()))[0] or scores[i].total <= 0:
            continue
        if is_complement(questionnaire, platform, answers.values):
            continue
        row = ([col.low[i] for col in columns], [col.high[i] for col in columns])
        if goal_tier(*row, goals) != SERVES:
            continue
        cells = [
            Cell(j, questionnaire.criteria[ac.id], ac.weight, ac.must)
            for j, ac in enumerate(active)
            if ac.weight > 0 and i in columns[j].unknown
        ]
        world = World(platform, catalogue)
        components = _components(world, catalogue, cells, answers, odds, samples, seed, made)
        result.append(
            PlatformModel(
                i,
                platform.id,
                platform.name,
                scores[i].achieved,
                scores[i].total,
                components,
                world,
            )
        )
    return result, columns, musts, weights


def _components(
    world: World,
    catalogue: Catalogue,
    cells: list[Cell],
    answers: Answers,
    odds: float,
    samples: int,
    seed: int,
    made: dict[Any, Component],
) -> tuple[Component, ...]:
    """A platform's unknown cells as independent components, each with its outcomes.

    `made` holds the enumerated components by key across platforms: platforms with the same
    unknowns share one enumeration (a sampled component is never shared).
    """
    platform = world.platform
    variables, reads = platform_variables(platform, cells, catalogue, answers.values)
    components = []
    for n, (cell_ids, keys) in enumerate(group(reads)):
        chosen = [variables[k] for k in keys]
        part = [cells[k] for k in cell_ids]
        key = component_key(world, chosen, part)
        if key not in made:
            rng = random.Random(f"{seed}:{platform.id}:{n}")
            built = build_component(world, chosen, part, answers.values, odds, samples, rng)
            if built.sampled:
                components.append(built)
                continue
            made[key] = built
        components.append(made[key])
    return tuple(components)


def contributions(model: PlatformModel) -> dict[int, float]:
    """The unknown part of the score (units of 1/UNIT weight) -> probability, must-haves passed.

    Contributions are added as whole units, so equal sums meet exactly.
    """
    sums: dict[int, float] = {0: 1.0}
    for component in model.components:
        passing: dict[int, float] = {}
        for o in component.outcomes:
            if not o.fails:
                key = round(o.contribution * UNIT)
                passing[key] = passing.get(key, 0.0) + o.probability
        merged: dict[int, float] = {}
        for a, p in sums.items():
            for b, q in passing.items():
                merged[a + b] = merged.get(a + b, 0.0) + p * q
        sums = merged
    return sums


def convolve(rest: Mapping[int, float], model: PlatformModel) -> dict[float, float]:
    """Score -> probability: a known distribution of contributions plus the model's components."""
    sums = contributions(model)
    units: dict[int, float] = {}
    for a, p in rest.items():
        for b, q in sums.items():
            units[a + b] = units.get(a + b, 0.0) + p * q
    result: dict[float, float] = {}
    for total, p in units.items():
        score = model.score(total / UNIT)
        result[score] = result.get(score, 0.0) + p
    return result


def distribution(model: PlatformModel) -> dict[float, float]:
    """Score -> probability over the outcomes in which the platform passes every must-have."""
    return convolve({0: 1.0}, model)


def share_order(share: Share) -> tuple[float, float, str, str]:
    """The one order of the shares: first share, then top-three share, then name and id."""
    return (
        -round(share.first, 12),
        -round(share.top_three, 12),
        share.name.casefold(),
        share.platform_id,
    )


def shortlist(shares: Sequence[Share], none: float = 0.0) -> tuple[str, ...]:
    """The probable shortlist: the platforms most often first, until together first in at
    least PROBABLE of the outcomes that have a first place.

    Outcomes in which a must-have excludes every platform have no first place; they are
    reported apart (`none`) and left out of the 90%. Two limits keep the list a decision
    (docs/design.md): a platform first in fewer than FLOOR of the outcomes joins only as the
    leader, and platforms with the same first share join or stay out together, never split
    by their names.
    """
    ordered = [s for s in sorted(shares, key=share_order) if s.first > 0]
    chosen: list[str] = []
    total = 0.0
    k = 0
    while k < len(ordered) and total < PROBABLE * (1.0 - none) - 1e-12:
        level = ordered[k].first
        if chosen and level < FLOOR - 1e-12:
            break
        tied = [s for s in ordered[k:] if abs(s.first - level) <= 1e-12]
        chosen += [s.platform_id for s in tied]
        total += sum(s.first for s in tied)
        k += len(tied)
    return tuple(chosen)


def result_of(
    stance: str,
    items: Sequence[PlatformModel],
    first: Sequence[float],
    top: Sequence[float],
    method: Method,
    samples: int,
    seed: int,
) -> Acceptability:
    """The shares of the candidates, sorted, with the shortlist and the sampling error."""
    shares = sorted(
        (Share(m.platform_id, m.name, f, t) for m, f, t in zip(items, first, top, strict=True)),
        key=share_order,
    )
    odds = STANCES[stance]
    error = 1.96 * math.sqrt(0.25 / samples) if samples else 0.0
    none = max(0.0, 1.0 - sum(first))
    return Acceptability(
        stance,
        odds / (1.0 + odds),
        tuple(shares),
        none,
        shortlist(shares, none),
        method,
        samples,
        error,
        seed,
    )


def acceptability(
    questionnaire: Questionnaire,
    catalogue: Catalogue,
    answers: Mapping[str, Any] | Answers,
    *,
    stance: str = "neutraal",
    method: Literal["auto", "sample"] = "auto",
    samples: int = SAMPLES,
    seed: int = 0,
) -> Acceptability:
    """Each candidate's share of the possible outcomes in which it is first and in the top three."""
    if not isinstance(answers, Answers):
        answers = check_answers(questionnaire, answers, strict=False)
    items, columns, musts, weights = models(
        questionnaire, catalogue, answers, stance, seed, samples
    )
    if method == "sample":
        first, top = sample_shares(items, columns, musts, weights, samples, seed, answers.values)
        return result_of(stance, items, first, top, "sample", samples, seed)
    return exact_result(items, [distribution(m) for m in items], stance, seed)


def exact_result(
    items: Sequence[PlatformModel], dists: Sequence[Mapping[float, float]], stance: str, seed: int
) -> Acceptability:
    """The shares from the platforms' distributions (sampled only where a component was)."""
    first, top = combine(dists)
    drawn = max((c.sampled for m in items for c in m.components), default=0)
    return result_of(stance, items, first, top, "sampled" if drawn else "exact", drawn, seed)
