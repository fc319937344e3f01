"""Read the criteria of questions.yaml: facts and conditions, grades, explanations, combine rules."""

from __future__ import annotations

from types import MappingProxyType

from kompas.engine.checks import Checker
from kompas.engine.conditions import parse_condition
from kompas.engine.model import Condition
from kompas.engine.model import Criterion
from kompas.engine.model import Grade
from kompas.engine.questionnaire_sections import unique_ids
from kompas.engine.yamlsource import Node

EXPLAIN_KEYS = (
    "met",
    "unmet",
    "partial",
    "unknown",
    "not_applicable",
    "not_applicable_unmet",
)


# An explanation a criterion may give when its rule for 'not applicable' is 'met'; without it
# the generic sentence of `texts` is used, and without that the 'met' sentence.
OPTIONAL_EXPLAIN_KEYS = ("not_applicable_met",)


# What 'not applicable' means per criterion: counts as met, as not met, or not at all.
NOT_APPLICABLE_RULES = ("met", "unmet", "neutral")


def read_criteria(node: Node, check: Checker) -> dict[str, Criterion]:
    """The criteria of questions.yaml by id (the first of a duplicated id counts)."""
    result: dict[str, Criterion] = {}
    seen: dict[str, Node] = {}
    for i, cnode in enumerate(check.sequence(node, "criteria", allow_empty=False)):
        criterion = _criterion(cnode, f"criteria[{i}]", seen, result, check)
        if criterion is not None:
            result[criterion.id] = criterion
    return result


def _criterion(
    cnode: Node, path: str, seen: dict[str, Node], read: dict[str, Criterion], check: Checker
) -> Criterion | None:
    """One criterion; None when it is broken or its id was read before (`read`)."""
    body = check.mapping(
        cnode,
        path,
        required=("id", "label", "ask"),
        optional=("condition", "grade", "not_applicable", "explain", "combine", "red_flag"),
    )
    if body is None:
        return None
    cid = check.ident(body.get("id"), f"{path}.id")
    unique_ids(cid, cnode, f"{path}.id", seen, "criterion", check)
    condition = grade = None
    if ("condition" in body) == ("grade" in body):
        check.error(cnode, path, "write either condition: or grade:")
    elif "condition" in body:
        condition = parse_condition(body["condition"], f"{path}.condition", check, "fact")
    else:
        grade = _grade(body["grade"], f"{path}.grade", check)
    na = "unmet"
    if "not_applicable" in body:
        na = (
            check.one_of(
                body["not_applicable"],
                f"{path}.not_applicable",
                NOT_APPLICABLE_RULES,
                "not_applicable rule",
            )
            or "unmet"
        )
    explain = _explain(body, path, check)
    combine = _combine(body, path, condition, check)
    if not cid or cid in read:
        return None
    return Criterion(
        cid,
        check.localised(body, "label", path),
        condition,
        grade,
        na,  # type: ignore[arg-type]
        MappingProxyType(explain),
        check.localised(body, "ask", path),
        cnode.location,
        combine,  # type: ignore[arg-type]
        _red_flag(body, condition, path, check),
    )


def _explain(body: dict[str, Node], path: str, check: Checker) -> dict[str, str]:
    """A criterion's own explanations per outcome, in every language."""
    if "explain" not in body:
        return {}
    keys = (*EXPLAIN_KEYS, *OPTIONAL_EXPLAIN_KEYS)
    ebody = check.mapping(body["explain"], f"{path}.explain", optional=keys)
    explain = {
        k: check.text(v, f"{path}.explain.{k}") for k, v in (ebody or {}).items() if k in keys
    }
    return check.localised_map(body, "explain", path, explain)


def _combine(body: dict[str, Node], path: str, condition: Condition | None, check: Checker) -> str:
    """How several platforms score together on a criterion (default: every one must)."""
    if "combine" not in body:
        return "all"
    combine = (
        check.one_of(body["combine"], f"{path}.combine", ("any", "all", "sum"), "combine rule")
        or "all"
    )
    if combine == "sum" and not _summable(condition):
        check.error(
            body["combine"],
            f"{path}.combine",
            "combine: sum needs a condition of one at_most or at_least on a fact",
        )
    return combine


def _red_flag(body: dict[str, Node], condition: Condition | None, path: str, check: Checker) -> str:
    """A red flag's wording; it reads facts only, so it holds whatever was answered."""
    if "red_flag" not in body:
        return ""
    if condition is None or condition.answers():
        check.error(
            body["red_flag"],
            f"{path}.red_flag",
            "a red flag needs a condition on facts only (it shows whatever was answered)",
        )
    return check.localised(body, "red_flag", path)


def _summable(condition: Condition | None) -> bool:
    return (
        condition is not None
        and condition.op in ("at_most", "at_least")
        and condition.subject_kind == "fact"
    )


def _grade(node: Node, path: str, check: Checker) -> Grade | None:
    body = check.mapping(node, path, required=("fact", "values"))
    if body is None or "fact" not in body or "values" not in body:
        return None
    fact = check.ident(body["fact"], f"{path}.fact")
    vbody = check.mapping(
        body["values"],
        f"{path}.values",
        optional=body["values"].value if body["values"].is_mapping else (),
    )
    values = {}
    refs = {"": (body["fact"].location, f"{path}.fact")}
    for key, vnode in (vbody or {}).items():
        refs[key] = (vnode.location, f"{path}.values.{key}")
        number = check.number(vnode, f"{path}.values.{key}")
        if number is not None and not 0 <= number <= 1:
            check.error(
                vnode, f"{path}.values.{key}", f"expected a number from 0 to 1, got {number}"
            )
        elif number is not None:
            values[key] = float(number)
    return Grade(fact, MappingProxyType(values), MappingProxyType(refs)) if fact else None
