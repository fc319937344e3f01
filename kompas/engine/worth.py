"""Vendor questions ranked by what they are worth: the expected entropy reduction of the
first-place shares (rank acceptability) when one platform's fact becomes known.

A question is one (platform, fact) pair. Each possible answer conditions that platform's
components on the fact's value (the other platforms are independent and stay as they are),
so the shares after the answer follow from the same exact model as the advice's own. The
result says per answer how likely it is and what it would do: which of the platform's
criteria it settles, whether it excludes the platform, and the leader and shortlist after.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Collection
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kompas.engine.acceptability import SAMPLES
from kompas.engine.acceptability import Share
from kompas.engine.acceptability import contributions
from kompas.engine.acceptability import convolve
from kompas.engine.acceptability import distribution
from kompas.engine.acceptability import models
from kompas.engine.acceptability import shortlist
from kompas.engine.activation import active_criteria
from kompas.engine.answers import Answers
from kompas.engine.answers import check_answers
from kompas.engine.firsts import combine
from kompas.engine.model import Catalogue
from kompas.engine.model import Questionnaire
from kompas.engine.uncertainty import Component
from kompas.engine.uncertainty import Outcome
from kompas.engine.uncertainty import PlatformModel

MAX_ANSWERS = 64  # a question with more possible answers than this is not ranked


@dataclass(frozen=True, slots=True)
class AnswerEffect:
    """What one possible answer to a vendor question would do."""

    value: Any  # the fact's value: yes/no, an option, the set members present, a number
    probability: float  # how likely this answer is under the assumption
    met: tuple[str, ...]  # criteria of the platform this answer settles as met
    unmet: tuple[str, ...]  # criteria it settles as not met
    excluded: bool  # a must-have fails: the platform drops out
    share: float  # the platform's first share after this answer
    leader: str  # the platform most often first after this answer
    leader_share: float
    shortlist: tuple[str, ...]  # the probable shortlist after this answer


@dataclass(frozen=True, slots=True)
class WorthyQuestion:
    """A vendor question: one fact of one platform, and what its answer is worth."""

    platform_id: str
    fact: str
    worth: float  # expected reduction of the entropy of the first shares, in bits
    answers: tuple[AnswerEffect, ...]


def entropy(shares: Sequence[float]) -> float:
    """Shannon entropy in bits of shares that sum to one."""
    return -sum(p * math.log2(p) for p in shares if p > 1e-15)


def _with_rest(first: Sequence[float]) -> list[float]:
    return [*first, max(0.0, 1.0 - sum(first))]


def _conditioned(component: Component, keys: Sequence[int]) -> dict[tuple[Any, ...], Component]:
    """The component given each joint value of the variables at `keys`, by that value."""
    groups: dict[tuple[Any, ...], list[Outcome]] = {}
    for o in component.outcomes:
        groups.setdefault(tuple(o.values[k] for k in keys), []).append(o)
    result = {}
    for value, outcomes in groups.items():
        mass = sum(o.probability for o in outcomes)
        if mass <= 0:
            continue
        scaled = tuple(dataclasses.replace(o, probability=o.probability / mass) for o in outcomes)
        result[value] = dataclasses.replace(component, outcomes=scaled)
    return result


def answers_about(model: PlatformModel, fact: str) -> list[tuple[Any, float, PlatformModel]]:
    """Every answer about a fact: its value, probability and the platform's model after it.

    The model after an answer holds the components that read the fact, conditioned on it;
    `rest_of` holds the others, which the answer leaves as they were.
    """
    parts = []  # per component that reads the fact: (index, members, {value: (p, component)})
    for n, component in enumerate(model.components):
        keys = [k for k, v in enumerate(component.variables) if v.fact == fact]
        if not keys:
            continue
        given = _conditioned(component, keys)
        mass = {
            value: sum(o.probability for o in component.outcomes if _match(o, keys, value))
            for value in given
        }
        members = [component.variables[k].member for k in keys]
        parts.append((n, members, {v: (mass[v], given[v]) for v in given}))
    result = []
    for combo in itertools.product(*(sorted(p[2].items(), key=str) for p in parts)):
        components = []
        probability = 1.0
        value: dict[str | None, Any] = {}
        for (_n, members, _table), (joint, (p, component)) in zip(parts, combo, strict=True):
            components.append(component)
            probability *= p
            value.update(zip(members, joint, strict=True))
        after = dataclasses.replace(model, components=tuple(components))
        result.append((_plain(value), probability, after))
    return result


def rest_of(model: PlatformModel, fact: str) -> PlatformModel:
    """The platform's model without the components that read the fact."""
    kept = tuple(c for c in model.components if all(v.fact != fact for v in c.variables))
    return dataclasses.replace(model, components=kept)


def _match(o: Outcome, keys: Sequence[int], value: tuple[Any, ...]) -> bool:
    return tuple(o.values[k] for k in keys) == value


def _plain(value: Mapping[str | None, Any]) -> Any:
    """A fact's value from its variables: the value itself, or the set members present."""
    if None in value:
        return value[None]
    return sorted(m for m, present in value.items() if present and m is not None)


def _settled(
    after: PlatformModel, fact: str, criteria: Sequence[str]
) -> tuple[list[str], list[str], bool]:
    """Criteria reading the fact that the answer settles as met or not met; whether it excludes."""
    met: list[str] = []
    unmet: list[str] = []
    excluded = True
    for component in after.components:
        if not any(v.fact == fact for v in component.variables):
            continue
        passing = [o for o in component.outcomes if not o.fails]
        excluded = excluded and not passing
        for c, cell in enumerate(component.cells):
            values = {o.satisfactions[c] for o in component.outcomes}
            if len(values) == 1:
                (met if values == {1.0} else unmet if values == {0.0} else []).append(
                    criteria[cell.column]
                )
    return met, unmet, excluded and bool(after.components)


def questions_by_worth(
    questionnaire: Questionnaire,
    catalogue: Catalogue,
    answers: Mapping[str, Any] | Answers,
    *,
    stance: str = "neutraal",
    seed: int = 0,
    limit: int | None = None,
    asked: Collection[str] | None = None,
) -> tuple[WorthyQuestion, ...]:
    """The (platform, fact) questions about `asked` (default: the probable shortlist), by worth."""
    if not isinstance(answers, Answers):
        answers = check_answers(questionnaire, answers, strict=False)
    items, _columns, _musts, _weights = models(
        questionnaire, catalogue, answers, stance, seed, SAMPLES
    )
    ids = [ac.id for ac in active_criteria(questionnaire, answers, explain=False)]
    dists = [distribution(m) for m in items]
    first, _top = combine(dists, top_three=False)
    live = [k for k, f in enumerate(first) if f > 0]
    return rank_questions([items[k] for k in live], [dists[k] for k in live], ids, limit, asked)


def rank_questions(
    items: Sequence[PlatformModel],
    dists: Sequence[Mapping[float, float]],
    criteria: Sequence[str],
    limit: int | None = None,
    asked: Collection[str] | None = None,
) -> tuple[WorthyQuestion, ...]:
    """The questions about the platforms `asked` (default: the probable shortlist), most worth first.

    `items` are the platforms that can be first; the others never change a first share.
    """
    # numpy only here (measured 100x faster for this part): importing the engine stays pure Python.
    from kompas.engine.shares import Grid

    grid = Grid(dists)
    first = grid.first()
    before = entropy(_with_rest(first))
    if asked is None:
        listed = [Share(m.platform_id, m.name, f, 0.0) for m, f in zip(items, first, strict=True)]
        asked = shortlist(listed, max(0.0, 1.0 - sum(first)))
    found = []
    for k, model in enumerate(items):
        if model.platform_id not in asked:
            continue
        for fact in sorted({v.fact for c in model.components for v in c.variables}):
            options = answers_about(model, fact)
            if len(options) < 2 or len(options) > MAX_ANSWERS:
                continue
            rest = contributions(rest_of(model, fact))
            seen: dict[tuple[Any, ...], list[float]] = {}
            effects = []
            expected = 0.0
            for value, probability, after in options:
                dist = convolve(rest, after)
                key = tuple(sorted(dist.items()))
                if key not in seen:  # answers with the same effect on the score share it
                    seen[key] = grid.first_with(k, dist)
                shares = seen[key]
                expected += probability * entropy(_with_rest(shares))
                effects.append(_effect(value, probability, after, fact, criteria, items, shares, k))
            worth = max(0.0, before - expected)
            found.append(WorthyQuestion(model.platform_id, fact, worth, tuple(effects)))
    found.sort(key=lambda q: (-round(q.worth, 12), q.platform_id, q.fact))
    return tuple(found[:limit] if limit is not None else found)


def _effect(
    value: Any,
    probability: float,
    after: PlatformModel,
    fact: str,
    criteria: Sequence[str],
    items: Sequence[PlatformModel],
    shares: Sequence[float],
    k: int,
) -> AnswerEffect:
    met, unmet, excluded = _settled(after, fact, criteria)
    listed = [Share(m.platform_id, m.name, f, 0.0) for m, f in zip(items, shares, strict=True)]
    best = max(range(len(items)), key=lambda i: (shares[i], -i))
    return AnswerEffect(
        value,
        probability,
        tuple(met),
        tuple(unmet),
        excluded,
        shares[k],
        items[best].platform_id,
        shares[best],
        shortlist(listed, max(0.0, 1.0 - sum(shares))),
    )
