"""Workshop mode: several participants' priorities -> one group answer plus their disagreement.

Pure functions over the questionnaire; nothing here knows about the web or a database.

Only the *priority* questions are aggregated: single and multiple choice, importance and
yes/no. Number questions (budget, inhabitants) are facts that stay with the facilitator;
free text is never scored. Per question, the participants who answered it are its
respondents (a participant who skipped it does not count for it):

- importance: the answers on the scale 0, 1, 2, 3, 4 where "must" counts as 4. The group's
  answer is the median, rounded half up (an even group's median 2.5 becomes 3, 3.5 becomes
  4), and 4 is read back as "must". Spread: the population standard deviation on that
  0..4 scale; disagreement = spread / 2 (2 is the largest standard deviation possible on a
  0..4 scale), so 0..1.
- single choice: the most chosen option. A tie gives no group answer (value None) and lists
  the tied options in ``tied``: a tie is a disagreement the facilitator settles, not a
  coin toss. Spread: 1 - share of the most chosen option; disagreement = spread divided by
  the largest spread this group could have (1 - 1 / min(options, respondents)).
- multiple choice: the options chosen by at least half of the respondents (possibly none).
  Per option the group splits into "chose it" and "did not"; spread = the largest minority
  share over the options (0..0.5), disagreement = 2 x spread. ``contested`` names the
  option that splits the group most.
- yes/no: the majority; a tie gives no group answer (``tied`` = (True, False)). Spread:
  1 - the majority share (0..0.5); disagreement = 2 x spread.

Answers that do not fit the questionnaire (unknown questions, invalid values) are set
aside, as ``check_answers(strict=False)`` does. ``show_if`` is not applied here: whether a
question is shown may depend on answers a participant was never asked (the facilitator's
own), so the caller decides which questions a participant saw and stores only those.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from kompas.engine.answers import normalise_answer
from kompas.engine.model import IMPORTANCE_LEVELS
from kompas.engine.model import MUST
from kompas.engine.model import Catalogue
from kompas.engine.model import Importance
from kompas.engine.model import Question
from kompas.engine.model import Questionnaire
from kompas.engine.model import Section
from kompas.engine.result import PlatformResult
from kompas.engine.scoring import advise
from kompas.errors import AnswerError

PRIORITY_TYPES = frozenset({"single", "multiple", "importance", "yesno"})
MUST_LEVEL = 4


@dataclass(frozen=True, slots=True)
class QuestionAggregate:
    """One question's group answer, answer counts and disagreement."""

    question: Question
    respondents: int
    # The group's answer in the engine's canonical form; None on a tie.
    value: Any
    # (answer, how many chose it): options in questionnaire order, importance 0..3 and
    # "must", or True/False for yes/no. Every possible answer is listed, also with 0.
    counts: tuple[tuple[Any, int], ...]
    # Kind-specific spread (see the module docstring) and disagreement on 0..1.
    spread: float
    disagreement: float
    tied: tuple[Any, ...] = ()
    contested: str = ""  # multiple choice: the option that splits the group most
    low: Importance | None = None  # importance: lowest, median and highest answer
    median: float | None = None  # on the 0..4 scale, before rounding
    high: Importance | None = None

    @property
    def id(self) -> str:
        """The question id."""
        return self.question.id

    @property
    def criteria(self) -> tuple[str, ...]:
        """The criteria an importance question weighs (empty for other kinds)."""
        return self.question.criteria


@dataclass(frozen=True, slots=True)
class Aggregate:
    """The group's answers to the priority questions and where the group disagrees."""

    participants: int
    questions: tuple[QuestionAggregate, ...]  # questionnaire order; answered questions only
    answers: MappingProxyType[str, Any]  # question id -> group answer (ties left out)

    def question(self, question_id: str) -> QuestionAggregate | None:
        """The aggregate of one question, if anyone answered it."""
        for item in self.questions:
            if item.question.id == question_id:
                return item
        return None

    @property
    def agenda(self) -> tuple[QuestionAggregate, ...]:
        """Questions the group disagrees on, most disagreement first (a discussion agenda).

        Only questions with two or more respondents and some disagreement; equal
        disagreement: more respondents first, then questionnaire order.
        """
        order = {item.question.id: i for i, item in enumerate(self.questions)}
        chosen = [q for q in self.questions if q.respondents >= 2 and q.disagreement > 0]
        return tuple(
            sorted(chosen, key=lambda q: (-q.disagreement, -q.respondents, order[q.question.id]))
        )


@dataclass(frozen=True, slots=True)
class Comparison:
    """The platform(s) on top with one participant's priorities and with the group's."""

    mine: tuple[PlatformResult, ...]  # sharing first place; empty when every platform falls out
    group: tuple[PlatformResult, ...]

    @property
    def same(self) -> bool:
        """Whether the participant's priorities put the same platform(s) on top."""
        return {r.platform.id for r in self.mine} == {r.platform.id for r in self.group}


def priority_questions(
    questionnaire: Questionnaire, section_ids: Iterable[str] | None = None
) -> tuple[Question, ...]:
    """The questions participants may answer, in order (all sections when none are given)."""
    chosen = None if section_ids is None else set(section_ids)
    return tuple(
        q
        for s in questionnaire.sections
        if chosen is None or s.id in chosen
        for q in s.questions
        if q.type in PRIORITY_TYPES
    )


def priority_sections(questionnaire: Questionnaire) -> tuple[Section, ...]:
    """The sections that have at least one priority question (those a workshop can show)."""
    return tuple(
        s for s in questionnaire.sections if any(q.type in PRIORITY_TYPES for q in s.questions)
    )


def default_sections(questionnaire: Questionnaire) -> tuple[Section, ...]:
    """The sections participants see unless the facilitator chooses: priority sections
    without number questions (numbers such as the budget are facts for the facilitator)."""
    return tuple(
        s
        for s in priority_sections(questionnaire)
        if not any(q.type == "number" for q in s.questions)
    )


def importance_level(value: Importance) -> int:
    """An importance on the 0..4 ordering scale: "must" is 4."""
    return MUST_LEVEL if value == MUST else int(value)


def level_importance(level: int) -> Importance:
    """A level on the 0..4 scale as an importance: 4 is "must"."""
    return MUST if level >= MUST_LEVEL else level


def round_half_up(value: float | Fraction) -> int:
    """Round to the nearest whole number, halves upwards (2.5 -> 3)."""
    return math.floor(Fraction(value) + Fraction(1, 2))


def aggregate(questionnaire: Questionnaire, participants: list[Mapping[str, Any]]) -> Aggregate:
    """Aggregate the participants' answers to the priority questions (see the module docs)."""
    normalised = [_normalise(questionnaire, p) for p in participants]
    items: list[QuestionAggregate] = []
    for question in questionnaire.questions:
        if question.type not in PRIORITY_TYPES:
            continue
        values = [p[question.id] for p in normalised if question.id in p]
        if not values:
            continue
        items.append(_AGGREGATORS[question.type](question, values))
    answers = {i.question.id: i.value for i in items if i.value is not None}
    return Aggregate(len(participants), tuple(items), MappingProxyType(answers))


def _normalise(questionnaire: Questionnaire, raw: Mapping[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for qid, value in raw.items():
        question = questionnaire.index.get(qid)
        if question is None or question.type not in PRIORITY_TYPES or value is None:
            continue
        try:
            result[qid] = normalise_answer(question, value)
        except AnswerError:
            continue
    return result


def _importance(question: Question, values: list[Any]) -> QuestionAggregate:
    levels = sorted(importance_level(v) for v in values)
    n = len(levels)
    middle = n // 2
    median = Fraction(levels[middle]) if n % 2 else Fraction(levels[middle - 1] + levels[middle], 2)
    mean = Fraction(sum(levels), n)
    spread = math.sqrt(sum((x - mean) ** 2 for x in levels) / n)
    counts = tuple((lv, sum(importance_level(lv) == x for x in levels)) for lv in IMPORTANCE_LEVELS)
    return QuestionAggregate(
        question,
        n,
        level_importance(round_half_up(median)),
        counts,
        round(spread, 6),
        round(min(spread / 2, 1.0), 6),
        low=level_importance(levels[0]),
        median=float(median),
        high=level_importance(levels[-1]),
    )


def _single(question: Question, values: list[Any]) -> QuestionAggregate:
    n = len(values)
    counts = tuple((o.id, values.count(o.id)) for o in question.options)
    most = max(c for _o, c in counts)
    tied = tuple(o for o, c in counts if c == most)
    spread = 1 - most / n
    widest = 1 - 1 / min(len(question.options), n)
    disagreement = min(spread / widest, 1.0) if widest > 0 else 0.0
    return QuestionAggregate(
        question,
        n,
        tied[0] if len(tied) == 1 else None,
        counts,
        round(spread, 6),
        round(disagreement, 6),
        tied=tied if len(tied) > 1 else (),
    )


def _multiple(question: Question, values: list[Any]) -> QuestionAggregate:
    n = len(values)
    counts = tuple((o.id, sum(o.id in v for v in values)) for o in question.options)
    chosen = tuple(o for o, c in counts if 2 * c >= n)
    minority = [(min(c, n - c), o) for o, c in counts]
    split = max((m for m, _o in minority), default=0)
    contested = next((o for m, o in minority if m == split), "") if split else ""
    spread = split / n
    return QuestionAggregate(
        question,
        n,
        chosen,
        counts,
        round(spread, 6),
        round(min(2 * spread, 1.0), 6),
        contested=contested,
    )


def _yesno(question: Question, values: list[Any]) -> QuestionAggregate:
    n = len(values)
    yes = sum(1 for v in values if v)
    no = n - yes
    value = True if yes > no else False if no > yes else None
    spread = 1 - max(yes, no) / n
    return QuestionAggregate(
        question,
        n,
        value,
        ((True, yes), (False, no)),
        round(spread, 6),
        round(min(2 * spread, 1.0), 6),
        tied=(True, False) if value is None else (),
    )


_AGGREGATORS = {
    "importance": _importance,
    "single": _single,
    "multiple": _multiple,
    "yesno": _yesno,
}


def compare_participant(
    questionnaire: Questionnaire,
    catalogue: Catalogue,
    base_answers: Mapping[str, Any],
    participant_answers: Mapping[str, Any],
    group_answers: Mapping[str, Any] | None = None,
) -> Comparison:
    """The top platform(s) with one participant's priorities merged over the base answers,
    and with the group's (``group_answers`` merged over the base answers; the base answers
    alone when None). Answers that do not fit are set aside, never fatal."""

    def first(answers: Mapping[str, Any]) -> tuple[PlatformResult, ...]:
        advice = advise(questionnaire, catalogue, answers, strict=False)
        return tuple(r for r in advice.ranking if r.rank == 1)

    mine = first({**base_answers, **participant_answers})
    group = first({**base_answers, **(group_answers or {})})
    return Comparison(mine, group)
