"""A stopped project or another municipality's own instance never appears next to a candidate
(issue 19): it is named apart with its reason, which is its warning, and nowhere else in the
advice, so it needs no red flag (docs/design.md, "Availability")."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings

import kompas
from kompas.engine.kernel import is_candidate
from tests.strategies import answers_for

ROOT = Path(__file__).resolve().parent.parent
CONTACT = {"doelen": ["contact"], "hoofddoel": "contact"}


def _set_availability(text: str, platform_id: str, value: str) -> str:
    """The catalogue text with one platform's availability value replaced."""
    start = text.index(f"  - id: {platform_id}\n")
    end = text.find("\n  - id: ", start + 1)
    end = len(text) if end < 0 else end
    block = re.sub(
        r"availability:\n      value: \w+",
        f"availability:\n      value: {value}",
        text[start:end],
        count=1,
    )
    return text[:start] + block + text[end:]


@pytest.fixture(scope="module")
def non_candidates(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[kompas.Questionnaire, kompas.Catalogue, frozenset[str]]:
    """The shipped data with the two best ranked platforms for contact (of known availability)
    made non-candidates: the first stopped, the second another municipality's own."""
    q, c = kompas.load()
    ranked = kompas.advise(q, c, CONTACT).ranking
    leaders = [r.platform.id for r in ranked if r.platform.availability_fact.known][:2]
    text = (ROOT / "platforms.yaml").read_text(encoding="utf-8")
    text = _set_availability(text, leaders[0], "gestopt")
    text = _set_availability(text, leaders[1], "eigen_gemeente")
    path = tmp_path_factory.mktemp("non_candidates") / "platforms.yaml"
    path.write_text(text, encoding="utf-8")
    q, c = kompas.load(ROOT / "questions.yaml", path)
    assert c.platform(leaders[0]).availability == "gestopt"
    assert c.platform(leaders[1]).availability == "eigen_gemeente"
    return q, c, frozenset(p.id for p in c.platforms if not is_candidate(p))


def _places(node: Any, ids: frozenset[str], path: str = "") -> Iterator[str]:
    """Where in a JSON record one of `ids` is named (as a value or a key)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ids:
                yield f"{path}.{key}"
            yield from _places(value, ids, f"{path}.{key}")
    elif isinstance(node, list):
        for value in node:
            yield from _places(value, ids, f"{path}[]")
    elif isinstance(node, str) and node in ids:
        yield path


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(answers=answers_for(kompas.load()[0]))
def test_a_non_candidate_is_named_only_apart(non_candidates, answers):
    """In the whole JSON record (ranking, analysis, combinations, robustness, summary with its
    red flags) a stopped or another municipality's platform is named only in `examples` or
    `withdrawn`, and the story says why next to it."""
    q, c, outside = non_candidates
    e = kompas.explain(q, c, {**CONTACT, **answers}, strict=False, lang="nl")
    places = set(_places(e.record(), outside))
    assert places <= {".examples[].platform", ".withdrawn[].platform"}, places
    said = {a.platform_id: a.text for a in e.story.examples + e.story.withdrawn}
    for p in outside:
        assert p in said, p
        reason = "gestopt" if c.platform(p).availability == "gestopt" else "andere gemeente"
        assert reason in said[p], said[p]
