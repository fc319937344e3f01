"""Read platforms.yaml into a Catalogue, reporting every problem with its location."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from kompas.engine.checks import Checker
from kompas.engine.checks import describe
from kompas.engine.checks import suggest
from kompas.engine.conditions import check_fact_condition
from kompas.engine.conditions import evaluate
from kompas.engine.model import AVAILABILITY
from kompas.engine.model import EVIDENCE
from kompas.engine.model import NOT_APPLICABLE
from kompas.engine.model import UNDATED_REASONS
from kompas.engine.model import UNKNOWN
from kompas.engine.model import Catalogue
from kompas.engine.model import Condition
from kompas.engine.model import Fact
from kompas.engine.model import FactDef
from kompas.engine.model import Operand
from kompas.engine.model import Platform
from kompas.engine.yamlsource import Node
from kompas.engine.yamlsource import load_file
from kompas.errors import DataError

FACT_TYPES = ("bool", "choice", "set", "number", "range", "text")
# `availability` is read like a choice fact; 'onbekend' is written `unknown`.
AVAILABILITY_SPEC = FactDef(
    "availability",
    "Beschikbaarheid",
    "choice",
    MappingProxyType({a: a for a in AVAILABILITY if a != "onbekend"}),
)
DEFAULT_PLATFORMS = Path(__file__).resolve().parent.parent / "data" / "platforms.yaml"


def content_hash(raw: bytes) -> str:
    """The content hash recorded with every advice."""
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def read_catalogue(path: str | Path | None = None) -> tuple[Catalogue | None, Checker]:
    """Read platforms.yaml; returns the catalogue (None on errors) and all problems found."""
    path = Path(path) if path else DEFAULT_PLATFORMS
    label = _label(path)
    check = Checker()
    try:
        tree, raw = load_file(path, label)
    except DataError as exc:
        check.problems.extend(exc.problems)
        return None, check
    catalogue = build_catalogue(tree, content_hash(raw), check, str(path))
    return (catalogue if not check.errors else None), check


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """Load the platform catalogue (default: the shipped platforms.yaml); raise DataError."""
    catalogue, check = read_catalogue(path)
    if catalogue is None:
        raise DataError(check.errors)
    return catalogue


def _label(path: Path) -> str:
    if path.resolve() == DEFAULT_PLATFORMS or path.resolve().parent == DEFAULT_PLATFORMS.parent:
        return path.name
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def build_catalogue(tree: Node, digest: str, check: Checker, source: str = "") -> Catalogue | None:
    """Build a Catalogue from a parsed tree."""
    top = check.mapping(
        tree, "", required=("version", "facts", "platforms"), optional=("categories",)
    )
    if top is None:
        return None
    version = check.version(top.get("version"), "version")
    categories = check.localised_map(
        top, "categories", "", _categories(top.get("categories"), check)
    )
    facts = _fact_schema(top["facts"], check) if "facts" in top else {}
    facts = _check_fact_tests(facts, check)
    platforms: list[Platform] = []
    seen: dict[str, Node] = {}
    if "platforms" in top:
        for i, node in enumerate(check.sequence(top["platforms"], "platforms")):
            platform = _platform(node, f"platforms[{i}]", facts, categories, check)
            if platform is None:
                continue
            if platform.id in seen:
                first = seen[platform.id].location.line
                check.error(
                    node,
                    f"platforms[{i}].id",
                    f"duplicate platform id {platform.id!r} (first on line {first})",
                )
                continue
            seen[platform.id] = node
            platforms.append(platform)
    if check.errors:
        return None
    return Catalogue(
        version,
        digest,
        MappingProxyType(categories),
        MappingProxyType(facts),
        tuple(sorted(platforms, key=lambda p: p.id)),
        source,
    )


def _categories(node: Node | None, check: Checker) -> dict[str, str]:
    if node is None:
        return {}
    body = check.mapping(node, "categories", optional=node.value if node.is_mapping else ())
    if body is None:
        return {}
    result = {}
    for key, child in body.items():
        if check.ident(Node(key, child.location), f"categories.{key}"):
            result[key] = check.text(child, f"categories.{key}")
    return result


def _fact_schema(node: Node, check: Checker) -> dict[str, FactDef]:
    body = check.mapping(node, "facts", optional=node.value if node.is_mapping else ())
    result: dict[str, FactDef] = {}
    for fact_id, child in (body or {}).items():
        path = f"facts.{fact_id}"
        if not check.ident(Node(fact_id, child.location), path):
            continue
        spec = check.mapping(
            child,
            path,
            required=("label", "type"),
            optional=("values", "unit", "requires", "positive_when"),
        )
        if spec is None:
            continue
        label = check.localised(spec, "label", path)
        ftype = check.one_of(spec.get("type"), f"{path}.type", FACT_TYPES, "fact type")
        values: dict[str, str] = {}
        if ftype in ("choice", "set"):
            if "values" not in spec:
                check.error(child, path, f"a {ftype} fact needs values")
            else:
                vbody = check.mapping(
                    spec["values"],
                    f"{path}.values",
                    optional=spec["values"].value if spec["values"].is_mapping else (),
                )
                for vid, vnode in (vbody or {}).items():
                    if check.ident(Node(vid, vnode.location), f"{path}.values.{vid}"):
                        values[vid] = check.text(vnode, f"{path}.values.{vid}")
        elif "values" in spec:
            check.error(spec["values"], f"{path}.values", f"a {ftype or 'such'} fact has no values")
        values = check.localised_map(spec, "values", path, values)
        unit = check.localised(spec, "unit", path) if "unit" in spec else ""
        requires = _fact_test(spec, "requires", path, check)
        positive = _fact_test(spec, "positive_when", path, check)
        if positive is not None and ftype not in ("number", "range"):
            check.error(
                spec["positive_when"],
                f"{path}.positive_when",
                "only number and range facts can be positive_when",
            )
        if ftype:
            result[fact_id] = FactDef(
                fact_id,
                label,
                ftype,  # type: ignore[arg-type]
                MappingProxyType(values),
                unit,
                requires,
                positive,
            )
    return result


def _fact_test(spec: dict[str, Node], key: str, path: str, check: Checker) -> Condition | None:
    """`{fact: other, has|is|one_of: value}`: a test on another fact of the same platform."""
    if key not in spec:
        return None
    where = f"{path}.{key}"
    ops = ("is", "has", "one_of")
    body = check.mapping(spec[key], where, required=("fact",), optional=ops)
    if body is None:
        return None
    given = [op for op in ops if op in body]
    if len(given) != 1:
        check.error(spec[key], where, "expected fact: and one of is:, has: or one_of:")
        return None
    op = given[0]
    node = body[op]
    if op == "one_of":
        value: Any = tuple(n.value for n in check.sequence(node, f"{where}.one_of"))
    elif node.is_mapping or node.is_sequence or node.value is None:
        check.error(node, f"{where}.{op}", f"expected a single value, got {describe(node.value)}")
        return None
    else:
        value = node.value
    name = check.ident(body["fact"], f"{where}.fact")
    return Condition(
        op, name, "fact", Operand(value=value), location=spec[key].location, path=where
    )


def _check_fact_tests(facts: dict[str, FactDef], check: Checker) -> dict[str, FactDef]:
    """The facts that `requires` and `positive_when` name exist and take such values.

    A test with an error is dropped, so platforms are still read (and checked) without it.
    """
    result = {}
    for fid, spec in facts.items():
        tests = []
        for cond in (spec.requires, spec.positive_when):
            before = len(check.errors)
            if cond is not None and cond.subject == spec.id:
                check.error(Node(None, cond.location), cond.path, "a fact cannot depend on itself")
            elif cond is not None:
                check_fact_condition(cond, facts, {}, check)
            tests.append(cond if len(check.errors) == before else None)
        result[fid] = dataclasses.replace(spec, requires=tests[0], positive_when=tests[1])
    return result


def derive_facts(platform_facts: dict[str, Fact], facts: dict[str, FactDef]) -> dict[str, Fact]:
    """Apply the schema's dependencies: ruled-out facts become not applicable, licences cost."""
    result = dict(platform_facts)
    for spec in facts.values():
        fact = result.get(spec.id) or Fact(spec.id, UNKNOWN)
        if (
            spec.requires is not None
            and not fact.known
            and evaluate(spec.requires, platform_facts, {}) == 0.0
        ):
            result[spec.id] = Fact(spec.id, NOT_APPLICABLE, note=fact.note)
            continue
        if (
            spec.positive_when is not None
            and fact.status == UNKNOWN
            and evaluate(spec.positive_when, platform_facts, {}) == 1.0
        ):
            result[spec.id] = Fact(spec.id, UNKNOWN, note=fact.note, above=0.0)
    return result


def _platform(
    node: Node, path: str, facts: dict[str, FactDef], categories: dict[str, str], check: Checker
) -> Platform | None:
    body = check.mapping(
        node,
        path,
        required=("id", "name", "category", "description"),
        optional=("facts", "homepage", "availability", "url"),
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
    availability = Fact("availability", UNKNOWN)
    if "availability" in body:
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
    platform_facts: dict[str, Fact] = {}
    if "facts" in body:
        fbody = check.mapping(body["facts"], f"{path}.facts", optional=facts)
        for fact_id, fnode in (fbody or {}).items():
            if fact_id in facts:
                fact = _fact(fnode, f"{path}.facts.{fact_id}", facts[fact_id], check)
                if fact is not None:
                    platform_facts[fact_id] = fact
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
    value_node = node.value.get("value")
    if value_node is not None and value_node.value in (UNKNOWN, NOT_APPLICABLE):
        # Unknown or not applicable may carry a note (why nobody knows); no source needed.
        body = check.mapping(
            node, path, required=("value",), optional=("note", "source", "checked")
        )
    else:
        body = check.mapping(
            node,
            path,
            required=("value", "source", "checked"),
            optional=("note", "evidence", "source_date", "undated"),
        )
    if body is None or "value" not in body:
        return None
    value_node = body["value"]
    note = check.localised(body, "note", path) if "note" in body else ""
    if value_node.value in (UNKNOWN, NOT_APPLICABLE):
        return Fact(spec.id, value_node.value, note=note)
    value = _value(value_node, f"{path}.value", spec, check)
    if spec.type == "text" and value is not None:
        value = check.localised(body, "value", path)
    source = check.text(body.get("source"), f"{path}.source")
    checked = check.date(body.get("checked"), f"{path}.checked")
    evidence, source_date = _evidence(body, path, check)
    undated = ""
    if "undated" in body:
        undated = check.one_of(body["undated"], f"{path}.undated", UNDATED_REASONS, "reason")
        if source_date is not None:
            check.error(
                body["undated"],
                f"{path}.undated",
                "a fact with a source date needs no reason why it has none",
                "remove undated: or write source_date: unknown",
            )
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
    )


def _evidence(body: dict[str, Node], path: str, check: Checker) -> tuple[str, dt.date | None]:
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


def _value(node: Node, path: str, spec: FactDef, check: Checker) -> Any:
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


__all__ = ["build_catalogue", "load_catalogue", "read_catalogue", "suggest"]


def with_facts(catalogue: Catalogue, local: Mapping[str, Mapping[str, Fact]]) -> Catalogue:
    """The catalogue with some platforms' facts replaced (same version and hash)."""
    if not local:
        return catalogue
    platforms = []
    for platform in catalogue.platforms:
        given = local.get(platform.id)
        if given:
            facts = dict(platform.facts)
            facts.update(given)
            platform = _replace_facts(platform, derive_facts(facts, dict(catalogue.facts)))
        platforms.append(platform)
    return catalogue.with_platforms(tuple(platforms))


def _replace_facts(platform: Platform, facts: dict[str, Fact]) -> Platform:
    import dataclasses

    return dataclasses.replace(platform, facts=MappingProxyType(facts))
