"""Platforms side by side: the best pairs and triples, found exactly by branch and bound.

Per criterion, ``combine`` in questions.yaml says how several platforms score together:
``any`` (one member suffices: a goal such as burenhulp), ``all`` (every member must:
a requirement such as no ads; the weakest member counts) or ``sum`` (the members'
numbers add up, such as costs against the budget). The search visits combinations
best-first and skips every branch whose upper bound cannot reach the results so far,
so it returns the same best combinations as trying them all. Catalogues of more than
POOL eligible platforms are searched among the best POOL and, per goal, the best
SPECIALISTS at it (the shipped catalogue is far below that).

This module describes what the search finds; the rows and scores are in
kompas.engine.combination_rows, the branch and bound in kompas.engine.combination_search.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from kompas.engine.answers import Answers
from kompas.engine.answers import check_answers
from kompas.engine.combination_rows import Rows
from kompas.engine.combination_search import best
from kompas.engine.combination_search import with_offline
from kompas.engine.fact_sums import sum_fact
from kompas.engine.kernel import EPSILON
from kompas.engine.matrix import Matrix
from kompas.engine.matrix import decision_matrix
from kompas.engine.model import Catalogue
from kompas.engine.model import Fact
from kompas.engine.model import Questionnaire


@dataclass(frozen=True, slots=True)
class Combination:
    """Several platforms side by side, scored together."""

    platform_ids: tuple[str, ...]
    score: float
    lower: float
    upper: float
    fit: float | None
    coverage: float | None
    covers: Mapping[str, tuple[str, ...]]  # platform -> goal criteria it meets
    overlaps: tuple[tuple[str, tuple[str, ...]], ...]  # goal criterion -> members that all meet it
    sums: tuple[tuple[str, Fact], ...]  # sum criterion -> the members' combined fact
    gains: tuple[str, ...]  # criteria where it does better than the best single platform
    losses: tuple[str, ...]  # criteria where it does worse than the best single platform
    # The combined yearly cost range in euro (None when a member's price is unknown, or the
    # questionnaire names no cost fact), and the members whose price is unknown.
    cost_low: float | None = None
    cost_high: float | None = None
    cost_unknown: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Combinations:
    """The best pairs and triples, beside the best single platform."""

    accepted: bool | None  # the advisor's answer to the questionnaire's combinations question
    best_single: str | None
    best_single_score: float | None
    by_size: Mapping[int, tuple[Combination, ...]]
    # The best pairs of one platform and one offline approach, when offline residents matter.
    with_offline: tuple[Combination, ...] = ()

    @property
    def pairs(self) -> tuple[Combination, ...]:
        """The best pairs."""
        return self.by_size.get(2, ())

    @property
    def triples(self) -> tuple[Combination, ...]:
        """The best triples."""
        return self.by_size.get(3, ())

    def beats_single(self, combination: Combination) -> bool:
        """Whether a combination scores higher than the best single platform."""
        return (
            self.best_single_score is None or combination.score > self.best_single_score + EPSILON
        )


def combinations(
    questionnaire: Questionnaire,
    catalogue: Catalogue,
    answers: Mapping[str, Any] | Answers,
    sizes: tuple[int, ...] = (2, 3),
    limit: int = 3,
    matrix: Matrix | None = None,
) -> Combinations:
    """The best combinations of each size, beside the best single platform."""
    if not isinstance(answers, Answers):
        answers = check_answers(questionnaire, answers, strict=False)
    matrix = matrix or decision_matrix(questionnaire, catalogue, answers)
    search = Rows(questionnaire, catalogue, matrix, answers.values)
    ranked = matrix.ranked()
    top = ranked[0] if ranked else None
    by_size = {
        size: tuple(
            _describe(search, members, score, per, top)
            for score, _coverage, members, per in best(search, size, limit)
        )
        for size in sizes
    }
    qid = questionnaire.combinations_question
    accepted = answers.values.get(qid) if qid else None
    return Combinations(
        accepted,
        matrix.platform_ids[top] if top is not None else None,
        matrix.score(top) if top is not None else None,
        MappingProxyType(by_size),
        tuple(
            _describe(search, members, score, per, top)
            for score, members, per in with_offline(questionnaire, catalogue, search, limit)
        ),
    )


def _describe(
    search: Rows,
    members: tuple[int, ...],
    score: float,
    per: list[tuple[float | None, float | None]],
    top: int | None,
) -> Combination:
    matrix = search.matrix
    ids = matrix.platform_ids
    covers: dict[str, list[str]] = {ids[i]: [] for i in members}
    overlaps, gains, losses = [], [], []
    lows = highs = total = known = fit = 0.0
    for j, (ac, rule, (lo, hi)) in enumerate(zip(matrix.active, search.rules, per, strict=True)):
        if rule == "any" and ac.weight > 0:
            meeting = [ids[i] for i in members if matrix.low[i][j] == 1.0]
            for pid in meeting:
                covers[pid].append(ac.id)
            if len(meeting) > 1:
                overlaps.append((ac.id, tuple(meeting)))
        if lo is None or ac.weight <= 0:
            continue
        if top is not None:
            single_lo, single_hi = matrix.low[top][j], matrix.high[top][j]
            single = None if single_lo is None else (single_lo + single_hi) / 2  # type: ignore[operator]
            mid = (lo + hi) / 2  # type: ignore[operator]
            if single is None or mid > single + EPSILON:
                gains.append(ac.id)
            elif mid < single - EPSILON:
                losses.append(ac.id)
        total += ac.weight
        lows += ac.weight * lo
        highs += ac.weight * hi  # type: ignore[operator]
        if lo == hi:
            known += ac.weight
            fit += ac.weight * lo
    sums = tuple(
        (matrix.active[j].id, sum_fact([search.platforms[i].fact(fact_id) for i in members]))
        for j, fact_id in search.sum_facts.items()
    )
    cost_low, cost_high, cost_unknown = _cost(search, members)
    return Combination(
        tuple(ids[i] for i in members),
        score,
        100.0 * lows / total if total else 0.0,
        100.0 * highs / total if total else 0.0,
        100.0 * fit / known if known else None,
        100.0 * known / total if total else None,
        MappingProxyType({k: tuple(v) for k, v in covers.items()}),
        tuple(overlaps),
        sums,
        tuple(gains),
        tuple(losses),
        cost_low,
        cost_high,
        cost_unknown,
    )


def _cost(
    search: Rows, members: tuple[int, ...]
) -> tuple[float | None, float | None, tuple[str, ...]]:
    """The members' combined yearly cost range, or the members whose price is unknown."""
    fact_id = search.cost_fact
    if not fact_id:
        return None, None, ()
    facts = [search.platforms[i].fact(fact_id) for i in members]
    unknown = tuple(
        search.matrix.platform_ids[i]
        for i, f in zip(members, facts, strict=True)
        if f.status == "unknown"
    )
    if unknown:
        return None, None, unknown
    total = sum_fact(facts)
    if not total.known:  # no member has a price that applies: nothing to pay for the platforms
        return 0.0, 0.0, ()
    if isinstance(total.value, Mapping):
        return float(total.value["min"]), float(total.value["max"]), ()
    return float(total.value), float(total.value), ()
