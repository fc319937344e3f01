"""libyaml's C parser reads every file exactly as the pure-Python loader does.

The fast path only ever returns a clean document; anything it cannot vouch for (a syntax
error, an alias, a duplicate key, a bad date) goes to the pure loader, which words the error.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kompas.engine import yamlsource
from kompas.errors import DataError

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted(
    [
        *(ROOT / "kompas" / "data").glob("*.yaml"),
        *(ROOT / "kompas" / "data" / "profiles").glob("*.yaml"),
        *(ROOT / "examples").glob("*.yaml"),
    ]
)
BROKEN = sorted((ROOT / "tests" / "yaml_cases").glob("*/*.yaml"))


def needs_libyaml(test: Callable[..., None]) -> Callable[..., None]:
    """Fail, saying what is missing, when PyYAML here lacks libyaml: the C path is untested."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        assert yamlsource.FAST, (
            "PyYAML here has no libyaml, so the C path cannot be tested: reinstall PyYAML "
            "from a wheel built with libyaml (pip install --force-reinstall pyyaml)"
        )
        test(*args, **kwargs)

    return run


def _load(text: str, label: str) -> str | yamlsource.Node:
    """What load_text gives, uncached: the tree, or the error as printed."""
    load = getattr(yamlsource.load_text, "__wrapped__", yamlsource.load_text)
    try:
        return load(text, label)  # type: ignore[no-any-return]
    except DataError as exc:
        return str(exc)


def test_the_shipped_files_are_all_there() -> None:
    names = {p.name for p in SHIPPED}
    assert {"platforms.yaml", "questions.yaml", "research-log.yaml"} <= names
    assert len(SHIPPED) >= 7


@needs_libyaml
@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_c_and_pure_give_equal_trees_with_equal_positions(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    fast = yamlsource._load_fast(text, path.name)
    assert fast is not None, "a shipped file must take the fast path"
    # Node equality includes every value's file, line and column.
    assert fast == yamlsource._load_pure(text, path.name)


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_c_and_pure_agree_on_the_broken_cases(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = path.read_bytes().decode("utf-8", "replace")  # one case is not UTF-8 on purpose
    by_default = _load(text, path.name)
    monkeypatch.setattr(yamlsource, "FAST", False)
    assert by_default == _load(text, path.name)


@needs_libyaml
def test_the_strict_resolver_applies_on_the_c_path() -> None:
    text = "a: no\nb: 15.000\nc: 0120\nd: 9:30\ne: true\nf: 1.5\ng: 12\nh: on\ni: 2026-11-29\n"
    tree = yamlsource._load_fast(text, "x.yaml")
    assert tree is not None
    plain = tree.plain()
    assert plain["a"] == "no" and plain["h"] == "on"
    assert plain["b"] == "15.000" and plain["c"] == "0120" and plain["d"] == "9:30"
    assert plain["e"] is True and plain["f"] == 1.5 and plain["g"] == 12
    assert str(plain["i"]) == "2026-11-29"
    assert tree.value["g"].location.line == 7 and tree.value["g"].location.column == 1


ALIASES = {
    "plain": ("a: &x 1\nb: *x\n", "x.yaml:2:4"),
    "nested": ("a: &lijst [1, 2]\nb:\n  c: [*lijst, *lijst]\n", "x.yaml:3:7"),
    "recursive": ("a: &x\n  - *x\n", "x.yaml:2:5"),
    "laughs": ('a: &a ["lol", "lol"]\nb: &b [*a, *a]\nc: [*b, *b]\n', "x.yaml:2:8"),
}


@needs_libyaml
@pytest.mark.parametrize("case", ALIASES, ids=str)
def test_an_alias_is_refused_on_the_c_path(case: str) -> None:
    text, where = ALIASES[case]
    # libyaml composes the alias; the shared node is seen and the fast path declines.
    assert yamlsource._load_fast(text, "x.yaml") is None
    message = _load(text, "x.yaml")
    assert isinstance(message, str)
    assert where in message and "YAML aliases (*" in message and "are not allowed" in message


@needs_libyaml
def test_an_anchor_without_alias_reads_the_same() -> None:
    text = "a: &x 1\nb: 2\n"
    assert yamlsource._load_fast(text, "x.yaml") == yamlsource._load_pure(text, "x.yaml")


def test_the_fallback_path_reads_and_refuses_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_c(text: str, label: str) -> None:
        raise AssertionError("the C path was used")

    monkeypatch.setattr(yamlsource, "FAST", False)
    monkeypatch.setattr(yamlsource, "_load_fast", no_c)
    path = ROOT / "kompas" / "data" / "questions.yaml"
    text = path.read_text(encoding="utf-8")
    assert _load(text, path.name) == yamlsource._load_pure(text, path.name)
    message = _load("a: &x 1\nb: *x\n", "x.yaml")
    assert isinstance(message, str) and "x.yaml:2:4" in message and "aliases (*x)" in message
    assert "kapot.yaml:2:" in str(_load("a: 1\nb: [\n", "kapot.yaml"))


@needs_libyaml
def test_the_c_path_is_taken_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pure(text: str, label: str) -> None:
        raise AssertionError("the pure path was used")

    monkeypatch.setattr(yamlsource, "_load_pure", no_pure)
    assert _load("a: 1\n", "x.yaml") == yamlsource._load_fast("a: 1\n", "x.yaml")


# Text libyaml reads otherwise than PyYAML, found by comparing the two on random text: the
# fast path must leave each to the pure loader (the same tree, or the same error).
DIFFERENT_IN_C = {
    "tab in a plain value": "a: eu_\tverplicht\n",
    "tab in a key": "meerdere_pl\tatforms: false\n",
    "question mark in a flow value": "a: [gemee? nte]\n",
    "comment right after |": "a: |#\n  x\n",
    "empty value tagged !": "a: !\n",
    "empty item tagged !": "- !\n- b\n",
    "tag PyYAML cannot scan": "!@!\n- x\n",
    "byte order mark inside": "a:\n  b\ufeff: [c, d]\n",
    "empty document": "---\n",
    "empty item": "- \n- b\n",
    "directive": "%YAML 1.1\n---\na: 1\n",
}


@pytest.mark.parametrize("text", DIFFERENT_IN_C.values(), ids=DIFFERENT_IN_C.keys())
@needs_libyaml
def test_text_libyaml_reads_otherwise_goes_to_the_pure_loader(text: str) -> None:
    assert yamlsource._load_fast(text, "x.yaml") is None
    assert _load(text, "x.yaml") == _load_pure_or_error(text)


def _load_pure_or_error(text: str) -> str | yamlsource.Node:
    try:
        return yamlsource._load_pure(text, "x.yaml")
    except DataError as exc:
        return str(exc)


@needs_libyaml
def test_random_text_reads_the_same_on_both_paths() -> None:
    rng = random.Random(18)
    parts = [*"ab1 :-?[]{},'\"#&*!|>\\.%~\n", ": ", "- ", "? ", "\n  ", "\n- ", "&x ", "*x"]
    parts += ["\t", "\r\n", "\u2028", "é", "---", "...", "!!str ", "no", "1.000", "2026-01-01"]
    taken = 0
    for _ in range(3000):
        text = "".join(rng.choice(parts) for _ in range(rng.randint(1, 25)))
        taken += yamlsource._load_fast(text, "x.yaml") is not None
        assert _load(text, "x.yaml") == _load_pure_or_error(text), repr(text)
    assert taken > 300  # the comparison covered documents the fast path took
