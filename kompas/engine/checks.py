"""Shape checks for YAML nodes that collect every problem instead of stopping at the first."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable
from typing import Any

from kompas.engine.yamlsource import Node
from kompas.errors import Problem
from kompas.i18n import Text
from kompas.numbers import compact
from kompas.numbers import parse_number

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_YAML_WORDS = {"yes", "no", "on", "off", "y", "n", "ja", "nee", "waar", "onwaar"}


def closest(word: str, choices: Iterable[str]) -> str:
    """The choice closest to a misspelt word, or ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return close[0] if close else ""


def suggest(word: str, choices: Iterable[str]) -> str:
    """A 'did you mean' hint, or ''."""
    close = closest(word, choices)
    return f"did you mean {close!r}?" if close else ""


_DUTCH_THOUSANDS = re.compile(r"^-?[0-9]{1,3}(?:\.[0-9]{3})+$")
_LEADING_ZERO = re.compile(r"^-?0[0-9]+$")


def describe(value: Any) -> str:
    """How a wrong value is shown in a message (in YAML's spelling, not Python's)."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def number_hint(value: Any) -> str:
    """Why text that looks like a number is not read as one."""
    if isinstance(value, str) and _DUTCH_THOUSANDS.match(value):
        return f"write {compact(parse_number(value, 'nl') or 0)}: no dots between thousands"
    if isinstance(value, str) and _LEADING_ZERO.match(value):
        return "write the number without a leading zero"
    return ""


# Keys whose text users see; each may have an English sibling `<key>_en`.
TRANSLATABLE = frozenset(
    {
        "title",
        "intro",
        "text",
        "help",
        "label",
        "ask",
        "description",
        "note",
        "flag_note",
        "unit",
        "explain",
        "red_flag",
        "builds_on",
        "texts",
        "categories",
        "values",
        "value",
    }
)
TRANSLATIONS = ("en",)


def join(path: str, key: str) -> str:
    """A key path one level deeper."""
    return f"{path}.{key}" if path else key


class Checker:
    """Collects problems found while reading one file."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.untranslated: list[Problem] = []

    @property
    def errors(self) -> list[Problem]:
        """The problems that are errors."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """The problems that are warnings."""
        return [p for p in self.problems if p.severity == "warning"]

    def error(self, node: Node, path: str, message: str, hint: str = "") -> None:
        """Record an error at a node."""
        self.problems.append(Problem(node.location, path, message, hint))

    def warn(self, node: Node, path: str, message: str, hint: str = "") -> None:
        """Record a warning at a node."""
        self.problems.append(Problem(node.location, path, message, hint, "warning"))

    def mapping(
        self,
        node: Node,
        path: str,
        required: Iterable[str] = (),
        optional: Iterable[str] = (),
    ) -> dict[str, Node] | None:
        """Check a mapping's keys: missing required keys are errors, unknown keys warnings."""
        if not node.is_mapping:
            self.error(node, path, f"expected a mapping, got {describe(node.value)}")
            return None
        required = tuple(required)
        allowed = set(required) | set(optional)
        allowed |= {f"{k}_{code}" for k in allowed & TRANSLATABLE for code in TRANSLATIONS}
        for key in required:
            if key not in node.value:
                self.error(node, path, f"missing key {key!r}")
        for key, child in node.value.items():
            if key not in allowed:
                self.warn(
                    child,
                    join(path, key) if path else key,
                    f"unknown key {key!r}",
                    suggest(key, allowed) or "it is ignored",
                )
        body: dict[str, Node] = node.value
        return body

    def sequence(self, node: Node, path: str, allow_empty: bool = True) -> list[Node]:
        """Check that a node is a list."""
        if not node.is_sequence:
            self.error(node, path, f"expected a list, got {describe(node.value)}")
            return []
        if not allow_empty and not node.value:
            self.error(node, path, "the list is empty")
        items: list[Node] = node.value
        return items

    def text(self, node: Node | None, path: str, required: bool = True) -> str:
        """Check a non-empty text."""
        if node is None:
            return ""
        value = node.value
        if isinstance(value, bool):
            self.error(node, path, f"expected text, got {value!r}", "put quotes around it")
            return ""
        if isinstance(value, int | float | dt.date):
            return str(value)
        if not isinstance(value, str) or (required and not value.strip()):
            self.error(node, path, f"expected text, got {describe(value)}")
            return ""
        return value.strip()

    def localised(self, body: dict[str, Node], key: str, path: str, required: bool = True) -> Text:
        """A user-facing text with its translations from the `<key>_<lang>` siblings."""
        node = body.get(key)
        dutch = self.text(node, join(path, key), required) if node is not None else ""
        translations = {}
        for code in TRANSLATIONS:
            other = body.get(f"{key}_{code}")
            if other is not None:
                translations[code] = self.text(other, f"{join(path, key)}_{code}", required)
            elif dutch and node is not None:
                self.untranslated.append(
                    Problem(
                        node.location,
                        join(path, key),
                        f"no {code} translation",
                        f"add {key}_{code}:",
                        "warning",
                    )
                )
        return Text(dutch, translations)

    def localised_map(
        self, body: dict[str, Node], key: str, path: str, dutch: dict[str, str]
    ) -> dict[str, str]:
        """A mapping of texts (ids to labels) with translations from `<key>_<lang>`."""
        result: dict[str, str] = {}
        for code in TRANSLATIONS:
            node = body.get(f"{key}_{code}")
            if node is None:
                continue
            other = self.mapping(node, f"{join(path, key)}_{code}", optional=dutch)
            for k in dutch:
                if other is not None and k not in other:
                    self.untranslated.append(
                        Problem(
                            node.location,
                            f"{join(path, key)}_{code}.{k}",
                            f"no {code} translation",
                            "",
                            "warning",
                        )
                    )
        for k, value in dutch.items():
            translations = {}
            for code in TRANSLATIONS:
                node = body.get(f"{key}_{code}")
                if node is not None and node.is_mapping and k in node.value:
                    translations[code] = self.text(node.value[k], f"{join(path, key)}_{code}.{k}")
            if not translations and f"{key}_en" not in body and key in body:
                self.untranslated.append(
                    Problem(
                        body[key].location,
                        f"{join(path, key)}.{k}",
                        "no en translation",
                        f"add {key}_en:",
                        "warning",
                    )
                )
            result[k] = Text(value, translations)
        return result

    def version(self, node: Node | None, path: str) -> str:
        """Check a version label: text, so 2026.10 does not become 2026.1."""
        if (
            node is not None
            and isinstance(node.value, int | float)
            and not isinstance(node.value, bool)
        ):
            self.error(
                node,
                path,
                f"expected text, got the number {node.value!r}",
                'write it in quotes: "2026.10"',
            )
            return ""
        return self.text(node, path)

    def ident(self, node: Node | None, path: str) -> str:
        """Check an id: lower_snake_case text."""
        if node is None:
            return ""
        value = node.value
        if isinstance(value, bool | int | float):
            self.error(node, path, f"expected an id, got {value!r}", "put quotes around it")
            return ""
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            self.error(
                node,
                path,
                f"invalid id {describe(value)}",
                "use lower_snake_case: a-z, 0-9 and _, starting with a letter, at most 40 long",
            )
            return ""
        return value

    def boolean(self, node: Node | None, path: str, what: str = "true/false") -> bool | None:
        """Check a strict boolean."""
        if node is None:
            return None
        if isinstance(node.value, bool):
            return node.value
        hint = ""
        if isinstance(node.value, str) and node.value.lower() in _YAML_WORDS:
            hint = "write true or false"
        self.error(node, path, f"expected {what}, got {describe(node.value)}", hint)
        return None

    def number(self, node: Node | None, path: str, what: str = "a number") -> float | None:
        """Check a number (not a boolean)."""
        if node is None:
            return None
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            self.error(
                node, path, f"expected {what}, got {describe(node.value)}", number_hint(node.value)
            )
            return None
        return node.value

    def date(self, node: Node | None, path: str) -> dt.date | None:
        """Check a date written as YYYY-MM-DD."""
        if node is None:
            return None
        if isinstance(node.value, dt.date):
            return node.value
        self.error(node, path, f"expected a date like 2026-11-29, got {describe(node.value)}")
        return None

    def one_of(self, node: Node | None, path: str, choices: Iterable[str], what: str) -> str:
        """Check that a value is one of a known set of ids."""
        if node is None:
            return ""
        choices = list(choices)
        value = node.value
        if isinstance(value, str) and value in choices:
            return value
        hint = suggest(value, choices) if isinstance(value, str) else ""
        if isinstance(value, bool):
            hint = "put quotes around it"
        self.error(node, path, f"unknown {what} {describe(value)}", hint or self._choices(choices))
        return ""

    @staticmethod
    def _choices(choices: list[str]) -> str:
        if len(choices) <= 8:
            return "expected one of: " + ", ".join(choices)
        return ""
