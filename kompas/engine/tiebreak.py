"""The tie-break: which open questions would separate the two leading platforms."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kompas.engine.activation import activations
from kompas.engine.activation import active_criteria
from kompas.engine.answers import Answers
from kompas.engine.answers import check_answers
from kompas.engine.answers import visible_questions
from kompas.engine.kernel import EPSILON
from kompas.engine.kernel import is_must
from kompas.engine.matrix import Matrix
from kompas.engine.matrix import build_matrix
from kompas.engine.matrix import decision_matrix
from kompas.engine.model import MUST
from kompas.engine.model import Catalogue
from kompas.engine.model import Question
from kompas.engine.model import Questionnaire


@dataclass(frozen=True, slots=True)
class Separator:
    """A question whose answer would separate the two leading platforms."""

    question_id: str
    question: str
    section_id: str
    answer: Any
    answer_label: str
    favours: str
    gap_after: float
    decisive: bool  # the answer would exclude one of the two


def tie_break(
    questionnaire: Questionnaire,
    catalogue: Catalogue,
    answers: Mapping[str, Any] | Answers,
    limit: int = 3,
    matrix: Matrix | None = None,
) -> tuple[tuple[str, str] | None, tuple[Separator, ...]]:
    """When the top two are within the tie margin: the questions that separate them most."""
    if not isinstance(answers, Answers):
        answers = check_answers(questionnaire, answers, strict=False)
    matrix = matrix or decision_matrix(questionnaire, catalogue, answers)
    close = _close_pair(questionnaire, matrix)
    if close is None:
        return None, ()
    pair, gap = close
    # One two-platform catalogue for every trial, so its column cache carries over.
    sub = catalogue.with_platforms(tuple(catalogue.platform(p) for p in pair))
    best: dict[str, Separator] = {}
    wanted = {ac.id for ac in matrix.active if ac.weight > 0 or ac.must}
    for question in visible_questions(questionnaire, answers.values):
        if not _open(question, answers.values.get(question.id)):
            continue
        for value, label in _candidate_answers(question, questionnaire):
            if _new_requirement(question, value, questionnaire, wanted):
                continue
            outcome = _outcome(questionnaire, sub, answers, question.id, value, pair)
            if outcome is None:
                continue
            favours, gap_after, decisive = outcome
            if gap_after <= gap + EPSILON and not decisive:
                continue
            current = best.get(question.id)
            if current is None or (decisive, gap_after) > (current.decisive, current.gap_after):
                best[question.id] = Separator(
                    question.id,
                    question.text,
                    question.section,
                    value,
                    label,
                    favours,
                    gap_after,
                    decisive,
                )
    ordered = sorted(best.values(), key=lambda s: (not s.decisive, -s.gap_after, s.question_id))
    return pair, tuple(ordered[:limit])


def _close_pair(
    questionnaire: Questionnaire, matrix: Matrix
) -> tuple[tuple[str, str], float] | None:
    """The leading two and the gap between them, when it is within the tie margin."""
    ranked = matrix.ranked()
    if len(ranked) < 2:
        return None
    a, b = ranked[0], ranked[1]
    gap = (matrix.score(a) or 0.0) - (matrix.score(b) or 0.0)
    if gap >= questionnaire.tie_margin:
        return None
    return (matrix.platform_ids[a], matrix.platform_ids[b]), gap


def _outcome(
    questionnaire: Questionnaire,
    sub: Catalogue,
    answers: Answers,
    question_id: str,
    value: Any,
    pair: tuple[str, str],
) -> tuple[str, float, bool] | None:
    """Whom one more answer favours, the gap after it, and whether it excludes one of the two.

    None when the answer leaves either unscored, or excludes both: it separates nothing.
    """
    trial = dict(answers.values)
    trial[question_id] = value
    checked = check_answers(questionnaire, trial, strict=False)
    m = build_matrix(
        questionnaire, sub, active_criteria(questionnaire, checked, explain=False), checked.values
    )
    excluded = {m.platform_ids[i] for i in m.excluded}
    sa, sb = m.score(0), m.score(1)
    if excluded and len(excluded) == 1:
        return (pair[1] if pair[0] in excluded else pair[0]), 100.0, True
    if sa is None or sb is None or excluded:
        return None
    return (pair[0] if sa >= sb else pair[1]), abs(sa - sb), False


def _new_requirement(
    question: Question, value: Any, questionnaire: Questionnaire, wanted: set[str]
) -> bool:
    """Whether an answer would make a must-have of something the advisor did not ask for.

    A tie-break proposes answers to open questions; turning a goal the advisor never chose
    into a requirement would contradict the advisor's own goals, so it is not proposed.
    """
    return any(
        is_must(level) and cid not in wanted
        for cid, level, _label in activations(question, value, questionnaire.texts)
    )


def _open(question: Question, value: Any) -> bool:
    """Unanswered, or answered with 'maakt niet uit' (importance 0)."""
    if value is None:
        return question.type not in ("text", "number")
    return question.type == "importance" and value == 0


def _candidate_answers(question: Question, questionnaire: Questionnaire) -> list[tuple[Any, str]]:
    if question.type == "single":
        return [(o.id, o.label) for o in question.options if not o.informational]
    if question.type == "multiple":
        return [([o.id], o.label) for o in question.options if not o.informational]
    if question.type == "importance":
        return [(level, str(level)) for level in (1, 2, 3, MUST)]
    if question.type == "yesno":
        return [
            (True, questionnaire.texts.get("yes", "true")),
            (False, questionnaire.texts.get("no", "false")),
        ]
    return []
