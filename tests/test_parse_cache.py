"""The suite's YAML parse cache (tests/conftest.py) changes no load: what is built from a
shared tree equals what is built from a fresh parse, however often the tree was used."""

from __future__ import annotations

from pathlib import Path

import pytest

import kompas
from kompas.engine import yamlsource
from kompas.errors import DataError
from tests.conftest import MINI_PLATFORMS
from tests.conftest import MINI_QUESTIONS


def _uncached(monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = getattr(yamlsource.load_text, "__wrapped__", yamlsource.load_text)
    monkeypatch.setattr(yamlsource, "load_text", fresh)


@pytest.mark.parametrize("files", [(), (MINI_QUESTIONS, MINI_PLATFORMS)], ids=["shipped", "mini"])
def test_a_load_through_the_cache_equals_a_fresh_parse(
    files: tuple[Path, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Loaded (and built) twice through the cache first: a builder that changed the shared tree
    # would make the second load, or the fresh one, differ.
    once = kompas.load(*files)
    twice = kompas.load(*files)
    _uncached(monkeypatch)
    fresh = kompas.load(*files)
    assert once == twice == fresh


def test_text_that_does_not_parse_fails_every_time() -> None:
    for _ in range(2):
        with pytest.raises(DataError, match=r"kapot\.yaml:2:"):
            yamlsource.load_text("a: 1\nb: [\n", "kapot.yaml")
