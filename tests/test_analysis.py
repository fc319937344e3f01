"""Robustness, tie-break and combinations: exact against the actual ranking and brute force."""

from __future__ import annotations

import itertools
import math
import warnings
from types import MappingProxyType
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck
from hypothesis import assume
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from pymcdm.methods import WSM

import kompas
from kompas.engine.combinations import combinations
from kompas.engine.conditions import evaluate
from kompas.engine.fact_sums import sum_fact
from kompas.engine.goals import SERVES
from kompas.engine.goals import chosen_goals
from kompas.engine.kernel import member_bounds
from kompas.engine.matrix import decision_matrix
from kompas.engine.model import Fact
from kompas.engine.model import Platform
from kompas.engine.robustness import robustness
from kompas.engine.tiebreak import tie_break
from tests.conftest import MINI_PLATFORMS
from tests.conftest import MINI_QUESTIONS
from tests.strategies import answers_for

MINI_Q, MINI_C = kompas.load(MINI_QUESTIONS, MINI_PLATFORMS)
SHIPPED_Q, SHIPPED_C = kompas.load()
EXAMPLES = ["burenhulp-dorp", "participatie-stad", "strenge-eisen"]
SETTINGS = settings(
    max_examples=int(__import__("os").environ.get("KOMPAS_EXAMPLES", "80")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def example(name: str) -> dict[str, Any]:
    from kompas.engine.yamlsource import load_file
    from tests.test_golden import ROOT

    return load_file(ROOT / "examples" / f"{name}.yaml")[0].plain()


@st.composite
def facts(draw: st.DrawFn, spec: Any) -> Fact:
    """A random fact for the mini schema: known, unknown or not applicable."""
    status = draw(st.sampled_from(["known", "known", "known", "unknown", "not_applicable"]))
    if status != "known":
        return Fact(spec.id, status)
    if spec.type == "set":
        value: Any = frozenset(draw(st.lists(st.sampled_from(list(spec.values)), unique=True)))
    elif spec.type == "choice":
        value = draw(st.sampled_from(list(spec.values)))
    elif spec.type == "bool":
        value = draw(st.booleans())
    else:
        low = draw(st.integers(0, 20)) * 1000
        value = MappingProxyType({"min": low, "max": low + draw(st.integers(0, 10)) * 1000})
    return Fact(spec.id, "known", value, "https://example.org", None)


@st.composite
def catalogues(draw: st.DrawFn, min_size: int = 2, max_size: int = 6) -> kompas.Catalogue:
    """A random catalogue over the mini fact schema."""
    n = draw(st.integers(min_size, max_size))
    platforms = tuple(
        Platform(
            f"p{i}",
            f"Platform {i}",
            "https://example.org",
            "buurt",
            "Willekeurig.",
            MappingProxyType({f: draw(facts(spec)) for f, spec in MINI_C.facts.items()}),
        )
        for i in range(n)
    )
    return MINI_C.with_platforms(platforms)


@pytest.mark.parametrize("name", EXAMPLES)
def test_matrix_scores_are_the_advice_scores(name):
    """The decision matrix reproduces the ranking's scores and exclusions exactly.

    The matrix leaves out every platform that cannot lead: those a must-have excludes,
    those that are not candidates (examples from one municipality, stopped projects), and
    (goals first) those not known to serve a chosen goal, which stand below the line, and the
    approaches that only complement a platform (listed apart, unranked).
    """
    answers = example(name)
    advice = kompas.advise(SHIPPED_Q, SHIPPED_C, answers)
    matrix = decision_matrix(SHIPPED_Q, SHIPPED_C, answers)
    ranked = {r.platform.id for r in advice.ranking}
    assert {matrix.platform_ids[i] for i in matrix.ranked()} == ranked
    aside = {r.platform.id for r in advice.aside}
    complements = {r.platform.id for r in advice.complements}
    assert {matrix.platform_ids[i] for i in matrix.complements} >= complements
    for i, pid in enumerate(matrix.platform_ids):
        result = advice.result(pid)
        assert (i in matrix.excluded) == (pid not in ranked | aside | complements)
        assert (matrix.tier(i) != SERVES and i not in matrix.excluded) == (pid in aside)
        if pid in ranked | complements:
            assert matrix.score(i) == pytest.approx(result.score)


@pytest.mark.parametrize("name", EXAMPLES)
def test_ranking_matches_an_independent_weighted_sum(name):
    """pymcdm's weighted sum on the exported matrix and weights ranks the platforms the same.

    Where no gate applies, that is: a must-have excludes, goals first puts a platform not
    known to serve a chosen goal below the line, and an offline approach is listed apart,
    unranked, where a digital platform is wanted. A plain weighted sum has none of these
    gates, so the cross-check compares the platforms inside the first group only.
    """
    answers = example(name)
    matrix = decision_matrix(SHIPPED_Q, SHIPPED_C, answers)
    advice = kompas.advise(SHIPPED_Q, SHIPPED_C, answers)
    weights = np.array(matrix.weights)
    # A plain weighted sum needs one denominator for everybody: every weighted criterion
    # counts for every platform (not applicable counts as not met).
    rows = [
        i
        for i in range(len(matrix.platform_ids))
        if i not in matrix.excluded
        and matrix.tier(i) == SERVES
        and i not in matrix.complements
        and all(lo is not None for lo, w in zip(matrix.low[i], weights, strict=True) if w > 0)
    ]
    assume_enough = len(rows) >= 3
    assert assume_enough, "too few comparable platforms for a meaningful cross-check"
    cols = [j for j, w in enumerate(weights) if w > 0]
    table = np.array([[(matrix.low[i][j] + matrix.high[i][j]) / 2 for j in cols] for i in rows])
    w = weights[cols] / weights[cols].sum()
    with warnings.catch_warnings():
        # pymcdm warns about dominated alternatives; in a ranking they are expected.
        warnings.filterwarnings("ignore", "Alternatives with indices", UserWarning)
        preference = WSM(normalization_function=lambda x, cost=False: x)(
            table, w, np.ones(len(cols))
        )
    expected = [matrix.platform_ids[i] for i in rows]
    by_pymcdm = sorted(expected, key=lambda pid: (-round(preference[expected.index(pid)], 9), pid))
    by_engine = [r.platform.id for r in advice.ranking if r.platform.id in expected]
    engine_scores = {r.platform.id: r.score for r in advice.ranking}
    for pid, p in zip(expected, preference, strict=True):
        assert engine_scores[pid] == pytest.approx(100 * p)
    # Equal scores are ordered by coverage, then name in the engine; compare as score groups.
    assert [round(engine_scores[p], 6) for p in by_engine] == [
        round(engine_scores[p], 6) for p in by_pymcdm
    ]
    # The score range and the shortlist (ranked platforms no other ranked platform surely
    # beats: A surely beats B when A's lowest score is above B's highest) agree too.
    bounds_by = {}
    for name_, side in (("lower", 0), ("upper", 1)):
        part = np.array([[(matrix.low[i][j], matrix.high[i][j])[side] for j in cols] for i in rows])
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Alternatives with indices", UserWarning)
            warnings.filterwarnings("ignore", category=RuntimeWarning)
            bounds_by[name_] = WSM(normalization_function=lambda x, cost=False: x)(
                part, w, np.ones(len(cols))
            )
    lower = {pid: 100 * bounds_by["lower"][k] for k, pid in enumerate(expected)}
    upper = {pid: 100 * bounds_by["upper"][k] for k, pid in enumerate(expected)}
    ranked = {r.platform.id: r for r in advice.ranking if r.platform.id in expected}
    for pid, r in ranked.items():
        assert r.lower == pytest.approx(lower[pid]) and r.upper == pytest.approx(upper[pid])

    def shortlist(lo, hi):
        return {b for b in lo if not any(lo[a] > hi[b] + 1e-9 for a in lo if a != b)}

    engine_lo = {pid: r.lower for pid, r in ranked.items()}
    engine_hi = {pid: r.upper for pid, r in ranked.items()}
    assert shortlist(engine_lo, engine_hi) == shortlist(lower, upper)


@settings(SETTINGS, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(catalogue=catalogues(), data=st.data())
def test_a_shared_first_place_keeps_its_range_whole(catalogue, data):
    """With a shared first place, inside each end of a range one of those who share it leads;
    just outside, the named platform beats every one of them."""
    answers = data.draw(answers_for(MINI_Q))
    matrix = decision_matrix(MINI_Q, catalogue, answers)
    result = robustness(MINI_Q, catalogue, answers, matrix=matrix)
    assume(len(result.top) > 1)
    ids = matrix.platform_ids
    tops = {ids.index(p) for p in result.top}
    for interval in result.intervals:
        j = [a.id for a in matrix.active].index(interval.criterion_id)

        def first_at(x: float, j: int = j) -> set[int]:
            weights = list(matrix.weights)
            weights[j] = x
            return set(matrix.top(tuple(weights)))

        assert first_at(interval.weight) == tops
        for bound, inside, outside, other in (
            (interval.upper, -1, 1, interval.above),
            (interval.lower, 1, -1, interval.below),
        ):
            if not math.isfinite(bound) or (outside < 0 and bound <= 0):
                continue
            step = max(1e-6, bound * 1e-6)
            assert first_at(bound + inside * step) & tops, (interval, bound)
            past = first_at(max(0.0, bound + outside * step))
            assert ids.index(other) in past and not past & tops, (interval, past)


@SETTINGS
@given(catalogue=catalogues(), data=st.data())
def test_stability_interval_ends_are_where_the_top_changes(catalogue, data):
    """Just inside each end the top stays; just outside the named platform overtakes."""
    answers = data.draw(answers_for(MINI_Q))
    matrix = decision_matrix(MINI_Q, catalogue, answers)
    result = robustness(MINI_Q, catalogue, answers, matrix=matrix)
    assume(len(result.top) == 1 and result.margin is not None and result.margin > 1e-6)
    top = matrix.platform_ids.index(result.top[0])
    for interval in result.intervals:
        j = [a.id for a in matrix.active].index(interval.criterion_id)

        def scores_at(x: float, j: int = j) -> dict[int, float | None]:
            weights = list(matrix.weights)
            weights[j] = x
            return matrix.scores(tuple(weights))

        def leads(x: float, scores_at=scores_at) -> bool:
            s = scores_at(x)
            return all(v is None or v <= s[top] + 1e-9 for v in s.values())

        assert leads(interval.weight)
        if math.isfinite(interval.upper):
            step = max(1e-6, interval.upper * 1e-6)
            assert leads(interval.upper - step)
            s = scores_at(interval.upper + step)
            other = matrix.platform_ids.index(interval.above)
            assert s[other] > s[top]
        if interval.lower > 0:
            step = max(1e-6, interval.lower * 1e-6)
            assert leads(interval.lower + step)
            s = scores_at(max(0.0, interval.lower - step))
            other = matrix.platform_ids.index(interval.below)
            assert s[other] > s[top]


@pytest.mark.parametrize("name", EXAMPLES)
def test_leave_one_out_matches_recomputing_without_the_answer(name):
    """The leave-one-out top is the top of a full advice without that answer."""
    answers = example(name)
    result = robustness(SHIPPED_Q, SHIPPED_C, answers)
    for item in result.leave_one_out:
        rest = {k: v for k, v in answers.items() if k != item.question_id}
        advice = kompas.advise(SHIPPED_Q, SHIPPED_C, rest, strict=False)
        best = advice.ranking[0].score if advice.ranking else None
        top = (
            tuple(sorted(r.platform.id for r in advice.ranking if r.score == best))
            if best is not None
            else ()
        )
        assert item.top == top, item.question_id


def brute_force(catalogue, answers, size, limit=3):
    """Every combination of `size`, scored from first principles, passengers removed."""
    checked = kompas.check_answers(MINI_Q, answers, strict=False)
    matrix = decision_matrix(MINI_Q, catalogue, checked)
    criteria = [MINI_Q.criteria[a.id] for a in matrix.active]

    def score(members):
        total = achieved = known = 0.0
        for j, (ac, criterion) in enumerate(zip(matrix.active, criteria, strict=True)):
            if criterion.combine == "sum":
                fact_id = next(iter(criterion.facts()))
                fact = sum_fact([catalogue.platforms[i].fact(fact_id) for i in members])
                lo, hi = member_bounds(
                    criterion, evaluate(criterion.condition, {fact_id: fact}, checked.values)
                )
            else:
                # A member to which the criterion does not apply leaves it to the others.
                counted = [
                    (matrix.low[i][j], matrix.high[i][j])
                    for i in members
                    if (i, j) not in matrix.member_skip
                ]
                if not counted:  # applies to no member: the combination does not provide it
                    lo = hi = 0.0
                elif criterion.combine == "any":
                    lo, hi = max(c[0] for c in counted), max(c[1] for c in counted)
                else:
                    lo, hi = min(c[0] for c in counted), min(c[1] for c in counted)
            if lo is None:  # a sum that applies to no member
                lo = hi = 0.0
            if ac.must and hi == 0.0:
                return None
            if lo is None or ac.weight <= 0:
                continue
            total += ac.weight
            achieved += ac.weight * (lo + hi) / 2
            known += ac.weight if lo == hi else 0.0
        return None if total == 0 else (100 * achieved / total, 100 * known / total)

    results = []
    n = len(catalogue.platforms)
    for members in itertools.combinations(range(n), size):
        s = score(members)
        if s is None:
            continue
        passengers = False
        for k in range(size):
            rest = members[:k] + members[k + 1 :]
            sub = (
                score(rest)
                if len(rest) > 1
                else (None if rest[0] in matrix.excluded else (matrix.score(rest[0]), None))
            )
            if sub is not None and sub[0] is not None and sub[0] >= s[0] - 1e-9:
                passengers = True
        if not passengers:
            ids = tuple(sorted(matrix.platform_ids[i] for i in members))
            results.append((-s[0], -s[1], ids, s[0]))
    results.sort()
    return [(r[2], r[3]) for r in results[:limit]]


@SETTINGS
@given(catalogue=catalogues(min_size=3, max_size=7), data=st.data())
def test_combination_search_equals_brute_force(catalogue, data):
    """Branch and bound finds exactly the best pairs and triples that trying all of them finds."""
    answers = data.draw(answers_for(MINI_Q))
    found = combinations(MINI_Q, catalogue, answers, limit=3)
    for size in (2, 3):
        got = [(tuple(sorted(c.platform_ids)), c.score) for c in found.by_size[size]]
        expected = brute_force(catalogue, answers, size)
        assert [g[0] for g in got] == [e[0] for e in expected]
        assert [g[1] for g in got] == pytest.approx([e[1] for e in expected])


def test_shipped_combinations_finish_and_explain():
    """On the shipped catalogue pairs are found, each member bringing a chosen goal the others
    are not known to serve (three chosen goals rarely split over three members: triples may
    be absent), and each pair does better than the best single platform somewhere."""
    answers = example("burenhulp-dorp")
    found = combinations(SHIPPED_Q, SHIPPED_C, answers)
    assert found.accepted is True
    assert found.pairs
    chosen = chosen_goals(SHIPPED_Q, answers)
    for combo in found.pairs + found.triples:
        for p in combo.platform_ids:
            own = set(combo.covers[p]) & chosen
            others = {g for o in combo.platform_ids if o != p for g in combo.covers[o]}
            assert own - others, (combo.platform_ids, p)
        assert combo.gains


def test_tie_break_offers_questions_that_separate_the_top_two():
    """When the top two are within the margin, the suggested answers really separate them."""
    answers = example("burenhulp-dorp")
    pair, separators = tie_break(SHIPPED_Q, SHIPPED_C, answers)
    assert pair is not None and separators
    before = kompas.advise(SHIPPED_Q, SHIPPED_C, answers)
    gap = before.result(pair[0]).score - before.result(pair[1]).score
    assert abs(gap) < SHIPPED_Q.tie_margin
    for s in separators:
        assert answers.get(s.question_id) in (None, 0)
        after = kompas.advise(
            SHIPPED_Q, SHIPPED_C, {**answers, s.question_id: s.answer}, strict=False
        )
        a, b = after.result(pair[0]), after.result(pair[1])
        if s.decisive:
            assert a.excluded != b.excluded
        else:
            assert abs(a.score - b.score) == pytest.approx(s.gap_after)
            assert abs(a.score - b.score) > abs(gap)


def test_no_tie_break_when_the_lead_is_clear():
    """Outside the margin Kompas does not invent a tie-break."""
    pair, separators = tie_break(SHIPPED_Q, SHIPPED_C, example("participatie-stad"))
    assert pair is None and separators == ()


def test_platform_with_offline_approach_when_offline_residents_matter():
    """When offline access weighs, the best platform + offline approach pairs are found exactly."""
    answers = example("burenhulp-dorp")
    found = combinations(SHIPPED_Q, SHIPPED_C, answers)
    assert found.with_offline
    offline = {p.id for p in SHIPPED_C.platforms if p.category == SHIPPED_Q.offline_category}
    for combo in found.with_offline:
        assert len(set(combo.platform_ids) & offline) == 1
    # Exactly the best of trying every platform + approach pair on its own (the search skips
    # platforms whose bound cannot reach the pairs it keeps).
    expected = _offline_pairs_one_by_one(answers, len(found.with_offline))
    assert [c.platform_ids for c in found.with_offline] == [ids for ids, _s in expected]
    assert [c.score for c in found.with_offline] == pytest.approx([s for _ids, s in expected])
    # Without answers that switch the offline criterion on, no such pairs are offered.
    goals_only = {k: answers[k] for k in ("doelen", "meerdere_platforms")}
    assert SHIPPED_Q.offline_criterion not in {
        a.id for a in decision_matrix(SHIPPED_Q, SHIPPED_C, goals_only).active
    }
    assert combinations(SHIPPED_Q, SHIPPED_C, goals_only).with_offline == ()


def _offline_pairs_one_by_one(answers, limit):
    """Every platform + offline approach pair, each scored alone, best `limit` first."""
    offline = [p.id for p in SHIPPED_C.platforms if p.category == SHIPPED_Q.offline_category]
    matrix = decision_matrix(SHIPPED_Q, SHIPPED_C, answers)
    every = []
    for platform in SHIPPED_C.platforms:
        if platform.id in offline or platform.id not in matrix.platform_ids:
            continue
        for approach in offline:
            # The pair's own rule (both serve a chosen goal; the approach complements the
            # platform), on a catalogue of just these two.
            pair = combinations(
                SHIPPED_Q,
                SHIPPED_C.with_platforms((platform, SHIPPED_C.platform(approach))),
                answers,
                sizes=(2,),
            ).with_offline
            if pair:
                every.append((-pair[0].score, -(pair[0].coverage or 0.0), (platform.id, approach)))
    every.sort()
    return [(ids, -s) for s, _c, ids in every[:limit]]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(changes=answers_for(SHIPPED_Q), limit=st.integers(min_value=1, max_value=3))
def test_offline_pairs_skip_nothing_that_belongs_in_the_list(changes, limit):
    """The pruned platform + approach search shows exactly the best of trying every pair.

    Other answers on top of a dossier where offline residents matter move which platform
    pairs best with an approach, so the pairs kept first are not always the best.
    """
    answers = {**example("burenhulp-dorp"), **changes}
    matrix = decision_matrix(SHIPPED_Q, SHIPPED_C, answers)
    assume(any(a.id == SHIPPED_Q.offline_criterion and a.weight > 0 for a in matrix.active))
    found = combinations(SHIPPED_Q, SHIPPED_C, answers, sizes=(2,), limit=limit).with_offline
    expected = _offline_pairs_one_by_one(answers, limit)
    assert [c.platform_ids for c in found] == [ids for ids, _s in expected]
    assert [c.score for c in found] == pytest.approx([s for _ids, s in expected])
