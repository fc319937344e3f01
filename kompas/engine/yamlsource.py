"""Safe YAML loading that keeps 1-based positions and refuses YAML's surprises."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kompas.errors import DataError
from kompas.errors import Location
from kompas.errors import Problem


class _StrictResolver(yaml.resolver.Resolver):
    """Only true/false are booleans: 'no', 'on' and 'nee' stay text (the Norway problem)."""


_REPLACED = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
_StrictResolver.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _REPLACED]
    for first, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
}
# Plain decimal numbers only: YAML 1.1 would read 0120 as octal 80 and 9:30 as 570.
_StrictResolver.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
)
_StrictResolver.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^[-+]?(?:(?:0|[1-9][0-9]*)\.[0-9]+(?:[eE][-+]?[0-9]+)?|(?:0|[1-9][0-9]*)[eE][-+]?[0-9]+)$"
    ),
    list("-+0123456789"),
)
# Dutch writing makes 15.000 fifteen thousand; YAML would read 15.0. Keep it text, so the
# reader of the value (a number check, or an answer parser) decides and can say so.
for _first in "0123456789-":
    _StrictResolver.yaml_implicit_resolvers.setdefault(_first, []).insert(
        0, ("tag:yaml.org,2002:str", re.compile(r"^-?[0-9]{1,3}(?:\.[0-9]{3})+$"))
    )
_StrictResolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


_ALLOWED_TAGS = {
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}


class _StrictComposer(yaml.composer.Composer):
    """Refuses aliases: they can nest exponentially (a risk for uploaded files) or loop."""

    # Provided by the parser this composer is mixed with in the loader.
    check_event: Any
    peek_event: Any

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.events.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None,
                None,
                f"YAML aliases (*{event.anchor}) are not allowed: write the value out",
                event.start_mark,
            )
        return super().compose_node(parent, index)


class _Loader(
    yaml.reader.Reader,
    yaml.scanner.Scanner,
    yaml.parser.Parser,
    _StrictComposer,
    yaml.constructor.SafeConstructor,
    _StrictResolver,
):
    """A SafeLoader with the strict resolver."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        _StrictComposer.__init__(self)
        yaml.constructor.SafeConstructor.__init__(self)
        _StrictResolver.__init__(self)


_CParser: Any
try:
    from yaml._yaml import CParser as _CParser
except ImportError:  # PyYAML built without libyaml
    _CParser = None


if _CParser is not None:

    class _FastLoader(_CParser, yaml.constructor.SafeConstructor, _StrictResolver):  # type: ignore[misc]
        """libyaml's C parser and composer with the strict resolver (C calls its resolve())."""

        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            yaml.constructor.SafeConstructor.__init__(self)
            _StrictResolver.__init__(self)


# libyaml reads the data files ten times faster; without it the pure loader does all.
FAST: bool = _CParser is not None


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
        if node.tag not in _ALLOWED_TAGS:
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


def _syntax_problem(exc: yaml.MarkedYAMLError, loader: _Loader, label: str) -> Problem:
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


_NULL = "tag:yaml.org,2002:null"


def _c_differs(root: yaml.Node) -> bool:
    """Whether libyaml's tree may differ from the pure loader's, or holds an alias.

    libyaml composes an alias as the anchored node itself, so a node reached twice is one.
    Inside [ ] or { } it reads "a ?b" as one value where PyYAML sees a '?' key marker. An
    empty plain value tagged "!" is text to libyaml and null to PyYAML, and an empty one
    marks another place: fine only as a mapping value, whose key's place is reported.
    """
    seen: set[int] = set()
    todo: list[tuple[yaml.Node, bool, bool]] = [(root, False, False)]
    while todo:
        node, in_flow, is_value = todo.pop()
        if id(node) in seen:
            return True
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            if in_flow and "?" in node.value:
                return True
            if node.value == "" and not node.style and not (is_value and node.tag == _NULL):
                return True
            continue
        in_flow = in_flow or bool(getattr(node, "flow_style", False))
        if isinstance(node, yaml.SequenceNode):
            todo.extend((child, in_flow, False) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                todo.extend(((key, in_flow, False), (value, in_flow, True)))
    return False


# libyaml takes a tab inside a plain value, a comment right after | or > and tags and
# directives that PyYAML refuses, and counts columns past a byte order mark differently:
# text with any of these (a tag or directive can only start after a space, [ { or a comma)
# is read by the pure loader only.
_PURE_ONLY = re.compile(r"[\t\ufeff]|[|>][-+0-9]*#|(?:^|[\s\[{,])!|^%", re.MULTILINE)


def _load_fast(text: str, label: str) -> Node | None:
    """The tree by libyaml, or None when anything is off: the pure loader then words the error.

    Only a clean document is taken from C, so every message, line and column of a broken
    file (aliases included) is the pure loader's, exactly as before.
    """
    if _PURE_ONLY.search(text):
        return None
    try:
        loader = _FastLoader(text)  # refuses lone surrogates, which cannot be UTF-8
        root = loader.get_single_node()
    except (yaml.YAMLError, ValueError, RecursionError):
        return None
    if root is None or _c_differs(root):
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
        loader = _Loader(text)
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
