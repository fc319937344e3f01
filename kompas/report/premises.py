"""The answers in words: premises that drove the advice, and every answer for the appendix.

One sentence pattern per question type, filled with the question text, the option labels
and the criterion labels from questions.yaml; no question is named in Python.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kompas.engine.activation import activation_table
from kompas.engine.answers import check_answers
from kompas.engine.answers import visible_questions
from kompas.engine.model import MUST
from kompas.engine.model import Question
from kompas.engine.model import Questionnaire
from kompas.engine.result import Advice
from kompas.i18n import _
from kompas.i18n import localise
from kompas.narrative import describe_answer
from kompas.narrative import importance_label


@dataclass(frozen=True, slots=True)
class Premise:
    """One answer as a sentence, with the criteria it made count."""

    sentence: str
    counts_as: str


@dataclass(frozen=True, slots=True)
class SectionAnswers:
    """A questionnaire section with its premises or answers."""

    title: str
    items: tuple[Any, ...]


def weight_word(level: Any) -> str:
    """A short importance word for lists: 'eis', 'zeer belangrijk', ..."""
    if level == MUST:
        return _("eis")
    return importance_label(level).lower()


def premise_sentence(question: Question, value: Any, criteria: Mapping[str, str]) -> str:
    """One answer as a sentence; the pattern depends only on the question type."""
    answer = describe_answer(question, value)
    kind = question.type
    if kind == "importance":
        labels = "; ".join(criteria.get(c, c) for c in question.criteria)
        if value == MUST:
            return _("Eis van de gemeente: {criteria}.").format(criteria=labels)
        if value == 0:
            return _("Maakt de gemeente niet uit: {criteria}.").format(criteria=labels)
        return _("{level} voor de gemeente: {criteria}.").format(
            level=importance_label(value), criteria=labels
        )
    if kind in ("single", "multiple"):
        return _("Op de vraag “{question}” koos de gemeente: {answer}.").format(
            question=localise(question.text).rstrip(), answer=answer
        )
    if kind == "yesno":
        return _("Op de vraag “{question}” antwoordde de gemeente: {answer}.").format(
            question=localise(question.text).rstrip(), answer=answer
        )
    if kind == "number":
        return _("Op de vraag “{question}” gaf de gemeente op: {answer}.").format(
            question=localise(question.text).rstrip(), answer=answer
        )
    return _("Bij “{question}” schreef de gemeente: “{answer}”").format(
        question=localise(question.text).rstrip(), answer=answer.strip()
    )


def premises(questionnaire: Questionnaire, advice: Advice) -> tuple[SectionAnswers, ...]:
    """Per section, the answers that switched criteria on (and free-text context), as sentences."""
    answers = check_answers(questionnaire, advice.answers, strict=False)
    table = activation_table(questionnaire, answers)
    active = {a.id: a for a in advice.active}
    labels = {cid: localise(c.label) for cid, c in questionnaire.criteria.items()}
    sections = []
    for section in questionnaire.sections:
        items = []
        for question in section.questions:
            if question.id not in answers:
                continue
            switched = [(cid, level) for cid, level in table.get(question.id, []) if cid in active]
            if not switched and question.type != "text":
                continue
            counts_as = ""
            if switched and question.type != "importance":
                counts_as = "; ".join(
                    f"{labels[cid]} ({weight_word(level)})" for cid, level in switched
                )
            value = answers.get(question.id)
            items.append(Premise(premise_sentence(question, value, labels), counts_as))
        if items:
            sections.append(SectionAnswers(section.title, tuple(items)))
    return tuple(sections)


def all_answers(questionnaire: Questionnaire, advice: Advice) -> tuple[SectionAnswers, ...]:
    """Every question shown for these answers, with the answer or that it was skipped."""
    shown = {q.id for q in visible_questions(questionnaire, advice.answers)}
    sections = []
    for section in questionnaire.sections:
        rows = tuple(
            (
                q.text,
                describe_answer(q, advice.answers[q.id])
                if q.id in advice.answers
                else _("niet beantwoord (overgeslagen)"),
                q.id in advice.answers,
            )
            for q in section.questions
            if q.id in shown
        )
        if rows:
            sections.append(SectionAnswers(section.title, rows))
    return tuple(sections)
