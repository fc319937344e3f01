"""Beside the ranking: candidates that serve none of the chosen goals (below the line), and the
offline approaches that only complement a platform (aanvulling), each with why."""

from __future__ import annotations

from kompas.engine.goals import chosen_goals
from kompas.engine.model import Questionnaire
from kompas.engine.result import Advice
from kompas.i18n import _
from kompas.i18n import ngettext
from kompas.present.model import Aside
from kompas.present.words import join_names


def goals_rule(advice: Advice, questionnaire: Questionnaire) -> str:
    """The goals-first rule in one sentence, when the advisor chose goals ("" otherwise)."""
    if not chosen_goals(questionnaire, advice.answers):
        return ""
    return _("Platforms die geen van uw doelen dienen, staan onder de streep.")


def below_note(advice: Advice, questionnaire: Questionnaire) -> str:
    """The sentence above the list below the line: the chosen goals, named once."""
    if not advice.aside:
        return ""
    goals = chosen_goals(questionnaire, advice.answers)
    labels = [f"'{a.label}'" for a in advice.active if a.id in goals and a.weight > 0]
    return ngettext(
        "Uw doel is {goals}. Deze platforms dienen dat doel niet, of het is niet bekend; "
        "ze krijgen geen plaats in de rangorde, maar kunnen een aanvulling zijn.",
        "Uw doelen zijn {goals}. Deze platforms dienen geen ervan, of het is niet bekend; "
        "ze krijgen geen plaats in de rangorde, maar kunnen een aanvulling zijn.",
        len(labels),
    ).format(goals=join_names(labels, limit=8))


def below_line(advice: Advice, questionnaire: Questionnaire) -> tuple[Aside, ...]:
    """Advice.aside in words: why each platform stands below the line."""
    goals = chosen_goals(questionnaire, advice.answers)
    out = []
    for r in advice.aside:
        unknown = any(res.criterion_id in goals and res.state == "unknown" for res in r.results)
        text = (
            _("{p}: niet bekend of het een van uw doelen dient.")
            if unknown
            else _("{p}: dient geen van uw doelen.")
        )
        out.append(Aside(r.platform.id, r.platform.name, text.format(p=r.platform.name)))
    return tuple(out)


def complements_note(advice: Advice) -> str:
    """The sentence above the complements: why they have no place in the ranking."""
    if not advice.complements:
        return ""
    return ngettext(
        "U zoekt een digitaal platform. Deze aanpak dient uw doelen zonder internet: hij krijgt "
        "geen plaats in de rangorde van platforms, maar kan naast het gekozen platform de "
        "bewoners bereiken die niet online zijn.",
        "U zoekt een digitaal platform. Deze aanpakken dienen uw doelen zonder internet: ze "
        "krijgen geen plaats in de rangorde van platforms, maar kunnen naast het gekozen platform "
        "de bewoners bereiken die niet online zijn.",
        len(advice.complements),
    )


def complement_lines(advice: Advice) -> tuple[Aside, ...]:
    """Advice.complements in words, in the one order: an aanvulling, never a rank."""
    return tuple(
        Aside(
            r.platform.id,
            r.platform.name,
            _(
                "{p}: aanvulling op een platform: werkt zonder internet, naast het gekozen "
                "platform."
            ).format(p=r.platform.name),
        )
        for r in advice.complements
    )
