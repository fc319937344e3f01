"""The tie-break: which open questions separate the two leaders without contradicting the advisor."""

from __future__ import annotations

from kompas.engine.activation import activations
from kompas.engine.analysis import Analysis
from kompas.engine.model import MUST
from kompas.engine.model import Catalogue
from kompas.engine.model import Questionnaire
from kompas.engine.result import Advice
from kompas.engine.tiebreak import Separator
from kompas.i18n import _
from kompas.i18n import localise
from kompas.present.model import SeparatorStory
from kompas.present.words import MAX_WEIGHT
from kompas.present.words import join_names
from kompas.present.words import points


def _declined(advice: Advice, questionnaire: Questionnaire, skip: str) -> set[str]:
    """Criteria the advisor was offered in an answered question and did not choose, or
    answered 'maakt niet uit' for."""
    chosen: set[str] = set()
    offered: set[str] = set()
    for qid, value in advice.answers.items():
        question = questionnaire.index.get(qid)
        if question is None or qid == skip:
            continue
        if question.type == "importance" and value == 0:  # 'maakt niet uit': declined
            offered.update(question.criteria)
        if question.type not in ("single", "multiple"):
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
    for criterion, level, _label in activations(question, separator.answer, questionnaire.texts):
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
    # A shared first place names every platform in it, not only the two the questions separate.
    leaders = [r.platform.name for r in advice.ranking if tied and r.rank == ranks[a.id]]
    if tied:
        opening = _("{names} staan gelijk bovenaan.").format(
            names=join_names(leaders, limit=len(leaders))
        )
    else:
        opening = _("{a} en {b} liggen minder dan {margin} punten uit elkaar.").format(
            a=a.name, b=b.name, margin=points(questionnaire.tie_margin)
        )
    more = len(leaders) > 2
    if separators:
        lead = (
            _("Deze vragen maken het verschil tussen {a} en {b}:").format(a=a.name, b=b.name)
            if more
            else _("Deze vragen maken het verschil:")
        )
        return (opening + " " + lead,), separators
    rest = (
        _(
            "Geen openstaande vraag maakt het verschil zonder uw doelen tegen te spreken. "
            "Vraag de leveranciers naar wat nog onbekend is."
        )
        if more
        else _(
            "Geen openstaande vraag maakt het verschil zonder uw doelen tegen te spreken. "
            "Vraag beide leveranciers naar wat nog onbekend is."
        )
    )
    return (opening + " " + rest,), ()


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
