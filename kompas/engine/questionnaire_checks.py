"""Check a read questionnaire: its method and goals, references between questions and criteria,
show_if conditions, and agreement with a catalogue."""

from __future__ import annotations

from typing import Any

from kompas.engine.checks import Checker
from kompas.engine.checks import describe
from kompas.engine.checks import suggest
from kompas.engine.conditions import check_fact_condition
from kompas.engine.model import MUST
from kompas.engine.model import Catalogue
from kompas.engine.model import Condition
from kompas.engine.model import Question
from kompas.engine.model import Questionnaire
from kompas.engine.yamlsource import Node
from kompas.errors import DataError
from kompas.errors import Location


def check_method(q: Questionnaire, node: Node | None, check: Checker) -> None:
    cid = q.offline_criterion
    if cid and node is not None and cid not in q.criteria:
        where = node.value["offline_criterion"]
        check.error(
            where,
            "method.offline_criterion",
            f"unknown criterion {cid!r}",
            suggest(cid, q.criteria),
        )
    qid = q.combinations_question
    if not qid or node is None:
        return
    where = node.value["combinations_question"]
    if qid not in q.index:
        check.error(
            where,
            "method.combinations_question",
            f"unknown question {qid!r}",
            suggest(qid, q.index),
        )
    elif q.question(qid).type != "yesno":
        check.error(where, "method.combinations_question", f"{qid!r} must be a yesno question")


def check_goals(q: Questionnaire, node: Node | None, check: Checker) -> None:
    """The goal and digital questions exist, have the right type, and the options are theirs."""
    if node is None or not node.is_mapping:
        return
    body = node.value
    for key, kinds in (("goal_question", ("multiple",)), ("digital_question", ("single",))):
        qid = getattr(q, key)
        if not qid:
            continue
        if qid not in q.index:
            check.error(
                body[key], f"method.{key}", f"unknown question {qid!r}", suggest(qid, q.index)
            )
        elif q.question(qid).type not in kinds:
            check.error(
                body[key],
                f"method.{key}",
                f"question {qid!r} is {q.question(qid).type}, expected {' or '.join(kinds)}",
            )
    if q.digital_options and not q.digital_question:
        check.error(body["digital_options"], "method.digital_options", "needs digital_question")
    elif q.digital_options and q.digital_question in q.index:
        known = [o.id for o in q.question(q.digital_question).options]
        for k, option in enumerate(q.digital_options):
            if option not in known:
                check.error(
                    body["digital_options"].value[k],
                    f"method.digital_options[{k}]",
                    f"unknown option {option!r} of question {q.digital_question!r}",
                    suggest(option, known),
                )


def check_references(q: Questionnaire, check: Checker) -> None:
    """Phase two: references inside questions.yaml."""
    criteria = q.criteria
    earlier: dict[str, Question] = {}
    used: set[str] = set()
    for question in q.questions:
        activations = list(question.activates + question.if_yes + question.if_no)
        for option in question.options:
            activations.extend(option.activates)
        for activation in activations:
            used.add(activation.criterion)
            if activation.criterion not in criteria:
                check.error(
                    Node(None, activation.location),
                    activation.path,
                    f"unknown criterion {activation.criterion!r}",
                    suggest(activation.criterion, criteria),
                )
        for cid, (location, where) in zip(question.criteria, question.criteria_refs, strict=True):
            used.add(cid)
            if cid not in criteria:
                check.error(
                    Node(None, location),
                    where,
                    f"unknown criterion {cid!r}",
                    suggest(cid, criteria),
                )
        if question.show_if is not None:
            _check_show_if(question.show_if, question, earlier, q, check)
        earlier[question.id] = question
    for cid, criterion in criteria.items():
        if cid not in used:
            check.warn(
                Node(None, criterion.location),
                f"criteria.{cid}",
                "no answer activates this criterion",
            )


def _check_show_if(
    cond: Condition,
    question: Question,
    earlier: dict[str, Question],
    q: Questionnaire,
    check: Checker,
) -> None:
    for child in cond.children:
        _check_show_if(child, question, earlier, q, check)
    if cond.children:
        return
    node = Node(None, cond.location)
    target = earlier.get(cond.subject)
    if target is None:
        if cond.subject in q.index:
            check.error(
                node,
                f"{cond.path}.answer",
                f"question {cond.subject!r} comes later",
                "show_if may only use earlier questions",
            )
        else:
            check.error(
                node,
                f"{cond.path}.answer",
                f"unknown question {cond.subject!r}",
                suggest(cond.subject, q.index),
            )
        return
    values = cond.operand.value if cond.operand else None
    values = values if isinstance(values, tuple) else (values,)
    for value in values:
        _check_show_if_value(node, cond, target, value, check)


def _check_show_if_value(
    node: Node, cond: Condition, target: Question, value: Any, check: Checker
) -> None:
    """A value a show_if compares an earlier question's answer with fits that question."""
    if target.type in ("single", "multiple") and target.option(value) is None:
        check.error(
            node,
            f"{cond.path}.value",
            f"{describe(value)} is not an option of {target.id!r}",
            suggest(str(value), [o.id for o in target.options]),
        )
    elif target.type == "yesno" and not isinstance(value, bool):
        check.error(
            node,
            f"{cond.path}.value",
            f"{target.id!r} is a yes/no question: compare with true or false",
        )
    elif (
        target.type == "number" and (isinstance(value, bool) or not isinstance(value, int | float))
    ) or (
        target.type == "importance"
        and (
            isinstance(value, bool)
            or not (isinstance(value, int | float) or value == MUST)
            or (cond.op in ("at_most", "at_least") and not isinstance(value, int | float))
        )
    ):
        check.error(
            node, f"{cond.path}.value", f"{target.id!r} needs a number, got {describe(value)}"
        )
    elif target.type == "text":
        check.error(
            node, f"{cond.path}.answer", f"{target.id!r} is free text and cannot steer show_if"
        )


def check_against_catalogue(q: Questionnaire, c: Catalogue, check: Checker) -> None:
    """Phase three: criteria against the fact schema of the catalogue."""
    if q.offline_category and q.offline_category not in c.categories:
        check.error(
            Node(None, Location(q.source)),
            "method.offline_category",
            f"unknown category {q.offline_category!r}",
            suggest(q.offline_category, c.categories),
        )
    if q.cost_fact and q.cost_fact not in c.facts:
        check.error(
            Node(None, Location(q.source)),
            "method.cost_fact",
            f"unknown fact {q.cost_fact!r}",
            suggest(q.cost_fact, c.facts),
        )
    elif q.cost_fact and c.facts[q.cost_fact].type not in ("number", "range"):
        check.error(
            Node(None, Location(q.source)),
            "method.cost_fact",
            f"{q.cost_fact!r} must be a number or range fact",
        )
    for criterion in q.criteria.values():
        if criterion.condition is not None:
            check_fact_condition(criterion.condition, c.facts, q.index, check)
        elif criterion.grade is not None:
            grade = criterion.grade
            location, where = grade.refs.get("", (criterion.location, ""))
            fact = c.facts.get(grade.fact)
            if fact is None:
                check.error(
                    Node(None, location),
                    where,
                    f"unknown fact {grade.fact!r}",
                    suggest(grade.fact, c.facts),
                )
            elif fact.type != "choice":
                check.error(
                    Node(None, location),
                    where,
                    f"grade works on choice facts, {grade.fact!r} is {fact.type}",
                )
            else:
                for value in grade.values:
                    if value not in fact.values:
                        location, where = grade.refs[value]
                        check.error(
                            Node(None, location),
                            where,
                            f"{value!r} is not a value of fact {fact.id!r}",
                            suggest(value, fact.values),
                        )


def ensure_compatible(q: Questionnaire, c: Catalogue) -> None:
    """Raise DataError when the questionnaire's criteria do not fit the catalogue's facts."""
    key = (q.content_hash, c.content_hash)
    if key in _compatible:
        return
    check = Checker()
    check_against_catalogue(q, c, check)
    if check.errors:
        raise DataError(check.errors)
    _compatible.add(key)


_compatible: set[tuple[str, str]] = set()
