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
from kompas.engine.answers import visible_questions
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
from kompas.i18n import _
from kompas.present.words import join_names

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


# -- workshop policy: what the web pages only render ------------------------------------------

# Disagreement (0..1) from this value on is "matig" and worth a statement in the advice.
MAIN_DISAGREEMENT = 0.3
# From this value on it is "groot".
LARGE_DISAGREEMENT = 0.6
MAIN_LIMIT = 5  # disagreements the advice and report state
SNAPSHOT_LIMIT = 10  # disagreements kept in the adoption snapshot

DisagreementLevel = str  # "groot" | "matig" | "klein" | "geen"


def disagreement_level(disagreement: float) -> DisagreementLevel:
    """Disagreement as a level id ("groot", "matig", "klein", "geen"), for words, not colour."""
    if disagreement >= LARGE_DISAGREEMENT:
        return "groot"
    if disagreement >= MAIN_DISAGREEMENT:
        return "matig"
    if disagreement > 0:
        return "klein"
    return "geen"


def main_disagreements(
    items: Iterable[Mapping[str, Any]], limit: int = MAIN_LIMIT
) -> list[Mapping[str, Any]]:
    """The disagreements worth stating (spread at least MAIN_DISAGREEMENT), in the given order."""
    return [d for d in items if float(d.get("spread", 0.0)) >= MAIN_DISAGREEMENT][:limit]


def session_questions(
    questionnaire: Questionnaire, section_ids: Iterable[str], reserved: Iterable[str] = ()
) -> tuple[Question, ...]:
    """The questions of a session's sections participants answer (priority questions only)."""
    skip = set(reserved)
    return tuple(q for q in priority_questions(questionnaire, section_ids) if q.id not in skip)


def own_answers(questions: Iterable[Question], raw: Mapping[str, Any]) -> dict[str, Any]:
    """A participant's answers to the session's questions, normalised; invalid ones set aside."""
    result: dict[str, Any] = {}
    for question in questions:
        if raw.get(question.id) is None:
            continue
        try:
            result[question.id] = normalise_answer(question, raw[question.id])
        except AnswerError:
            continue
    return result


def shown_to_participant(
    questionnaire: Questionnaire,
    questions: tuple[Question, ...],
    base: Mapping[str, Any],
    own: Mapping[str, Any],
) -> list[Question]:
    """The session's questions a participant sees: show_if on their own answers, and on the
    dossier's answers to questions participants are not asked (such as the budget)."""
    asked = {q.id for q in questions}
    merged = {k: v for k, v in base.items() if k not in asked} | dict(own)
    shown = set(visible_questions(questionnaire, merged))
    return [q for q in questions if q in shown]


@dataclass(frozen=True, slots=True)
class Progress:
    """How far one participant got, and why a count is below the session's question count."""

    answered: int  # questions shown to them that they answered
    shown: int  # questions their answers (and the dossier's) show them
    hidden: int  # session questions their answers (or the dossier's) leave out
    open_sections: tuple[str, ...]  # ids of sections with a shown question left unanswered


def participant_progress(
    questionnaire: Questionnaire,
    questions: tuple[Question, ...],
    base: Mapping[str, Any],
    own: Mapping[str, Any],
) -> Progress:
    """One participant's progress: answered of shown, the hidden count, the open sections."""
    shown = shown_to_participant(questionnaire, questions, base, own)
    open_ids = {q.section for q in shown if q.id not in own}
    return Progress(
        sum(1 for q in shown if q.id in own),
        len(shown),
        len(questions) - len(shown),
        tuple(s.id for s in questionnaire.sections if s.id in open_ids),
    )


def respondents(questions: tuple[Question, ...], people: Iterable[Mapping[str, Any]]) -> list[int]:
    """Who counts as a respondent: the indices of the people with at least one valid answer."""
    return [i for i, raw in enumerate(people) if own_answers(questions, raw)]


def adoption_plan(
    questionnaire: Questionnaire,
    questions: tuple[Question, ...],
    agg: Aggregate,
    stored: Mapping[str, Any],
) -> tuple[list[Question], dict[str, Any]]:
    """The questions adoption proposes (answered by someone, shown with the group's answers)
    and the proposed answers: the group's, or the dossier's own on a tie."""
    merged = dict(stored) | dict(agg.answers)
    shown = set(visible_questions(questionnaire, merged))
    chosen = [q for q in questions if q in shown and agg.question(q.id) is not None]
    defaults: dict[str, Any] = {}
    for q in chosen:
        item = agg.question(q.id)
        value = item.value if item is not None and not item.tied else stored.get(q.id)
        if value is not None and value != ():
            defaults[q.id] = value
    return chosen, defaults


def proposals(questions: Iterable[Question], defaults: Mapping[str, Any]) -> dict[str, Any]:
    """The group's proposals as adoption stores them (JSON: lists, None for no proposal)."""
    return {
        q.id: list(v) if isinstance(v := defaults.get(q.id), tuple | list) else v for q in questions
    }


def keep_decisions(
    questions: Iterable[Question],
    defaults: Mapping[str, Any],
    stored: Mapping[str, Any],
    adopted: Mapping[str, Any],
) -> dict[str, Any]:
    """The proposals after an adoption: where the group's proposal is still the one adopted
    (`adopted`, from proposals()), the dossier's answer stands, so the page does not offer
    to undo what the facilitator decided; where the group changed since, its new proposal."""
    result = dict(defaults)
    for question in questions:
        if question.id not in adopted:
            continue
        if _same(question, adopted[question.id], defaults.get(question.id)):
            result.pop(question.id, None)
            if stored.get(question.id) is not None:
                result[question.id] = stored[question.id]
    return result


def _normal(question: Question, value: Any) -> Any:
    return own_answers((question,), {question.id: value}).get(question.id)


def _same(question: Question, a: Any, b: Any) -> bool:
    """Whether two answers say the same (options in any order; no answer is no options)."""
    x, y = _normal(question, a), _normal(question, b)
    if question.type == "multiple":
        return set(x or ()) == set(y or ())
    return bool(x == y)


def dropped_options(
    questions: Iterable[Question], stored: Mapping[str, Any], values: Mapping[str, Any]
) -> dict[str, tuple[str, ...]]:
    """Per multiple-choice question, the options the dossier has that `values` would drop
    (a goal that disappears when the group's proposal is adopted as it stands)."""
    result: dict[str, tuple[str, ...]] = {}
    for question in questions:
        if question.type != "multiple":
            continue
        before = _normal(question, stored.get(question.id)) or ()
        after = set(_normal(question, values.get(question.id)) or ())
        gone = tuple(o for o in before if o not in after)
        if gone:
            result[question.id] = gone
    return result


# -- the facilitator's summary ----------------------------------------------------------------

SUMMARY_DIFFERENCES = 3  # questions the summary names as the largest differences


@dataclass(frozen=True, slots=True)
class GroupSummary:
    """What the facilitator page opens with: where the group's priorities point, and
    where the group differs most."""

    top: tuple[PlatformResult, ...]  # first place with the group's answers (ties included)
    differences: tuple[QuestionAggregate, ...]  # the largest disagreements, largest first
    sentence: str


def _topic(item: QuestionAggregate, questionnaire: Questionnaire) -> str:
    """A question as a topic: the criteria it weighs, or its text."""
    labels = [
        f"{questionnaire.criteria[c].label}" for c in item.criteria if c in questionnaire.criteria
    ]
    return " / ".join(labels) if labels else f"‘{item.question.text}’"


def group_summary(
    questionnaire: Questionnaire,
    catalogue: Catalogue,
    base_answers: Mapping[str, Any],
    agg: Aggregate,
    limit: int = SUMMARY_DIFFERENCES,
) -> GroupSummary | None:
    """The platform(s) the group's priorities put on top (over the dossier's other answers)
    and the questions the group differs most on; None while nobody has answered."""
    if not agg.questions:
        return None
    advice = advise(questionnaire, catalogue, {**base_answers, **agg.answers}, strict=False)
    top = tuple(r for r in advice.ranking if r.rank == 1)
    differences = tuple(d for d in agg.agenda if d.disagreement >= MAIN_DISAGREEMENT)[:limit]
    if top:
        first = _("Met de prioriteiten van de groep komt {names} bovenaan").format(
            names=join_names(r.platform.name for r in top)
        )
    else:
        first = _("Met de prioriteiten van de groep valt elk platform af op een eis")
    if differences:
        rest = _("de grootste verschillen zitten in {topics}.").format(
            topics=join_names(_topic(d, questionnaire) for d in differences)
        )
    elif agg.agenda:
        rest = _("de groep verschilt nergens veel van mening.")
    else:
        rest = _("de groep is het (nog) overal over eens.")
    return GroupSummary(top, differences, f"{first}; {rest}")
