"""Check a set of answers against the questionnaire and normalise the values."""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from kompas.engine.checks import closest
from kompas.engine.conditions import holds
from kompas.engine.model import MUST
from kompas.engine.model import Question
from kompas.engine.model import Questionnaire
from kompas.errors import AnswerError
from kompas.numbers import compact
from kompas.numbers import parse_number

# Text answers end up in the PDF report, whose cost grows faster than their length (CJK
# text without spaces: 1,000 characters ~4 s, 2,000 ~16 s): a question may allow less.
MAX_TEXT = 1000
_LEVEL = re.compile(r"[0-9]{1,3}", re.ASCII)
_YES = {"ja", "yes", "true", "j", "1"}
_NO = {"nee", "no", "false", "n", "0"}


@dataclass(frozen=True, slots=True)
class IgnoredAnswer:
    """An answer that does not count, with the reason."""

    question_id: str
    value: Any
    reason: str


@dataclass(frozen=True, slots=True)
class Answers:
    """Answers that fit the questionnaire; hidden and stale answers are set apart."""

    values: MappingProxyType[str, Any]
    ignored: tuple[IgnoredAnswer, ...] = ()

    def __contains__(self, question_id: object) -> bool:
        return question_id in self.values

    def get(self, question_id: str, default: Any = None) -> Any:
        """The normalised answer, or default."""
        return self.values.get(question_id, default)


def check_answers(
    questionnaire: Questionnaire, raw: Mapping[str, Any], *, strict: bool = True
) -> Answers:
    """Validate and normalise answers; strict=False sets unknown and invalid answers aside."""
    if not isinstance(raw, Mapping):
        raise AnswerError("", raw, "answers must be a mapping of question id to answer")
    ignored: list[IgnoredAnswer] = []
    for qid, value in raw.items():
        if qid not in questionnaire.index:
            if strict:
                raise AnswerError(str(qid), value, f"unknown question {qid!r}")
            ignored.append(IgnoredAnswer(str(qid), value, "unknown_question"))
    values: dict[str, Any] = {}
    for question in questionnaire.questions:
        if question.id not in raw or raw[question.id] is None:
            continue
        try:
            value = normalise_answer(question, raw[question.id])
        except AnswerError:
            if strict:
                raise
            ignored.append(IgnoredAnswer(question.id, raw[question.id], "invalid"))
            continue
        if question.show_if is not None and not holds(question.show_if, values):
            ignored.append(IgnoredAnswer(question.id, value, "hidden"))
            continue
        values[question.id] = value
    return Answers(MappingProxyType(values), tuple(ignored))


def answer_problems(questionnaire: Questionnaire, raw: Mapping[str, Any]) -> list[AnswerError]:
    """Every problem in a set of answers at once (check_answers stops at the first)."""
    problems: list[AnswerError] = []
    for qid, value in raw.items():
        if qid not in questionnaire.index:
            close = closest(str(qid), questionnaire.index)
            problems.append(
                AnswerError(str(qid), value, f"unknown question {qid!r}", "question", close=close)
            )
    for question in questionnaire.questions:
        if question.id not in raw or raw[question.id] is None:
            continue
        try:
            normalise_answer(question, raw[question.id])
        except AnswerError as exc:
            if exc.kind == "option":
                options = [o.id for o in question.options]
                exc.params["close"] = closest(str(exc.params.get("item")), options)
            problems.append(exc)
    return problems


def visible_questions(
    questionnaire: Questionnaire, answers: Mapping[str, Any]
) -> tuple[Question, ...]:
    """The questions shown for these answers, in order."""
    shown: list[Question] = []
    seen: dict[str, Any] = {}
    for question in questionnaire.questions:
        if question.show_if is None or holds(question.show_if, seen):
            shown.append(question)
            if question.id in answers:
                seen[question.id] = answers[question.id]
    return tuple(shown)


def normalise_answer(question: Question, value: Any) -> Any:
    """One answer in its canonical form, or AnswerError naming the question."""
    kind = question.type
    if kind == "single":
        if not isinstance(value, str) or question.option(value) is None:
            raise AnswerError(
                question.id,
                value,
                f"{value!r} is not an option of this question",
                "option",
                item=value,
                options=[o.id for o in question.options],
            )
        return value
    if kind == "multiple":
        return _multiple(question, value)
    if kind == "importance":
        if value == MUST:
            return MUST
        # Not str.isdigit(): that is also true for '²', which int() does not read.
        if isinstance(value, str) and _LEVEL.fullmatch(value.strip()):
            value = int(value)
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 3:
            return value
        raise AnswerError(
            question.id, value, "expected importance 0, 1, 2, 3 or must", "importance"
        )
    if kind == "yesno":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in _YES | _NO:
            return value.strip().lower() in _YES
        raise AnswerError(question.id, value, "expected yes or no (true/false)", "yesno")
    if kind == "number":
        return _number(question, value)
    if not isinstance(value, str):
        raise AnswerError(question.id, value, "expected text", "text")
    limit = text_limit(question)
    if len(value) > limit:
        raise AnswerError(
            question.id,
            value[:40],
            f"text is longer than {limit} characters",
            "too_long",
            limit=limit,
        )
    return value


def _multiple(question: Question, value: Any) -> tuple[str, ...]:
    """The chosen options of a multiple-choice answer, in the questionnaire's order."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list | tuple | set | frozenset):
        raise AnswerError(question.id, value, "expected a list of options", "list")
    chosen = set()
    for item in items:
        if not isinstance(item, str) or question.option(item) is None:
            raise AnswerError(
                question.id,
                value,
                f"{item!r} is not an option of this question",
                "option",
                item=item,
                options=[o.id for o in question.options],
            )
        chosen.add(item)
    return tuple(o.id for o in question.options if o.id in chosen)


def text_limit(question: Question) -> int:
    """The most characters a text answer to this question may have."""
    return question.max_length or MAX_TEXT


_FLOAT_MAX = sys.float_info.max


def _number(question: Question, value: Any) -> float | int:
    if isinstance(value, str):
        # Text is read in the current language (15.000 in Dutch, 15,000 in English).
        parsed = parse_number(value)
        if parsed is None:
            raise AnswerError(question.id, value, "expected a number", "number")
        value = parsed
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        # NaN, '1e999' read as infinity, and YAML integers beyond any float (309+ digits)
        or (isinstance(value, int) and abs(value) > _FLOAT_MAX)
        or not math.isfinite(value)
    ):
        raise AnswerError(question.id, value, "expected a number", "number")
    if question.minimum is not None and value < question.minimum:
        raise AnswerError(
            question.id,
            value,
            f"expected at least {compact(question.minimum)}",
            "below",
            limit=question.minimum,
        )
    if question.maximum is not None and value > question.maximum:
        raise AnswerError(
            question.id,
            value,
            f"expected at most {compact(question.maximum)}",
            "above",
            limit=question.maximum,
        )
    return int(value) if float(value).is_integer() else value
