"""The pruned combination search finds what trying every combination of the candidates finds.

The brute force in test_analysis scores combinations from first principles on a questionnaire
without goals; here the shipped questionnaire has chosen goals, so the search also prunes
branches where a member no longer brings a goal of its own. The reference below prunes
nothing: it scores every pair and triple of candidates and keeps those where each member
brings a goal the others lack and leaving any member out lowers the score.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

import kompas
from kompas.engine.answers import check_answers
from kompas.engine.combination_rows import Rows
from kompas.engine.combinations import combinations
from kompas.engine.matrix import decision_matrix
from tests.strategies import answers_for
from tests.test_analysis import EXAMPLES
from tests.test_analysis import example

SHIPPED_Q, SHIPPED_C = kompas.load()


def every_combination(catalogue: Any, answers: dict[str, Any], size: int, limit: int = 3) -> list:
    """The best `limit` combinations of `size` candidates, found by trying each of them."""
    checked = check_answers(SHIPPED_Q, answers, strict=False)
    matrix = decision_matrix(SHIPPED_Q, catalogue, checked)
    rows = Rows(SHIPPED_Q, catalogue, matrix, checked.values)
    ids = matrix.platform_ids
    kept = []
    for members in itertools.combinations(rows.candidates, size):
        state = rows.start()
        for i in members:
            state = rows.add(state, i)
        scored = rows.score(state)
        if scored is None or not rows.brings_goals(members):
            continue
        if rows.every_member_counts(members, scored[0]):
            names = tuple(sorted(ids[i] for i in members))
            kept.append((-scored[0], -(scored[1] or 0.0), names))
    kept.sort()
    return [(names, -neg) for neg, _coverage, names in kept[:limit]]


def assert_same(catalogue: Any, answers: dict[str, Any]) -> None:
    """The search's pairs and triples equal the exhaustive ones, names and scores."""
    found = combinations(SHIPPED_Q, catalogue, answers, limit=3)
    for size in (2, 3):
        got = [(tuple(sorted(c.platform_ids)), c.score) for c in found.by_size[size]]
        expected = every_combination(catalogue, answers, size)
        assert [g[0] for g in got] == [e[0] for e in expected], size
        assert [g[1] for g in got] == pytest.approx([e[1] for e in expected]), size


@pytest.mark.parametrize("name", EXAMPLES)
def test_pruned_search_equals_every_combination_on_the_examples(name):
    """On the shipped catalogue and example answers (a smaller catalogue keeps it quick)."""
    platforms = SHIPPED_C.platforms[:24]
    assert_same(SHIPPED_C.with_platforms(platforms), example(name))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    changes=answers_for(SHIPPED_Q),
    picked=st.lists(st.integers(0, len(SHIPPED_C.platforms) - 1), min_size=3, max_size=12),
)
def test_pruned_search_equals_every_combination_on_small_catalogues(changes, picked):
    """Random answers on top of a dossier with chosen goals, on a few shipped platforms."""
    platforms = tuple(SHIPPED_C.platforms[i] for i in sorted(set(picked)))
    assert_same(SHIPPED_C.with_platforms(platforms), {**example("burenhulp-dorp"), **changes})
