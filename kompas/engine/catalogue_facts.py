"""Read the fact schema of platforms.yaml (types, choices, tests) and derive dependent facts."""

from __future__ import annotations

import dataclasses
from types import MappingProxyType
from typing import Any

from kompas.engine.checks import Checker
from kompas.engine.checks import describe
from kompas.engine.conditions import check_fact_condition
from kompas.engine.conditions import evaluate
from kompas.engine.model import AVAILABILITY
from kompas.engine.model import NOT_APPLICABLE
from kompas.engine.model import UNKNOWN
from kompas.engine.model import Condition
from kompas.engine.model import Fact
from kompas.engine.model import FactDef
from kompas.engine.model import Operand
from kompas.engine.yamlsource import Node

FACT_TYPES = ("bool", "choice", "set", "number", "range", "text")


# `availability` is read like a choice fact; 'onbekend' is written `unknown`.
AVAILABILITY_SPEC = FactDef(
    "availability",
    "Beschikbaarheid",
    "choice",
    MappingProxyType({a: a for a in AVAILABILITY if a != "onbekend"}),
)


def read_fact_schema(node: Node, check: Checker) -> dict[str, FactDef]:
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


def check_fact_tests(facts: dict[str, FactDef], check: Checker) -> dict[str, FactDef]:
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
