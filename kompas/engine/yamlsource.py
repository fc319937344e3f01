"""Safe YAML loading that keeps 1-based positions and refuses YAML's surprises."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kompas.engine import yamldialect
from kompas.engine.yamldialect import ALLOWED_TAGS
from kompas.engine.yamldialect import FAST as _LIBYAML
from kompas.engine.yamldialect import PURE_ONLY
from kompas.engine.yamldialect import PureLoader
from kompas.engine.yamldialect import c_differs
from kompas.errors import DataError
from kompas.errors import Location
from kompas.errors import Problem

# libyaml reads the data files ten times faster; without it the pure loader does all (a
# module attribute, so a benchmark can switch paths).
FAST: bool = _LIBYAML


@dataclass(frozen=True, slots=True)
class Node:
    """A YAML value with the place it was written."""

    value: Any
    location: Location

    @property
    def is_mapping(self) -> bool:
        """Whether the node is a mapping."""
        return isinstance(self.value, dict)

    @property
    def is_sequence(self) -> bool:
        """Whether the node is a list."""
        return isinstance(self.value, list)

    def plain(self) -> Any:
        """The value with all positions stripped."""
        if isinstance(self.value, dict):
            return {k: v.plain() for k, v in self.value.items()}
        if isinstance(self.value, list):
            return [v.plain() for v in self.value]
        return self.value


def _loc(label: str, mark: yaml.Mark | None) -> Location:
    if mark is None:
        return Location(label)
    return Location(label, mark.line + 1, mark.column + 1)


MAX_DEPTH = 64  # data files nest a few levels; deeper is a mistake or an attack
# What PyYAML's constructors raise on a value that matches a tag but cannot be read
# ("2026-02-30", "!!bool nee", "!!int ''").
_UNREADABLE = (ValueError, TypeError, KeyError, IndexError, AttributeError, yaml.YAMLError)


class _Builder:
    def __init__(self, loader: yaml.constructor.SafeConstructor, label: str) -> None:
        self.loader = loader
        self.label = label
        self.problems: list[Problem] = []

    def build(self, node: yaml.Node, path: str, at: Location | None = None, depth: int = 0) -> Node:
        loc = at or _loc(self.label, node.start_mark)
        if depth > MAX_DEPTH:
            self.problems.append(Problem(loc, path, f"nested more than {MAX_DEPTH} levels deep"))
            return Node(None, loc)
        if isinstance(node, yaml.MappingNode):
            return Node(self._mapping(node, path, depth), loc)
        if isinstance(node, yaml.SequenceNode):
            items = [
                self.build(child, f"{path}[{i}]", depth=depth + 1)
                for i, child in enumerate(node.value)
            ]
            return Node(items, loc)
        value = self._scalar(node, path, loc)
        if isinstance(value, dt.datetime):
            value = value.date()
        return Node(value, loc)

    def _scalar(self, node: yaml.Node, path: str, loc: Location) -> Any:
        if node.tag not in ALLOWED_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            self.problems.append(Problem(loc, path, f"YAML tags such as {tag!r} are not allowed"))
            return None
        try:
            value = self.loader.construct_object(node, deep=True)
        except _UNREADABLE:
            if node.tag.endswith(":timestamp"):
                message, hint = (
                    f"expected a date like 2026-11-29, got {node.value!r}",
                    "there is no such day",
                )
            else:
                tag = node.tag.replace("tag:yaml.org,2002:", "!!")
                message, hint = f"{node.value!r} cannot be read as {tag}", "leave the tag out"
            self.problems.append(Problem(loc, path, message, hint))
            return None
        if isinstance(value, str) and not _is_text(value):
            self.problems.append(
                Problem(
                    loc, path, "contains an escaped character that is not text (a lone surrogate)"
                )
            )
            return None
        return value

    def _mapping(self, node: yaml.MappingNode, path: str, depth: int = 0) -> dict[str, Node]:
        self.loader.flatten_mapping(node)
        result: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key_loc = _loc(self.label, key_node.start_mark)
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(Problem(key_loc, path or "(top)", "a key must be plain text"))
                continue
            key = self._scalar(key_node, path or "(top)", key_loc)
            if key is None:
                continue
            if not isinstance(key, str):
                hint = "put quotes around it" if isinstance(key, bool | int | float) else ""
                self.problems.append(
                    Problem(key_loc, path or "(top)", f"key {key!r} must be text", hint)
                )
                continue
            child_path = f"{path}.{key}" if path else key
            if key in result:
                first = result[key].location
                self.problems.append(
                    Problem(
                        key_loc,
                        child_path,
                        f"duplicate key {key!r} (first written on line {first.line})",
                    )
                )
                continue
            # Problems in a value are reported at its key, where an author looks for them.
            result[key] = self.build(value_node, child_path, key_loc, depth + 1)
        return result


def _is_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _syntax_problem(exc: yaml.MarkedYAMLError, loader: PureLoader, label: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    message = exc.problem or "invalid YAML"
    hint = "use spaces, not tabs" if "\t" in message else ""
    # An unclosed [ or { is noticed lines later; point at the bracket itself.
    for opened in reversed(getattr(loader, "marks", [])):
        char = opened.buffer[opened.pointer] if opened.buffer else ""
        if char in "[{":
            if mark is not None and opened.line != mark.line:
                where = f"noticed on line {mark.line + 1}: {message}"
                return Problem(
                    _loc(label, opened),
                    "",
                    f"YAML syntax error: this {char!r} is never closed ({where})",
                )
            break
    if exc.context:
        message = f"{exc.context}, {message}"
    return Problem(_loc(label, mark), "", f"YAML syntax error: {message}", hint)


def _reader_problem(exc: yaml.reader.ReaderError, text: str, label: str) -> Problem:
    """A character YAML does not allow (NUL, control characters), with its line and column."""
    position = max(0, min(exc.position, len(text)))
    character = chr(exc.character) if isinstance(exc.character, int) else exc.character
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    return Problem(
        Location(label, line, column),
        "",
        f"character {character!r} is not allowed in a YAML file",
        "remove it; control characters cannot be shown",
    )


def _load_fast(text: str, label: str) -> Node | None:
    """The tree by libyaml, or None when anything is off: the pure loader then words the error.

    Only a clean document is taken from C, so every message, line and column of a broken
    file (aliases included) is the pure loader's, exactly as before.
    """
    if PURE_ONLY.search(text):
        return None
    try:
        loader = yamldialect.FastLoader(text)  # refuses lone surrogates, which cannot be UTF-8
        root = loader.get_single_node()
    except (yaml.YAMLError, ValueError, RecursionError):
        return None
    if root is None or c_differs(root):
        return None
    builder = _Builder(loader, label)
    try:
        tree = builder.build(root, "")
    except yaml.YAMLError:
        return None
    return None if builder.problems else tree


def load_text(text: str, label: str) -> Node:
    """Parse YAML text into a Node tree; raise DataError naming file, line and column."""
    if FAST:
        tree = _load_fast(text, label)
        if tree is not None:
            return tree
    return _load_pure(text, label)


def _load_pure(text: str, label: str) -> Node:
    """PyYAML's pure-Python parser: the fallback, and the one that words every error."""
    try:
        loader = PureLoader(text)
    except yaml.reader.ReaderError as exc:
        raise DataError([_reader_problem(exc, text, label)]) from None
    try:
        root = loader.get_single_node()
    except yaml.reader.ReaderError as exc:
        raise DataError([_reader_problem(exc, text, label)]) from None
    except yaml.MarkedYAMLError as exc:
        raise DataError([_syntax_problem(exc, loader, label)]) from None
    except yaml.YAMLError as exc:
        raise DataError([Problem(Location(label), "", f"YAML error: {exc}")]) from None
    except RecursionError:
        raise DataError([Problem(Location(label), "", "the YAML is nested too deeply")]) from None
    finally:
        loader.dispose()
    if root is None:
        raise DataError([Problem(Location(label, 1, 1), "", "the file is empty")])
    builder = _Builder(loader, label)
    try:
        tree = builder.build(root, "")
    except yaml.YAMLError as exc:
        raise DataError([Problem(Location(label), "", f"YAML error: {exc}")]) from None
    if builder.problems:
        raise DataError(builder.problems)
    return tree


def load_file(path: str | Path, label: str | None = None) -> tuple[Node, bytes]:
    """Read and parse a YAML file; returns the tree and the raw bytes (for hashing)."""
    path = Path(path)
    name = label or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError(
            [Problem(Location(name), "", f"cannot read file: {exc.strerror}")]
        ) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise DataError(
            [Problem(Location(name, line, column), "", "not UTF-8 text", "save the file as UTF-8")]
        ) from None
    return load_text(text, name), raw
