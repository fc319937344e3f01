"""The tie-break: which open questions separate the two leaders without contradicting the advisor."""

from __future__ import annotations

from typing import Any

from kompas.engine.analysis import Analysis
from kompas.engine.model import MUST
from kompas.engine.model import Catalogue
from kompas.engine.model import Question
from kompas.engine.model import Questionnaire
from kompas.engine.result import Advice
from kompas.engine.robustness import Separator
from kompas.i18n import _
from kompas.i18n import localise
from kompas.present.model import SeparatorStory
from kompas.present.words import MAX_WEIGHT
from kompas.present.words import points


def _proposed(question: Question, answer: Any) -> list[tuple[str, Any]]:
    """The criteria an answer to a question would switch on, with their importance."""
    if question.type in ("single", "multiple"):
        chosen = answer if isinstance(answer, list | tuple) else [answer]
        return [
            (a.criterion, a.importance)
            for o in question.options
            if o.id in chosen
            for a in o.activates
        ]
    if question.type == "yesno":
        return [
            (a.criterion, a.importance) for a in (question.if_yes if answer else question.if_no)
        ]
    if question.type == "importance":
        return [(a.criterion, answer) for a in question.activates]
    return []


def _declined(advice: Advice, questionnaire: Questionnaire, skip: str) -> set[str]:
    """Criteria the advisor was offered in an answered question and did not choose."""
    chosen: set[str] = set()
    offered: set[str] = set()
    for qid, value in advice.answers.items():
        question = questionnaire.index.get(qid)
        if question is None or qid == skip or question.type not in ("single", "multiple"):
            continue
        picked = value if isinstance(value, list | tuple) else [value]
        for option in question.options:
            ids = {a.criterion for a in option.activates}
            (chosen if option.id in picked else offered).update(ids)
    weighed = {a.id for a in advice.active if a.must or a.weight > 0}
    return offered - chosen - weighed


def _contradicts(advice: Advice, separator: Separator, questionnaire: Questionnaire) -> bool:
    """Whether a proposed answer goes against what the advisor already said.

    It does when it concerns a question the advisor answered "maakt niet uit", when it
    would give a goal the advisor weighs a lower importance, or when it switches on a
    goal the advisor was offered in another answer and did not choose.
    """
    question = questionnaire.index.get(separator.question_id)
    if question is None:
        return True
    if question.type == "importance" and advice.answers.get(question.id) == 0:
        return True
    current = {a.id: a for a in advice.active}
    declined = _declined(advice, questionnaire, question.id)
    for criterion, level in _proposed(question, separator.answer):
        now = current.get(criterion)
        strength = MAX_WEIGHT + 1 if level == MUST else float(level)
        if now is not None and not now.must and now.weight > 0 and strength < now.weight:
            return True
        if criterion in declined and strength > 0:
            return True
    return False


def tie_break(
    advice: Advice, analysis: Analysis, questionnaire: Questionnaire, catalogue: Catalogue
) -> tuple[tuple[str, ...], tuple[SeparatorStory, ...]]:
    """The tie-break sentences and the questions that separate the two leaders."""
    if analysis.tied is None:
        return (), ()
    a, b = (catalogue.platform(p) for p in analysis.tied)
    ranks = {r.platform.id: r.rank for r in advice.ranking}
    tied = ranks.get(a.id) is not None and ranks.get(a.id) == ranks.get(b.id)
    separators = tuple(
        SeparatorStory(
            s.question_id,
            localise(s.question),
            s.section_id,
            _separator_sentence(s, catalogue),
        )
        for s in analysis.separators
        if not _contradicts(advice, s, questionnaire)
    )
    if tied:
        opening = _("{a} en {b} staan gelijk bovenaan.").format(a=a.name, b=b.name)
    else:
        opening = _("{a} en {b} liggen minder dan {margin} punten uit elkaar.").format(
            a=a.name, b=b.name, margin=points(questionnaire.tie_margin)
        )
    if separators:
        return (opening + " " + _("Deze vragen maken het verschil:"),), separators
    return (
        opening
        + " "
        + _(
            "Geen openstaande vraag maakt het verschil zonder uw doelen tegen te spreken. "
            "Vraag beide leveranciers naar wat nog onbekend is."
        ),
    ), ()


def _separator_sentence(separator: Separator, catalogue: Catalogue) -> str:
    """What one answer to a separating question would do, in one sentence."""
    favours = catalogue.platform(separator.favours).name
    if separator.decisive:
        return _(
            "Met het antwoord '{answer}' valt het andere platform af; {favours} blijft over."
        ).format(answer=localise(separator.answer_label), favours=favours)
    return _("Met het antwoord '{answer}' komt {favours} {gap} punten voor te staan.").format(
        answer=localise(separator.answer_label),
        favours=favours,
        gap=points(separator.gap_after),
    )
