"""Reading vendors' answers from a fill-in file or a local-facts file, with file:line messages.

Read with the same checks and messages as the YAML layer ("unknown value", "did you mean");
numbers must be sane (kompas.engine.vendor_answers).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kompas.engine.catalogue_platforms import read_value
from kompas.engine.checks import Checker
from kompas.engine.model import Catalogue
from kompas.engine.model import Fact
from kompas.engine.model import FactDef
from kompas.engine.model import Platform
from kompas.engine.vendor_answers import MAX_NUMBER
from kompas.engine.vendor_answers import URL
from kompas.engine.vendor_answers import VENDOR_STATEMENT
from kompas.engine.vendor_answers import VendorAnswer
from kompas.engine.vendor_answers import sane_value
from kompas.engine.yamlsource import Node
from kompas.engine.yamlsource import load_file
from kompas.engine.yamlsource import load_text
from kompas.errors import DataError

ENTRY_KEYS = ("value", "source", "date", "name", "role", "how")


def _source(node: Node, body: dict[str, Node], path: str, check: Checker) -> str:
    """Where an answer comes from: a web address or the vendor's own statement ("" if wrong)."""
    source = _text(body.get("source"))
    if not source:
        check.error(
            node, f"{path}.source", "missing source", f"a web address or {VENDOR_STATEMENT!r}"
        )
    elif source.casefold() == VENDOR_STATEMENT:
        source = VENDOR_STATEMENT
    elif not URL.match(source):
        check.error(
            body["source"],
            f"{path}.source",
            f"expected a web address (https://...) or {VENDOR_STATEMENT!r}, got {source!r}",
        )
        source = ""
    return source


def read_entry(
    node: Node,
    path: str,
    platform_id: str,
    spec: FactDef,
    check: Checker,
    today: dt.date,
    *,
    need_role: bool = True,
) -> VendorAnswer | None:
    """One answer to one fact; None when left open (value unknown) or wrong (problems in check)."""
    body = check.mapping(node, path, optional=ENTRY_KEYS)
    if body is None:
        return None
    value_node = body.get("value")
    if value_node is None or value_node.value in (None, "", "unknown"):
        return None
    value = read_value(value_node, f"{path}.value", spec, check)
    if value is not None and not sane_value(value):
        check.error(
            value_node, f"{path}.value", f"expected a number from 0 to {MAX_NUMBER}, got {value!r}"
        )
        value = None
    source = _source(node, body, path, check)
    date: dt.date | None = None
    if body.get("date") is None or body["date"].value in (None, ""):
        check.error(
            node, f"{path}.date", "missing date", "the date of the statement, like 2026-11-29"
        )
    else:
        date = _date(body["date"], f"{path}.date", check)
        if date is not None and date > today:
            check.error(body["date"], f"{path}.date", f"{date.isoformat()} is in the future")
            date = None
    name = _text(body.get("name"))
    role = _text(body.get("role"))
    if not name:
        check.error(node, f"{path}.name", "missing name", "who gave the answer")
    if need_role and not role:
        check.error(node, f"{path}.role", "missing role", "the role of who gave the answer")
    if value is None or not source or date is None or not name or (need_role and not role):
        return None
    return VendorAnswer(
        platform_id,
        spec.id,
        value,
        source,
        date,
        name,
        role,
        _text(body.get("how")),
        node.location.line,
    )


def _date(node: Node, path: str, check: Checker) -> dt.date | None:
    """A date, also when written in quotes (as a form or a YAML emitter may write it)."""
    if isinstance(node.value, str):
        try:
            return dt.date.fromisoformat(node.value.strip())
        except ValueError:
            pass
    return check.date(node, path)


def _text(node: Node | None) -> str:
    if node is None or node.value is None:
        return ""
    return str(node.value).strip()


def _facts_of(
    node: Node,
    path: str,
    platform: Platform,
    catalogue: Catalogue,
    check: Checker,
    today: dt.date,
    need_role: bool,
) -> list[VendorAnswer]:
    body = _strict_keys(node, path, catalogue.facts, "fact", check)
    answers = []
    for fid, child in (body or {}).items():
        if fid in catalogue.facts:
            entry = read_entry(
                child,
                f"{path}.{fid}",
                platform.id,
                catalogue.facts[fid],
                check,
                today,
                need_role=need_role,
            )
            if entry is not None:
                answers.append(entry)
    return answers


def _strict_keys(
    node: Node, path: str, allowed: Mapping[str, Any], what: str, check: Checker
) -> dict[str, Node] | None:
    """A mapping whose keys must be known ids: an unknown one is an error, not ignored."""
    if not node.is_mapping:
        check.error(node, path, "expected a mapping")
        return None
    body: dict[str, Node] = node.value
    for key, child in body.items():
        if key not in allowed:
            from kompas.engine.checks import suggest

            where = f"{path}.{key}" if path else str(key)
            check.error(child, where, f"unknown {what} {key!r}", suggest(str(key), allowed))
    return body


def _platform_node(node: Node, path: str, catalogue: Catalogue, check: Checker) -> Platform | None:
    pid = node.value if isinstance(node.value, str) else None
    if pid is None or pid not in catalogue.index:
        check.one_of(node, path, catalogue.index, "platform")
        return None
    return catalogue.platform(pid)


def parse_fill_in(
    tree: Node, catalogue: Catalogue, check: Checker, today: dt.date | None = None
) -> list[VendorAnswer]:
    """The answers in a fill-in file (`platform:` and `facts:`); problems go to check."""
    today = today or dt.date.today()
    top = check.mapping(tree, "", required=("platform", "facts"))
    if top is None or "platform" not in top or "facts" not in top:
        return []
    platform = _platform_node(top["platform"], "platform", catalogue, check)
    if platform is None:
        return []
    return _facts_of(top["facts"], "facts", platform, catalogue, check, today, True)


def parse_local_facts(
    tree: Node, catalogue: Catalogue, check: Checker, today: dt.date | None = None
) -> list[VendorAnswer]:
    """The facts of a local-facts file (platform id: fact id: answer); problems go to check.

    A fill-in file (`platform:` and `facts:`) is read as well, so a vendor's file can be used
    for one dossier as it is.
    """
    today = today or dt.date.today()
    if tree.is_mapping and "facts" in tree.value and "platform" in tree.value:
        return parse_fill_in(tree, catalogue, check, today)
    top = _strict_keys(tree, "", catalogue.index, "platform", check)
    answers = []
    for pid, child in (top or {}).items():
        if pid in catalogue.index:
            answers += _facts_of(
                child, pid, catalogue.platform(pid), catalogue, check, today, False
            )
    return answers


def read_answers_file(
    path: str | Path,
    catalogue: Catalogue,
    *,
    local: bool = False,
    today: dt.date | None = None,
) -> list[VendorAnswer]:
    """Read a fill-in (or local-facts) file; DataError with every problem at file:line."""
    tree, _raw = load_file(path)
    check = Checker()
    parse = parse_local_facts if local else parse_fill_in
    answers = parse(tree, catalogue, check, today)
    if check.errors:
        raise DataError(check.errors)
    return answers


def read_answers_text(
    text: str, label: str, catalogue: Catalogue, today: dt.date | None = None
) -> tuple[list[VendorAnswer], Checker]:
    """Read a fill-in file's text (e.g. an upload); the answers and every problem."""
    check = Checker()
    try:
        tree = load_text(text, label)
    except DataError as exc:
        check.problems.extend(exc.problems)
        return [], check
    return parse_fill_in(tree, catalogue, check, today), check


def local_fact_map(answers: Iterable[VendorAnswer]) -> dict[str, dict[str, Fact]]:
    """Answers as the local facts `advise` overlays: platform id -> fact id -> fact."""
    result: dict[str, dict[str, Fact]] = {}
    for answer in answers:
        result.setdefault(answer.platform_id, {})[answer.fact_id] = answer.fact()
    return result
