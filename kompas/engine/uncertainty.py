"""What a platform's unknown facts may turn out to be, and what each outcome does to its score.

Every unknown fact that an active criterion reads becomes one or more *variables*: a yes/no
fact and a choice fact one each, a set fact one yes/no variable per member that a condition
tests (members nobody tests cannot change a score), a number fact one variable whose values
are the classes of numbers the criteria's thresholds tell apart. Variables that unknown
criteria read together (or that a fact's `requires`/`positive_when` ties together) form a
*component*; components are independent under the assumption, so each is enumerated on its
own and a platform's score distribution is their convolution. The satisfaction of every
outcome comes from the kernel (`raw_satisfaction`, `bounds`, `must_outcome`).
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from kompas.engine.conditions import evaluate
from kompas.engine.kernel import Scores
from kompas.engine.kernel import bounds
from kompas.engine.kernel import must_outcome
from kompas.engine.kernel import raw_satisfaction
from kompas.engine.model import NOT_APPLICABLE
from kompas.engine.model import Catalogue
from kompas.engine.model import Condition
from kompas.engine.model import Criterion
from kompas.engine.model import Fact
from kompas.engine.model import FactDef
from kompas.engine.model import Platform

# The stances: how much likelier an unknown turns out unfavourable than favourable.
# Neutral: as likely either way. Cautious ('voorzichtig'): three times as likely
# unfavourable, so a yes/no fact is favourable in 25% of the outcomes.
STANCES: Mapping[str, float] = {"neutraal": 1.0, "voorzichtig": 1.0 / 3.0}
Key = tuple[str, str | None]  # a variable: (fact, member of a set fact or None)
DIGITS = 9  # contributions are compared rounded, like advise's ranking keys


@dataclass(frozen=True, slots=True)
class Variable:
    """One uncertain part of a platform's facts and the values it may take."""

    fact: str
    member: str | None  # the member of a set fact, None for the fact as a whole
    values: tuple[Any, ...]
    number: bool = False  # a number class: conditional on positive_when


@dataclass(frozen=True, slots=True)
class Cell:
    """An active criterion whose satisfaction for this platform is unknown."""

    column: int  # index into the active criteria
    criterion: Criterion
    weight: float
    must: bool


@dataclass(frozen=True, slots=True)
class Outcome:
    """One way a component can turn out: its values, probability and effect on the score."""

    values: tuple[Any, ...]  # one per variable of the component
    probability: float
    contribution: float  # weight times satisfaction, summed over the component's cells
    fails: bool  # a must-have fails in this outcome: the platform drops out
    satisfactions: tuple[float, ...]  # one per cell
    choices: tuple[tuple[Any, ...], ...] = ()  # per variable, the values it could take here


@dataclass(frozen=True, slots=True)
class Component:
    """Variables read together, the cells that read them and every outcome."""

    variables: tuple[Variable, ...]
    cells: tuple[Cell, ...]
    outcomes: tuple[Outcome, ...]
    sampled: int  # 0 when enumerated exactly, else the number of draws
    priors: Mapping[int, Mapping[Any, float]] | None = None  # the stance's odds (None: neutral)


def leaves(condition: Condition) -> list[Condition]:
    """The comparisons of a condition (its leaves)."""
    if condition.children:
        return [leaf for child in condition.children for leaf in leaves(child)]
    return [condition]


def criterion_leaves(criterion: Criterion, facts: Mapping[str, FactDef]) -> list[Condition]:
    """The comparisons a criterion makes, with a grade written as one on its fact."""
    if criterion.grade is not None:
        return [Condition("is", criterion.grade.fact, "fact")]
    leaves_ = leaves(criterion.condition) if criterion.condition else []
    extra: list[Condition] = []
    for leaf in leaves_:
        spec = facts.get(leaf.subject)
        for test in (spec.requires, spec.positive_when) if spec else ():
            if test is not None:
                extra += leaves(test)
    return leaves_ + extra


def _operand_values(leaf: Condition, answers: Mapping[str, Any]) -> tuple[Any, ...]:
    operand = leaf.operand
    if operand is None:
        return ()
    value = answers.get(operand.answer) if operand.answer else operand.value
    if isinstance(value, list | tuple | frozenset | set):
        return tuple(value)
    return () if value is None else (value,)


def _number_classes(
    fid: str, spec: FactDef, tests: list[Condition], answers: Mapping[str, Any], above: Any
) -> tuple[Any, ...]:
    """Representative numbers, one per class of values the thresholds tell apart."""
    limits = sorted(
        {
            float(v)
            for t in tests
            for v in _operand_values(t, answers)
            if isinstance(v, int | float) and not isinstance(v, bool)
        }
    )
    points = {limit + d for limit in limits for d in (-1.0, 0.0, 1.0)}
    points |= {(a + b) / 2 for a, b in itertools.pairwise(limits)}
    if above is not None:
        points = {p for p in points if p > above}
    if not points:
        points = {0.0 if above is None else float(above) + 1.0}
    classes: dict[tuple[Any, ...], Any] = {}
    for point in sorted(points):
        facts = {fid: Fact(fid, "known", _number(spec, point))}
        key = tuple(evaluate(t, facts, answers) for t in tests)
        classes.setdefault(key, point)
    return tuple(classes.values())


def platform_variables(
    platform: Platform, cells: Sequence[Cell], catalogue: Catalogue, answers: Mapping[str, Any]
) -> tuple[dict[Key, Variable], dict[int, set[Key]]]:
    """The variables of a platform's unknown cells, and which variables each cell reads."""
    specs = catalogue.facts
    tests: dict[str, list[Condition]] = {}
    members: dict[str, set[str]] = {}
    reads: dict[int, set[Key]] = {}
    for k, cell in enumerate(cells):
        reads[k] = set()
        for leaf in criterion_leaves(cell.criterion, specs):
            spec = specs.get(leaf.subject)
            fact = platform.fact(leaf.subject)
            if spec is None or fact.status != "unknown" or spec.type == "text":
                continue
            tests.setdefault(spec.id, []).append(leaf)
            if spec.type == "set":
                wanted = [v for v in _operand_values(leaf, answers) if v in spec.values]
                members.setdefault(spec.id, set()).update(wanted)
                reads[k].update((spec.id, m) for m in wanted)
            else:
                reads[k].add((spec.id, None))
    variables: dict[Key, Variable] = {}
    for fid, leaf_tests in tests.items():
        spec = specs[fid]
        if spec.type == "set":
            for m in sorted(members.get(fid, ())):
                variables[fid, m] = Variable(fid, m, (True, False))
        elif spec.type == "bool":
            variables[fid, None] = Variable(fid, None, (True, False))
        elif spec.type == "choice":
            variables[fid, None] = Variable(fid, None, tuple(spec.values))
        else:
            above = platform.fact(fid).above
            values = _number_classes(fid, spec, leaf_tests, answers, above)
            variables[fid, None] = Variable(fid, None, values, number=True)
    return variables, reads


def group(reads: Mapping[int, set[Key]]) -> list[tuple[list[int], list[Key]]]:
    """Cells that share variables, with their variables (connected components)."""
    groups: list[tuple[set[int], set[Key]]] = []
    for cell, keys in sorted(reads.items()):
        cells, joined = {cell}, set(keys)
        rest = []
        for other_cells, other_keys in groups:
            if other_keys & joined:
                cells |= other_cells
                joined |= other_keys
            else:
                rest.append((other_cells, other_keys))
        groups = [*rest, (cells, joined)]
    return [(sorted(c), sorted(k, key=str)) for c, k in groups]


class World:
    """A platform's facts with some unknown ones filled in, as the kernel reads them."""

    def __init__(self, platform: Platform, catalogue: Catalogue) -> None:
        self.platform = platform
        self.specs = catalogue.facts

    def facts(self, variables: Sequence[Variable], values: Sequence[Any]) -> dict[str, Fact]:
        """The platform's facts with these values, dependent facts ruled out where required."""
        facts = dict(self.platform.facts)
        chosen: dict[str, set[str]] = {}
        for variable, value in zip(variables, values, strict=True):
            if variable.member is None:
                spec = self.specs[variable.fact]
                facts[variable.fact] = Fact(variable.fact, "known", _number(spec, value))
            elif value:
                chosen.setdefault(variable.fact, set()).add(variable.member)
            else:
                chosen.setdefault(variable.fact, set())
        for fid, members in chosen.items():
            facts[fid] = Fact(fid, "known", frozenset(members))
        for variable in variables:
            spec = self.specs[variable.fact]
            if spec.requires is not None and evaluate(spec.requires, facts, {}) == 0.0:
                facts[variable.fact] = Fact(variable.fact, NOT_APPLICABLE)
        return facts

    def allowed(self, variable: Variable, facts: Mapping[str, Fact]) -> tuple[Any, ...]:
        """The values a number may take: above zero where `positive_when` holds."""
        spec = self.specs[variable.fact]
        if spec.positive_when is None or evaluate(spec.positive_when, facts, {}) != 1.0:
            return variable.values
        kept = tuple(v for v in variable.values if _low(v) > 0)
        return kept or variable.values


def _low(value: Any) -> float:
    return float(value)


def _number(spec: FactDef, value: Any) -> Any:
    """A value as the fact holds it: a range fact holds a number as its own range."""
    return {"min": value, "max": value} if spec.type == "range" else value


def component_key(
    world: World, variables: Sequence[Variable], cells: Sequence[Cell]
) -> tuple[Any, ...]:
    """What a component's outcomes depend on: platforms with equal keys have equal outcomes."""
    read = sorted(
        {
            f
            for cell in cells
            for leaf in criterion_leaves(cell.criterion, world.specs)
            for f in (leaf.subject,)
        }
    )
    known = []
    for fid in read:
        fact = world.platform.fact(fid)
        value = fact.value
        if isinstance(value, Mapping):
            value = tuple(sorted(value.items()))
        elif isinstance(value, list | set):
            value = frozenset(value)
        known.append((fid, fact.status, value, fact.above))
    return (tuple(variables), tuple(c.column for c in cells), tuple(known))


def score_cells(
    cells: Sequence[Cell], facts: Mapping[str, Fact], answers: Mapping[str, Any]
) -> tuple[float, bool, tuple[float, ...]]:
    """Contribution, must-have failure and satisfactions of the cells, read by the kernel."""
    total = 0.0
    fails = False
    shown = []
    for cell in cells:
        low, high = bounds(cell.criterion, raw_satisfaction(cell.criterion, facts, answers))
        lo = 0.0 if low is None else low
        hi = lo if high is None else high
        value = (lo + hi) / 2  # still unknown only if a test reads an unmodelled fact
        total += cell.weight * value
        fails = fails or (cell.must and must_outcome(lo, hi) == "fail")
        shown.append(value)
    return round(total, DIGITS), fails, tuple(shown)


@dataclass(frozen=True, slots=True)
class PlatformModel:
    """A candidate's known part of the score and the components of its unknown part."""

    index: int  # into the catalogue's platforms
    platform_id: str
    name: str
    achieved: float  # weight times satisfaction over the known criteria (kernel sums)
    total: float  # the weight that counts
    components: tuple[Component, ...]
    world: World = field(compare=False, repr=False)

    def score(self, contribution: float) -> float:
        """The kernel's score when the unknown part adds `contribution`."""
        return _score(self.achieved, self.total, contribution)


@functools.lru_cache(maxsize=1 << 16)
def _score(achieved: float, total: float, contribution: float) -> float:
    """Scores.score with every fact known (memoised: the question ranking asks often)."""
    full = Scores(achieved + contribution, total, total).score
    return round(0.0 if full is None else full, DIGITS)
