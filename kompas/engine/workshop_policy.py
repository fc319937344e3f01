"""Workshop policy the web pages only render: disagreement levels, which questions a session
asks and a participant sees, respondents, adoption proposals, and the facilitator's summary."""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kompas.engine.answers import normalise_answer
from kompas.engine.answers import visible_questions
from kompas.engine.model import Catalogue
from kompas.engine.model import Question
from kompas.engine.model import Questionnaire
from kompas.engine.result import PlatformResult
from kompas.engine.scoring import advise
from kompas.engine.workshop import Aggregate
from kompas.engine.workshop import QuestionAggregate
from kompas.engine.workshop import priority_questions
from kompas.errors import AnswerError
from kompas.i18n import _
from kompas.present.words import join_names

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
