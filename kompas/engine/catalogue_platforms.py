"""Read the platforms of platforms.yaml: each fact with its value, source, date and evidence."""

from __future__ import annotations

import datetime as dt
import re
from types import MappingProxyType
from typing import Any

from kompas.engine.catalogue_facts import AVAILABILITY_SPEC
from kompas.engine.catalogue_facts import derive_facts
from kompas.engine.checks import Checker
from kompas.engine.checks import describe
from kompas.engine.model import AVAILABILITY
from kompas.engine.model import EVIDENCE
from kompas.engine.model import NOT_APPLICABLE
from kompas.engine.model import UNDATED_REASONS
from kompas.engine.model import UNKNOWN
from kompas.engine.model import Fact
from kompas.engine.model import FactDef
from kompas.engine.model import Platform
from kompas.engine.yamlsource import Node


def read_platform(
    node: Node, path: str, facts: dict[str, FactDef], categories: dict[str, str], check: Checker
) -> Platform | None:
    """One platform with its facts (dependent facts derived); None when it is broken."""
    body = check.mapping(
        node,
        path,
        required=("id", "name", "category", "description"),
        optional=("facts", "homepage", "availability", "url", "drawbacks"),
    )
    if body is None:
        return None
    pid = check.ident(body.get("id"), f"{path}.id")
    name = check.text(body.get("name"), f"{path}.name")
    url = check.text(body["url"], f"{path}.url") if "url" in body else ""
    if url and not url.startswith(("https://", "http://")):
        check.error(body["url"], f"{path}.url", f"expected a web address, got {url!r}")
    if "url" not in body and "homepage" not in body:
        check.error(node, path, "a platform needs a homepage (a web address or unknown)")
    category = ""
    if "category" in body:
        category = check.one_of(body["category"], f"{path}.category", categories, "category")
    description = check.localised(body, "description", path)
    homepage = ""
    if "homepage" in body and body["homepage"].value != UNKNOWN:
        homepage = check.text(body["homepage"], f"{path}.homepage")
        if homepage and not homepage.startswith(("https://", "http://")):
            check.error(
                body["homepage"], f"{path}.homepage", f"expected a web address, got {homepage!r}"
            )
    availability = _availability(body, path, check)
    platform_facts = _platform_facts(body, path, facts, check)
    if not pid:
        return None
    if "homepage" in body:
        # The link users see is the platform's own site; `url` may be an article about it.
        url = homepage
    return Platform(
        pid,
        name,
        url,
        category,
        description,
        MappingProxyType(derive_facts(platform_facts, facts)),
        node.location,
        homepage,
        availability,
    )


def _availability(body: dict[str, Node], path: str, check: Checker) -> Fact:
    """Whether a platform can be had in the Netherlands (unknown when not stated)."""
    availability = Fact("availability", UNKNOWN)
    if "availability" not in body:
        return availability
    read = _fact(
        body["availability"],
        f"{path}.availability",
        AVAILABILITY_SPEC,
        check,
        needs_evidence=False,
    )
    if read is not None and read.status != NOT_APPLICABLE:
        availability = read
    elif read is not None:
        check.error(
            body["availability"],
            f"{path}.availability",
            "availability cannot be not_applicable",
            "write one of " + ", ".join(AVAILABILITY[:-1]) + " or unknown",
        )
    return availability


def _platform_facts(
    body: dict[str, Node], path: str, facts: dict[str, FactDef], check: Checker
) -> dict[str, Fact]:
    """A platform's facts as written (the dependent ones are derived later)."""
    platform_facts: dict[str, Fact] = {}
    if "facts" in body:
        fbody = check.mapping(body["facts"], f"{path}.facts", optional=facts)
        for fact_id, fnode in (fbody or {}).items():
            if fact_id in facts:
                fact = _fact(fnode, f"{path}.facts.{fact_id}", facts[fact_id], check)
                if fact is not None:
                    platform_facts[fact_id] = fact
    return platform_facts


def _fact(
    node: Node, path: str, spec: FactDef, check: Checker, *, needs_evidence: bool = True
) -> Fact | None:
    if node.value in (UNKNOWN, NOT_APPLICABLE):
        return Fact(spec.id, node.value)
    if not node.is_mapping:
        check.error(
            node,
            path,
            f"expected value:, source: and checked:, got the bare value {describe(node.value)}",
            f"write value: {describe(node.value)}, source: and checked: below the fact",
        )
        return None
    body = _fact_body(node, path, check)
    if body is None or "value" not in body:
        return None
    value_node = body["value"]
    note = check.localised(body, "note", path) if "note" in body else ""
    if value_node.value in (UNKNOWN, NOT_APPLICABLE):
        return Fact(spec.id, value_node.value, note=note)
    value = read_value(value_node, f"{path}.value", spec, check)
    if spec.type == "text" and value is not None:
        value = check.localised(body, "value", path)
    source = check.text(body.get("source"), f"{path}.source")
    checked = check.date(body.get("checked"), f"{path}.checked")
    evidence, source_date = evidence_and_date(body, path, check)
    undated = undated_reason(body, path, source_date, check)
    flag_note = check.localised(body, "flag_note", path) if "flag_note" in body else ""
    if value is None or not source or checked is None:
        return None
    missing = [key for key in ("evidence", "source_date") if key not in body]
    if needs_evidence and missing:
        # A warning, so older files still load, but `kompas validate --strict` fails on it.
        check.warn(
            node,
            path,
            "a known fact without " + " and ".join(missing),
            "add evidence: (" + ", ".join(EVIDENCE) + ") and source_date: (a date or unknown)",
        )
    return Fact(
        spec.id,
        "known",
        value,
        source,
        checked,
        note,
        evidence=evidence,
        source_date=source_date,
        undated=undated,
        flag_note=flag_note,
    )


def _fact_body(node: Node, path: str, check: Checker) -> dict[str, Node] | None:
    """A fact's keys: a known one needs a source and a check date, an unknown one not."""
    value_node = node.value.get("value")
    if value_node is not None and value_node.value in (UNKNOWN, NOT_APPLICABLE):
        # Unknown or not applicable may carry a note (why nobody knows); no source needed.
        return check.mapping(
            node, path, required=("value",), optional=("note", "source", "checked")
        )
    return check.mapping(
        node,
        path,
        required=("value", "source", "checked"),
        optional=("note", "evidence", "source_date", "undated", "flag_note"),
    )


def undated_reason(
    body: dict[str, Node], path: str, source_date: dt.date | None, check: Checker
) -> str:
    """Why a fact's source has no date (only for a fact without a source date)."""
    if "undated" not in body:
        return ""
    undated = check.one_of(body["undated"], f"{path}.undated", UNDATED_REASONS, "reason")
    if source_date is not None:
        check.error(
            body["undated"],
            f"{path}.undated",
            "a fact with a source date needs no reason why it has none",
            "remove undated: or write source_date: unknown",
        )
    return undated


def evidence_and_date(
    body: dict[str, Node], path: str, check: Checker
) -> tuple[str, dt.date | None]:
    """What a known fact rests on and the date of its source (`unknown`: not known)."""
    evidence = ""
    if "evidence" in body:
        evidence = check.one_of(body["evidence"], f"{path}.evidence", EVIDENCE, "evidence level")
    source_date = None
    date_node = body.get("source_date")
    if date_node is not None and date_node.value != UNKNOWN:
        source_date = _source_date(date_node, f"{path}.source_date", check)
        if source_date is not None and source_date > dt.date.today():
            check.error(
                date_node,
                f"{path}.source_date",
                f"the source date {source_date.isoformat()} is in the future",
                "write the date of the source itself, or unknown",
            )
            source_date = None
    return evidence, source_date


def _source_date(node: Node, path: str, check: Checker) -> dt.date | None:
    """A date, or only the year (2017) or month (2017-02) a source shows: its first day."""
    value = node.value
    if isinstance(value, int) and not isinstance(value, bool) and 1900 <= value <= 9999:
        return dt.date(value, 1, 1)
    if isinstance(value, str) and re.fullmatch(r"(19|20)[0-9]{2}-(0[1-9]|1[0-2])", value):
        return dt.date(int(value[:4]), int(value[5:]), 1)
    if isinstance(value, dt.date):
        return value
    check.error(
        node,
        path,
        f"expected a date like 2026-11-29, got {describe(value)}",
        "a source that shows only a month or a year may be written 2017-02 or 2017; "
        "else write unknown",
    )
    return None


def _expected(spec: FactDef) -> str:
    return {
        "bool": "true/false/unknown",
        "choice": "one value or unknown",
        "set": "a list of values or unknown",
        "number": "a number or unknown",
        "range": "{min: N, max: N} or unknown",
        "text": "text or unknown",
    }[spec.type]


def read_value(node: Node, path: str, spec: FactDef, check: Checker) -> Any:
    if spec.type == "bool":
        return check.boolean(node, path, _expected(spec))
    if spec.type == "choice":
        return check.one_of(node, path, spec.values, f"value for {spec.id}") or None
    if spec.type == "set":
        items = check.sequence(node, path)
        values = []
        for i, item in enumerate(items):
            value = check.one_of(item, f"{path}[{i}]", spec.values, f"value for {spec.id}")
            if value and value in values:
                check.error(item, f"{path}[{i}]", f"{value!r} is listed twice")
            elif value:
                values.append(value)
        return frozenset(values) if len(values) == len(items) else None
    if spec.type == "number":
        return check.number(node, path, _expected(spec))
    if spec.type == "range":
        body = check.mapping(node, path, required=("min", "max"))
        if body is None or "min" not in body or "max" not in body:
            return None
        low = check.number(body["min"], f"{path}.min")
        high = check.number(body["max"], f"{path}.max")
        if low is None or high is None:
            return None
        if low > high:
            check.error(node, path, f"min {low} is more than max {high}")
            return None
        return MappingProxyType({"min": low, "max": high})
    return check.text(node, path) or None
