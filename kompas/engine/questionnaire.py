"""Read questions.yaml into a Questionnaire and check it against the catalogue."""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType
from typing import Any

from kompas.engine.answers import MAX_TEXT
from kompas.engine.catalogue import content_hash
from kompas.engine.checks import Checker
from kompas.engine.checks import describe
from kompas.engine.checks import suggest
from kompas.engine.conditions import check_fact_condition
from kompas.engine.conditions import parse_condition
from kompas.engine.model import IMPORTANCE_LEVELS
from kompas.engine.model import MUST
from kompas.engine.model import Activation
from kompas.engine.model import Catalogue
from kompas.engine.model import Condition
from kompas.engine.model import Criterion
from kompas.engine.model import Grade
from kompas.engine.model import Importance
from kompas.engine.model import Option
from kompas.engine.model import Question
from kompas.engine.model import Questionnaire
from kompas.engine.model import Section
from kompas.engine.yamlsource import Node
from kompas.engine.yamlsource import load_file
from kompas.errors import DataError
from kompas.errors import Location

QUESTION_TYPES = ("single", "multiple", "importance", "yesno", "number", "text")
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
# Generic sentences and words the engine needs from questions.yaml, so no Dutch lives in Python.
REQUIRED_TEXTS = (
    *EXPLAIN_KEYS,
    "excluded",
    "verify",
    "low_coverage",
    "yes",
    "no",
    "none",
    "range",
)
# What a new dossier asks that a number question may start from (see Question.prefill).
PREFILL_FIELDS = ("inhabitants",)
DEFAULT_QUESTIONS = Path(__file__).resolve().parent.parent / "data" / "questions.yaml"
_KEYS_BY_TYPE = {
    "single": ("options",),
    "multiple": ("options",),
    "importance": ("criteria",),
    "yesno": ("if_yes", "if_no"),
    "number": ("activates", "min", "max", "unit", "prefill"),
    "text": ("max_length",),
}


def read_questionnaire(
    path: str | Path | None = None, catalogue: Catalogue | None = None
) -> tuple[Questionnaire | None, Checker]:
    """Read questions.yaml (and check it against a catalogue); returns it and all problems."""
    path = Path(path) if path else DEFAULT_QUESTIONS
    label = path.name if path.resolve().parent == DEFAULT_QUESTIONS.parent else str(path)
    check = Checker()
    try:
        tree, raw = load_file(path, label)
    except DataError as exc:
        check.problems.extend(exc.problems)
        return None, check
    questionnaire = build_questionnaire(tree, content_hash(raw), check, str(path))
    if questionnaire is not None and catalogue is not None:
        check_against_catalogue(questionnaire, catalogue, check)
    return (questionnaire if not check.errors else None), check


def load_questionnaire(
    path: str | Path | None = None, catalogue: Catalogue | None = None
) -> Questionnaire:
    """Load the questionnaire (default: the shipped questions.yaml); raise DataError."""
    questionnaire, check = read_questionnaire(path, catalogue)
    if questionnaire is None:
        raise DataError(check.errors)
    return questionnaire


def build_questionnaire(
    tree: Node, digest: str, check: Checker, source: str = ""
) -> Questionnaire | None:
    """Build a Questionnaire from a parsed tree; phase one (shape) then internal references."""
    top = check.mapping(
        tree, "", required=("version", "texts", "sections", "criteria"), optional=("method",)
    )
    if top is None:
        return None
    version = check.version(top.get("version"), "version")
    texts = check.localised_map(top, "texts", "", _texts(top.get("texts"), check))
    criteria = _criteria(top["criteria"], check) if "criteria" in top else {}
    sections = _sections(top["sections"], check) if "sections" in top else []
    method = _method(top.get("method"), check)
    if check.errors:
        return None
    questionnaire = Questionnaire(
        version,
        digest,
        tuple(sections),
        MappingProxyType(criteria),
        MappingProxyType(texts),
        source,
        **method,
    )
    _check_references(questionnaire, check)
    _check_method(questionnaire, top.get("method"), check)
    _check_goals(questionnaire, top.get("method"), check)
    return None if check.errors else questionnaire


def _method(node: Node | None, check: Checker) -> dict[str, Any]:
    """Settings of the scoring method that belong with the questionnaire."""
    if node is None:
        return {}
    body = check.mapping(
        node,
        "method",
        optional=(
            "min_coverage",
            "tie_margin",
            "combinations_question",
            "offline_criterion",
            "offline_category",
            "cost_fact",
            "goal_question",
            "digital_question",
            "digital_options",
        ),
    )
    settings: dict[str, Any] = {}
    for key in ("min_coverage", "tie_margin"):
        if body and key in body:
            value = check.number(body[key], f"method.{key}")
            if value is not None and not 0 <= value <= 100:
                check.error(body[key], f"method.{key}", f"expected 0 to 100, got {value}")
            elif value is not None:
                settings[key] = float(value)
    for key in (
        "combinations_question",
        "offline_criterion",
        "offline_category",
        "cost_fact",
        "goal_question",
        "digital_question",
    ):
        if body and key in body:
            settings[key] = check.ident(body[key], f"method.{key}")
    if body and "digital_options" in body:
        nodes = check.sequence(body["digital_options"], "method.digital_options", allow_empty=False)
        settings["digital_options"] = tuple(
            check.ident(n, f"method.digital_options[{k}]") for k, n in enumerate(nodes)
        )
    return settings


def _check_goals(q: Questionnaire, node: Node | None, check: Checker) -> None:
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


def _check_method(q: Questionnaire, node: Node | None, check: Checker) -> None:
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


def _texts(node: Node | None, check: Checker) -> dict[str, str]:
    if node is None:
        return {}
    body = check.mapping(
        node, "texts", required=REQUIRED_TEXTS, optional=node.value if node.is_mapping else ()
    )
    return {k: check.text(v, f"texts.{k}") for k, v in (body or {}).items()}


def _sections(node: Node, check: Checker) -> list[Section]:
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
        _unique(sid, snode, f"{path}.id", seen_sections, "section", check)
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
                _unique(
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


def _unique(
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
    if qtype == "text" and "max_length" in body:
        length = check.number(body["max_length"], f"{path}.max_length", "a whole number")
        if length is not None and (not isinstance(length, int) or not 1 <= length <= MAX_TEXT):
            check.error(
                body["max_length"],
                f"{path}.max_length",
                f"expected a whole number from 1 to {MAX_TEXT}",
            )
        elif length is not None:
            fields["max_length"] = length
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
        _unique(oid, onode, f"{opath}.id", seen, "option", check)
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


def _criteria(node: Node, check: Checker) -> dict[str, Criterion]:
    result: dict[str, Criterion] = {}
    seen: dict[str, Node] = {}
    for i, cnode in enumerate(check.sequence(node, "criteria", allow_empty=False)):
        path = f"criteria[{i}]"
        body = check.mapping(
            cnode,
            path,
            required=("id", "label", "ask"),
            optional=("condition", "grade", "not_applicable", "explain", "combine", "red_flag"),
        )
        if body is None:
            continue
        cid = check.ident(body.get("id"), f"{path}.id")
        _unique(cid, cnode, f"{path}.id", seen, "criterion", check)
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
        explain: dict[str, str] = {}
        if "explain" in body:
            keys = (*EXPLAIN_KEYS, *OPTIONAL_EXPLAIN_KEYS)
            ebody = check.mapping(body["explain"], f"{path}.explain", optional=keys)
            explain = {
                k: check.text(v, f"{path}.explain.{k}")
                for k, v in (ebody or {}).items()
                if k in keys
            }
            explain = check.localised_map(body, "explain", path, explain)
        combine = "all"
        if "combine" in body:
            combine = (
                check.one_of(
                    body["combine"], f"{path}.combine", ("any", "all", "sum"), "combine rule"
                )
                or "all"
            )
            if combine == "sum" and not _summable(condition):
                check.error(
                    body["combine"],
                    f"{path}.combine",
                    "combine: sum needs a condition of one at_most or at_least on a fact",
                )
        if cid and cid not in result:
            result[cid] = Criterion(
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
    return result


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


def _check_references(q: Questionnaire, check: Checker) -> None:
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
            target.type == "number"
            and (isinstance(value, bool) or not isinstance(value, int | float))
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
