"""How complete the answers are: which questions count, what is still open and which open
questions could decide between the leaders (the one "N van M vragen" count)."""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
from typing import Any

from kompas.engine.answers import visible_questions
from kompas.engine.kernel import EPSILON
from kompas.engine.kernel import criterion_column
from kompas.engine.kernel import stronger
from kompas.engine.kernel import weight_of
from kompas.engine.model import MUST
from kompas.engine.model import Catalogue
from kompas.engine.model import Importance
from kompas.engine.model import Question
from kompas.engine.model import Questionnaire
from kompas.engine.result import Completeness


def reach(question: Question) -> dict[str, float]:
    """The most weight each criterion can get from some answer to this question."""
    levels: dict[str, Importance] = {}
    activations = list(question.activates) + list(question.if_yes) + list(question.if_no)
    for option in question.options:
        activations += option.activates
    for a in activations:
        levels[a.criterion] = stronger(levels.get(a.criterion), a.importance)
    for cid in question.criteria:
        levels[cid] = MUST
    return {cid: weight_of(level) for cid, level in levels.items()}


def counted_questions(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> list[Question]:
    """The questions completeness counts: shown for these answers, and not free text."""
    return [q for q in visible_questions(questionnaire, answers) if q.type != "text"]


def answered_count(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> tuple[int, int]:
    """The one "N van M vragen" count: answered and shown questions, free text left out
    (a free-text answer never changes the advice)."""
    shown = counted_questions(questionnaire, answers)
    return sum(q.id in answers for q in shown), len(shown)


def open_weight(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> float:
    """Weight the advice does not rest on yet: unanswered questions of important sections.

    Each such question counts with the most weight its answer could give (a criterion that
    is already active counts only what it could gain), so coverage cannot reach 100% while
    important questions are open.
    """
    important = {s.id for s in questionnaire.sections if s.important}
    total = 0.0
    for question in counted_questions(questionnaire, answers):
        if question.section in important and question.id not in answers:
            total += max(reach(question).values(), default=0.0)
    return total


def completeness(
    questionnaire: Questionnaire,
    catalogue: Catalogue,
    answers: Mapping[str, Any],
    leaders: Sequence[int],
) -> Completeness:
    """How much of the questionnaire the advice rests on, and which open questions matter most.

    Provisional ("voorlopig") while an important section has no answer, or fewer than half
    of the important sections' questions are answered. The decisive open questions are the
    unanswered ones whose answers could move the most weight between the leading platforms
    (`leaders`, indices into the catalogue).
    """
    shown = counted_questions(questionnaire, answers)
    answered, total = answered_count(questionnaire, answers)
    important = [s for s in questionnaire.sections if s.important]
    open_sections = tuple(
        s.id
        for s in important
        if not any(q.id in answers for q in s.questions) and any(q.section == s.id for q in shown)
    )
    ids = {s.id for s in important}
    in_important = [q for q in shown if q.section in ids]
    share = sum(q.id in answers for q in in_important) / len(in_important) if in_important else 1
    potential: list[tuple[float, int, str]] = []
    for k, question in enumerate(shown):
        if question.id in answers:
            continue
        value = 0.0
        for cid, weight in reach(question).items():
            value += weight * _spread(questionnaire, catalogue, cid, answers, leaders)
        if value > EPSILON:
            potential.append((-value, k, question.id))
    return Completeness(
        answered,
        total,
        open_sections,
        tuple(qid for _v, _k, qid in sorted(potential)[:DECISIVE]),
        bool(open_sections) or share < 0.5,
    )


DECISIVE = 5  # decisive open questions listed
LEADERS = 5  # the leading platforms between which an open question may decide


def _spread(
    questionnaire: Questionnaire,
    catalogue: Catalogue,
    criterion_id: str,
    answers: Mapping[str, Any],
    leaders: Sequence[int],
) -> float:
    """How far the leaders' middle satisfactions of a criterion lie apart (0-1).

    A criterion that compares with an answer not given yet may separate anyone: 1.
    """
    if len(leaders) < 2:
        return 0.0
    criterion = questionnaire.criteria[criterion_id]
    needed = criterion.condition.answers() if criterion.condition else frozenset()
    if any(q not in answers for q in needed):
        return 1.0
    column = criterion_column(questionnaire, catalogue, criterion_id, answers)
    mids = [
        (lo + hi) / 2
        for lo, hi in ((column.low[i], column.high[i]) for i in leaders)
        if lo is not None and hi is not None
    ]
    return max(mids) - min(mids) if mids else 0.0
