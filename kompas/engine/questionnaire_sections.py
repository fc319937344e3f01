"""Read the sections and questions of questions.yaml: types, options, what an answer activates."""

from __future__ import annotations

from typing import Any

from kompas.engine.answers import MAX_TEXT
from kompas.engine.checks import Checker
from kompas.engine.checks import describe
from kompas.engine.conditions import parse_condition
from kompas.engine.model import IMPORTANCE_LEVELS
from kompas.engine.model import Activation
from kompas.engine.model import Condition
from kompas.engine.model import Importance
from kompas.engine.model import Option
from kompas.engine.model import Question
from kompas.engine.model import Section
from kompas.engine.yamlsource import Node

QUESTION_TYPES = ("single", "multiple", "importance", "yesno", "number", "text")


# What a new dossier asks that a number question may start from (see Question.prefill).
PREFILL_FIELDS = ("inhabitants",)


_KEYS_BY_TYPE = {
    "single": ("options",),
    "multiple": ("options",),
    "importance": ("criteria",),
    "yesno": ("if_yes", "if_no"),
    "number": ("activates", "min", "max", "unit", "prefill"),
    "text": ("max_length",),
}


def read_sections(node: Node, check: Checker) -> list[Section]:
    sections = []
    seen_sections: dict[str, Node] = {}
    seen_questions: dict[str, Node] = {}
    for i, snode in enumerate(check.sequence(node, "sections", allow_empty=False)):
        path = f"sections[{i}]"
        body = check.mapping(
            snode, path, required=("id", "title", "questions"), optional=("intro", "important")
        )
        if body is None:
            continue
        sid = check.ident(body.get("id"), f"{path}.id")
        unique_ids(sid, snode, f"{path}.id", seen_sections, "section", check)
        questions = []
        for j, qnode in enumerate(
            check.sequence(
                body.get("questions", Node([], snode.location)),
                f"{path}.questions",
                allow_empty=False,
            )
        ):
            question = _question(qnode, f"{path}.questions[{j}]", sid, check)
            if question is not None:
                unique_ids(
                    question.id,
                    qnode,
                    f"{path}.questions[{j}].id",
                    seen_questions,
                    "question",
                    check,
                )
                questions.append(question)
        sections.append(
            Section(
                sid,
                check.localised(body, "title", path),
                check.localised(body, "intro", path) if "intro" in body else "",
                tuple(questions),
                bool(check.boolean(body["important"], f"{path}.important"))
                if "important" in body
                else False,
            )
        )
    return sections


def unique_ids(
    value: str, node: Node, path: str, seen: dict[str, Node], what: str, check: Checker
) -> None:
    if not value:
        return
    if value in seen:
        check.error(
            node, path, f"duplicate {what} id {value!r} (first on line {seen[value].location.line})"
        )
    else:
        seen[value] = node


def _question(node: Node, path: str, section: str, check: Checker) -> Question | None:
    qtype = ""
    if node.is_mapping and "type" in node.value:
        qtype = check.one_of(node.value["type"], f"{path}.type", QUESTION_TYPES, "question type")
    # With an unknown type, which other keys belong is unknowable: do not warn about them.
    extra = _KEYS_BY_TYPE.get(qtype, tuple(node.value) if node.is_mapping else ())
    body = check.mapping(
        node,
        path,
        required=(
            "id",
            "type",
            "text",
            "help",
            *(("options",) if qtype in ("single", "multiple") else ()),
            *(("criteria",) if qtype == "importance" else ()),
        ),
        optional=("show_if", *extra),
    )
    if body is None or not qtype:
        return None
    qid = check.ident(body.get("id"), f"{path}.id")
    fields: dict[str, Any] = {}
    if qtype in ("single", "multiple") and "options" in body:
        fields["options"] = _options(body["options"], f"{path}.options", check)
    if qtype == "importance" and "criteria" in body:
        items = check.sequence(body["criteria"], f"{path}.criteria", allow_empty=False)
        fields["criteria"] = tuple(
            check.ident(n, f"{path}.criteria[{i}]") for i, n in enumerate(items)
        )
        fields["criteria_refs"] = tuple(
            (n.location, f"{path}.criteria[{i}]") for i, n in enumerate(items)
        )
    for key in ("activates", "if_yes", "if_no"):
        if key in body:
            fields[key] = _activations(body[key], f"{path}.{key}", check)
    if qtype == "number":
        fields.update(_number_fields(body, path, check))
    if qtype == "text" and "max_length" in body:
        fields.update(_text_fields(body, path, check))
    show_if: Condition | None = None
    if "show_if" in body:
        show_if = parse_condition(body["show_if"], f"{path}.show_if", check, "answer")
    if not qid:
        return None
    return Question(
        qid,
        qtype,  # type: ignore[arg-type]  # checked against QUESTION_TYPES above
        check.localised(body, "text", path),
        check.localised(body, "help", path),
        section,
        show_if=show_if,
        location=node.location,
        **fields,
    )


def _number_fields(body: dict[str, Node], path: str, check: Checker) -> dict[str, Any]:
    """A number question's bounds, unit and what it may be prefilled from."""
    fields: dict[str, Any] = {}
    fields["minimum"] = check.number(body.get("min"), f"{path}.min")
    fields["maximum"] = check.number(body.get("max"), f"{path}.max")
    if (
        fields["minimum"] is not None
        and fields["maximum"] is not None
        and fields["minimum"] > fields["maximum"]
    ):
        check.error(body["min"], f"{path}.min", "min is more than max")
    fields["unit"] = check.localised(body, "unit", path) if "unit" in body else ""
    if "prefill" in body:
        prefill = check.ident(body["prefill"], f"{path}.prefill")
        if prefill and prefill not in PREFILL_FIELDS:
            check.error(body["prefill"], f"{path}.prefill", f"expected one of {PREFILL_FIELDS}")
        elif prefill:
            fields["prefill"] = prefill
    return fields


def _text_fields(body: dict[str, Node], path: str, check: Checker) -> dict[str, Any]:
    """A text question's maximum length."""
    fields: dict[str, Any] = {}
    length = check.number(body["max_length"], f"{path}.max_length", "a whole number")
    if length is not None and (not isinstance(length, int) or not 1 <= length <= MAX_TEXT):
        check.error(
            body["max_length"],
            f"{path}.max_length",
            f"expected a whole number from 1 to {MAX_TEXT}",
        )
    elif length is not None:
        fields["max_length"] = length
    return fields


def _options(node: Node, path: str, check: Checker) -> tuple[Option, ...]:
    options = []
    seen: dict[str, Node] = {}
    for i, onode in enumerate(check.sequence(node, path, allow_empty=False)):
        opath = f"{path}[{i}]"
        body = check.mapping(
            onode,
            opath,
            required=("id", "label"),
            optional=("activates", "informational", "builds_on"),
        )
        if body is None:
            continue
        oid = check.ident(body.get("id"), f"{opath}.id")
        unique_ids(oid, onode, f"{opath}.id", seen, "option", check)
        activates = (
            _activations(body["activates"], f"{opath}.activates", check)
            if "activates" in body
            else ()
        )
        informational = bool(check.boolean(body.get("informational"), f"{opath}.informational"))
        written = "activates" in body and bool(body["activates"].value)
        if informational and written:
            check.error(onode, opath, "an informational option activates nothing")
        if not informational and not written:
            check.error(
                onode, opath, "option has no effect", "add activates: or informational: true"
            )
        builds_on = check.localised(body, "builds_on", opath) if "builds_on" in body else ""
        options.append(
            Option(oid, check.localised(body, "label", opath), activates, informational, builds_on)
        )
    return tuple(options)


def _activations(node: Node, path: str, check: Checker) -> tuple[Activation, ...]:
    result = []
    for i, anode in enumerate(check.sequence(node, path)):
        apath = f"{path}[{i}]"
        body = check.mapping(anode, apath, required=("criterion", "importance"))
        if body is None or "criterion" not in body or "importance" not in body:
            continue
        criterion = check.ident(body["criterion"], f"{apath}.criterion")
        importance = parse_importance(body["importance"], f"{apath}.importance", check)
        if criterion and importance is not None:
            where = body["criterion"]
            result.append(Activation(criterion, importance, where.location, f"{apath}.criterion"))
    return tuple(result)


def parse_importance(node: Node, path: str, check: Checker) -> Importance | None:
    """Check an importance: 0-3 or must."""
    value = node.value
    if value in IMPORTANCE_LEVELS and not isinstance(value, bool | float):
        level: Importance = value
        return level
    check.error(node, path, f"expected importance 0, 1, 2, 3 or must, got {describe(value)}")
    return None
