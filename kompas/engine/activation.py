"""What an answer switches on: the active criteria with their weights and must-haves (the only copy)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kompas.engine.answers import Answers
from kompas.engine.kernel import MUST_WEIGHT  # noqa: F401 (re-exported)
from kompas.engine.kernel import condition_answers
from kompas.engine.kernel import is_must
from kompas.engine.kernel import stronger
from kompas.engine.kernel import weight_of
from kompas.engine.model import Question
from kompas.engine.model import Questionnaire
from kompas.engine.result import ActiveCriterion
from kompas.engine.result import AnswerRef
from kompas.i18n import localise
from kompas.numbers import format_number


def activation_table(
    questionnaire: Questionnaire, answers: Answers
) -> dict[str, list[tuple[str, Any]]]:
    """Per answered question: the criteria it switches on, with their importance."""
    return {
        question.id: [
            (cid, level)
            for cid, level, _label in activations(
                question, answers.get(question.id), questionnaire.texts
            )
        ]
        for question in questionnaire.questions
        if question.id in answers
    }


def active_criteria(
    questionnaire: Questionnaire, answers: Answers, *, explain: bool = True
) -> tuple[ActiveCriterion, ...]:
    """The criteria the answers switch on, each with its strongest importance and the answers why.

    With explain=False the `because` references are left empty and labels unlocalised: the
    what-if analyses score thousands of trial answers and never show why.
    """
    importance: dict[str, Any] = {}
    because: dict[str, list[AnswerRef]] = {}
    values = answers.values
    for question in questionnaire.questions:
        if question.id not in values:
            continue
        for criterion_id, level, label in activations(
            question, values[question.id], questionnaire.texts
        ):
            if explain:
                ref = AnswerRef(question.id, localise(question.text), localise(label))
                because.setdefault(criterion_id, []).append(ref)
            importance[criterion_id] = stronger(importance.get(criterion_id), level)
    needs = condition_answers(questionnaire)
    # Unexplained criteria depend only on id and importance: made once per questionnaire.
    plain: dict[tuple[str, Any], ActiveCriterion] = questionnaire.cache.setdefault("plain", {})
    active = []
    for criterion_id, level in importance.items():
        if any(q not in values for q in needs[criterion_id]):
            continue
        if not explain and (criterion_id, level) in plain:
            active.append(plain[criterion_id, level])
            continue
        criterion = questionnaire.criteria[criterion_id]
        made = ActiveCriterion(
            criterion_id,
            localise(criterion.label) if explain else criterion.label,
            level,
            weight_of(level),
            is_must(level),
            tuple(because.get(criterion_id, ())),
        )
        if not explain:
            plain[criterion_id, level] = made
        active.append(made)
    order = _criterion_order(questionnaire)
    return tuple(sorted(active, key=lambda a: order[a.id]))


def _criterion_order(questionnaire: Questionnaire) -> Mapping[str, int]:
    cached: Mapping[str, int] | None = questionnaire.cache.get("criterion-order")
    if cached is None:
        cached = {cid: i for i, cid in enumerate(questionnaire.criteria)}
        questionnaire.cache["criterion-order"] = cached
    return cached


def activations(
    question: Question, value: Any, texts: Mapping[str, str]
) -> list[tuple[str, Any, str]]:
    kind = question.type
    if kind == "single" or kind == "multiple":
        chosen = (value,) if kind == "single" else value
        return [
            (a.criterion, a.importance, option.label)
            for option in question.options
            if option.id in chosen
            for a in option.activates
        ]
    if kind == "importance":
        return [(cid, value, str(value)) for cid in question.criteria]
    if kind == "yesno":
        label = localise(texts.get("yes" if value else "no", str(value)))
        return [
            (a.criterion, a.importance, label)
            for a in (question.if_yes if value else question.if_no)
        ]
    if kind == "number":
        return [(a.criterion, a.importance, format_number(value)) for a in question.activates]
    return []
