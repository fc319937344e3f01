"""The condition language: parse from YAML at load time, evaluate three-valued."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from typing import Final

from kompas.engine.checks import Checker
from kompas.engine.checks import describe
from kompas.engine.checks import suggest
from kompas.engine.model import Condition
from kompas.engine.model import Fact
from kompas.engine.model import Operand
from kompas.engine.yamlsource import Node

COMPARISONS: Final = ("is", "one_of", "has", "at_most", "at_least")
COMBINATIONS: Final = ("all", "any", "not")
OPERATORS: Final = COMPARISONS + COMBINATIONS


class _NotApplicable:
    """A criterion's fact does not apply to this platform."""

    _instance: _NotApplicable | None = None

    def __new__(cls) -> _NotApplicable:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NOT_APPLICABLE"


NA: Final = _NotApplicable()
Satisfaction = float | None | _NotApplicable


def parse_condition(node: Node, path: str, check: Checker, subject: str) -> Condition | None:
    """Parse a condition node; `subject` is 'fact' for criteria and 'answer' for show_if."""
    if not node.is_mapping:
        check.mapping(node, path)
        return None
    body = node.value
    strange = [k for k in body if k not in OPERATORS]
    for key in strange:
        hint = suggest(key, OPERATORS) or "expected one of: " + ", ".join(OPERATORS)
        check.error(body[key], f"{path}.{key}", f"unknown operator {key!r}", hint)
    if strange:
        return None
    ops = [k for k in body if k in OPERATORS]
    if len(ops) != 1:
        if ops:
            message = f"write one operator per condition, got {', '.join(ops)}"
            check.error(node, path, message, "combine them with all: or any:")
        else:
            check.error(node, path, "missing operator", "expected one of: " + ", ".join(OPERATORS))
        return None
    op = ops[0]
    child = body[op]
    child_path = f"{path}.{op}"
    if op in ("all", "any"):
        items = check.sequence(child, child_path, allow_empty=False)
        parts = [
            parse_condition(n, f"{child_path}[{i}]", check, subject) for i, n in enumerate(items)
        ]
        if any(p is None for p in parts) or not parts:
            return None
        return Condition(op, children=tuple(parts), location=node.location, path=path)  # type: ignore[arg-type]
    if op == "not":
        part = parse_condition(child, child_path, check, subject)
        if part is None:
            return None
        return Condition(op, children=(part,), location=node.location, path=path)
    return _parse_comparison(op, child, child_path, check, subject)


def _parse_comparison(
    op: str, node: Node, path: str, check: Checker, subject: str
) -> Condition | None:
    keys = (
        ("fact", "answer", "value", "values")
        if subject == "fact"
        else ("answer", "value", "values")
    )
    body = check.mapping(node, path, optional=keys)
    if body is None:
        return None
    if subject == "fact":
        if "fact" not in body:
            check.error(node, path, "missing key 'fact'", "a criterion compares a platform fact")
            return None
        name = check.ident(body["fact"], f"{path}.fact")
        operand_keys = [k for k in ("value", "values", "answer") if k in body]
    else:
        if "answer" not in body:
            check.error(node, path, "missing key 'answer'", "show_if compares an earlier answer")
            return None
        name = check.ident(body["answer"], f"{path}.answer")
        operand_keys = [k for k in ("value", "values") if k in body]
    if len(operand_keys) != 1:
        what = "value, values or answer" if subject == "fact" else "value or values"
        got = ", ".join(operand_keys) if operand_keys else "none"
        check.error(node, path, f"expected exactly one of {what}, got {got}")
        return None
    key = operand_keys[0]
    operand_node = body[key]
    if key == "answer":
        operand = Operand(answer=check.ident(operand_node, f"{path}.answer"))
    elif key == "values":
        items = check.sequence(operand_node, f"{path}.values", allow_empty=False)
        operand = Operand(
            value=tuple(_literal(n, f"{path}.values[{i}]", check) for i, n in enumerate(items))
        )
        if op in ("at_most", "at_least"):
            check.error(operand_node, f"{path}.values", f"{op} compares with one value, not a list")
            return None
    else:
        operand = Operand(value=_literal(operand_node, f"{path}.value", check))
        if op == "one_of":
            check.error(
                operand_node, f"{path}.value", "one_of needs a list", "write values: [a, b]"
            )
            return None
    if not name:
        return None
    return Condition(op, name, subject, operand, location=node.location, path=path)  # type: ignore[arg-type]


def _literal(node: Node, path: str, check: Checker) -> Any:
    if node.is_mapping or node.is_sequence or node.value is None:
        check.error(node, path, f"expected a single value, got {describe(node.value)}")
        return None
    return node.value


def check_fact_condition(
    cond: Condition, facts: Mapping[str, Any], questions: Mapping[str, Any], check: Checker
) -> None:
    """Check a criterion condition against the fact schema and the questions (cross-references)."""
    if cond.children:
        for child in cond.children:
            check_fact_condition(child, facts, questions, check)
        return
    node = Node(None, cond.location)
    fact = facts.get(cond.subject)
    if fact is None:
        check.error(
            node,
            f"{cond.path}.fact",
            f"unknown fact {cond.subject!r}",
            suggest(cond.subject, facts),
        )
        return
    allowed = {
        "is": ("bool", "choice", "number"),
        "one_of": ("choice",),
        "has": ("set",),
        "at_most": ("number", "range"),
        "at_least": ("number", "range"),
    }[cond.op]
    if fact.type not in allowed:
        check.error(
            node,
            cond.path,
            f"{cond.op} does not work on {fact.type} fact {fact.id!r}",
            f"it works on {' and '.join(allowed)} facts",
        )
        return
    assert cond.operand is not None
    if cond.operand.answer:
        _check_answer_operand(cond, fact, questions, check, node)
        return
    values = cond.operand.value if isinstance(cond.operand.value, tuple) else (cond.operand.value,)
    for value in values:
        _check_fact_value(cond, fact, value, check, node)


def _check_fact_value(cond: Condition, fact: Any, value: Any, check: Checker, node: Node) -> None:
    if fact.type in ("choice", "set"):
        if not isinstance(value, str) or value not in fact.values:
            hint = suggest(value, fact.values) if isinstance(value, str) else ""
            check.error(
                node,
                f"{cond.path}.value",
                f"{describe(value)} is not a value of fact {fact.id!r}",
                hint,
            )
    elif fact.type == "bool":
        if not isinstance(value, bool):
            check.error(
                node, f"{cond.path}.value", f"fact {fact.id!r} is true/false, got {describe(value)}"
            )
    elif isinstance(value, bool) or not isinstance(value, int | float):
        check.error(
            node, f"{cond.path}.value", f"fact {fact.id!r} is a number, got {describe(value)}"
        )


def _check_answer_operand(
    cond: Condition, fact: Any, questions: Mapping[str, Any], check: Checker, node: Node
) -> None:
    qid = cond.operand.answer  # type: ignore[union-attr]
    question = questions.get(qid)
    path = f"{cond.path}.answer"
    if question is None:
        check.error(node, path, f"unknown question {qid!r}", suggest(qid, questions))
        return
    if cond.op in ("at_most", "at_least"):
        if question.type != "number":
            check.error(
                node, path, f"{cond.op} needs a number question, {qid!r} is {question.type}"
            )
        return
    if fact.type == "bool":
        if question.type != "yesno":
            check.error(
                node, path, f"fact {fact.id!r} is true/false: compare with a yesno question"
            )
        return
    if question.type not in ("single", "multiple"):
        check.error(
            node, path, f"compare {fact.type} fact {fact.id!r} with a single or multiple question"
        )
        return
    for option in question.options:
        if not option.informational and option.id not in fact.values:
            check.error(
                node,
                path,
                f"option {option.id!r} of question {qid!r} is not a value of fact {fact.id!r}",
                "mark the option informational: true or rename it",
            )


def evaluate(
    cond: Condition, facts: Mapping[str, Fact], answers: Mapping[str, Any]
) -> Satisfaction:
    """Evaluate a criterion condition: 1/0 (or 0.5), None when unknown, NA when not applicable."""
    if cond.op == "all" or cond.op == "any":
        results = [evaluate(c, facts, answers) for c in cond.children]
        relevant = [r for r in results if r is not NA]
        if not relevant:
            return NA
        known = [r for r in relevant if isinstance(r, float | int)]
        if cond.op == "all":
            if known and min(known) == 0:
                return 0.0
            return None if len(known) < len(relevant) else min(known)
        if known and max(known) == 1:
            return 1.0
        return None if len(known) < len(relevant) else max(known)
    if cond.op == "not":
        inner = evaluate(cond.children[0], facts, answers)
        if not isinstance(inner, float | int):
            return inner
        return 1.0 - inner
    fact = facts.get(cond.subject)
    if fact is None:
        return None
    if fact.status == "unknown":
        return _above(cond, fact, answers)
    if fact.status == "not_applicable":
        return NA
    return _compare(cond.op, fact.value, _operand(cond, answers))


def _above(cond: Condition, fact: Fact, answers: Mapping[str, Any]) -> Satisfaction:
    """An unknown number known to exceed a bound: decided when the operand is at that bound."""
    if fact.above is None or cond.op not in ("at_most", "at_least"):
        return None
    operand = _operand(cond, answers)
    if isinstance(operand, bool) or not isinstance(operand, int | float):
        return None
    if operand <= fact.above:
        return 0.0 if cond.op == "at_most" else 1.0
    return None


def _operand(cond: Condition, answers: Mapping[str, Any]) -> Any:
    operand = cond.operand
    if operand is None:
        return None
    if operand.answer:
        value = answers.get(operand.answer)
        return tuple(value) if isinstance(value, list | tuple | frozenset) else value
    return operand.value


def _compare(op: str, value: Any, operand: Any) -> float:
    wanted = operand if isinstance(operand, tuple) else (operand,)
    if op == "is":
        return 1.0 if value in wanted else 0.0
    if op == "one_of":
        return 1.0 if value in wanted else 0.0
    if op == "has":
        return 1.0 if any(w in value for w in wanted) else 0.0
    low, high = (value["min"], value["max"]) if isinstance(value, Mapping) else (value, value)
    if op == "at_most":
        return 1.0 if high <= operand else 0.0 if low > operand else 0.5
    return 1.0 if low >= operand else 0.0 if high < operand else 0.5


def holds(cond: Condition, answers: Mapping[str, Any]) -> bool:
    """Evaluate a show_if condition on answers; an unanswered question makes it false."""
    if cond.op == "all":
        return all(holds(c, answers) for c in cond.children)
    if cond.op == "any":
        return any(holds(c, answers) for c in cond.children)
    if cond.op == "not":
        return not holds(cond.children[0], answers)
    if cond.subject not in answers:
        return False
    answer = answers[cond.subject]
    operand = _operand(cond, answers)
    if isinstance(answer, list | tuple | frozenset):
        wanted = operand if isinstance(operand, tuple) else (operand,)
        return any(w in answer for w in wanted)
    if cond.op in ("at_most", "at_least"):
        if isinstance(answer, bool) or not isinstance(answer, int | float):
            return False
        if isinstance(operand, bool) or not isinstance(operand, int | float):
            return False  # validation rejects this; never a TypeError on odd data
        return answer <= operand if cond.op == "at_most" else answer >= operand
    return _compare("is", answer, operand) == 1.0
