"""The notices a reader must see before trusting the advice, and the decisive open questions."""

from __future__ import annotations

from kompas.engine.kernel import low_coverage
from kompas.engine.model import Questionnaire
from kompas.engine.result import Advice
from kompas.engine.result import PlatformResult
from kompas.i18n import _
from kompas.i18n import localise
from kompas.i18n import ngettext
from kompas.numbers import format_percent
from kompas.present.model import Notice
from kompas.present.words import join_names


def notices(
    advice: Advice, questionnaire: Questionnaire, short: tuple[PlatformResult, ...]
) -> list[Notice]:
    """What the reader must know before trusting the advice."""
    out: list[Notice] = _provisional(advice, questionnaire)
    out += _to_verify(advice, questionnaire)
    if (
        any(a.must for a in advice.active)
        and advice.ranking
        and all(r.to_verify for r in advice.ranking)
    ):
        out.append(
            Notice(
                "unverified",
                _(
                    "Geen enkel platform voldoet aantoonbaar aan alle eisen: van elk platform moet "
                    "nog minstens één eis bij de leverancier worden geverifieerd."
                ),
            )
        )
    low = [r.platform.name for r in short if low_coverage(r.coverage, questionnaire)]
    if low:
        out.append(
            Notice(
                "low_coverage",
                _(
                    "Weinig bekend: van {names} is minder dan {min} bekend van wat u belangrijk "
                    "vindt; hun plaats in de rangorde is daardoor onzeker."
                ).format(names=join_names(low), min=format_percent(questionnaire.min_coverage)),
            )
        )
    return out


def open_decisive(advice: Advice, questionnaire: Questionnaire) -> tuple[tuple[str, str, str], ...]:
    """The decisive questions still open (at most five), with their section and text."""
    completeness = advice.completeness
    if completeness is None:
        return ()
    out = []
    for qid in completeness.decisive_open[:5]:
        question = questionnaire.index.get(qid)
        if question is not None:
            out.append((qid, question.section, localise(question.text)))
    return tuple(out)


def _provisional(advice: Advice, questionnaire: Questionnaire) -> list[Notice]:
    """That the advice is provisional, and which sections are still open."""
    out: list[Notice] = []
    completeness = advice.completeness
    if completeness is not None and completeness.provisional:
        text = ngettext(
            "Voorlopig advies: {answered} van de {total} vragen is beantwoord ({share}).",
            "Voorlopig advies: {answered} van de {total} vragen zijn beantwoord ({share}).",
            completeness.answered,
        ).format(
            answered=completeness.answered,
            total=completeness.total,
            share=format_percent(completeness.share),
        )
        titles = {s.id: s.title for s in questionnaire.sections}
        if completeness.open_sections:
            text += " " + _("Nog zonder antwoord: {sections}.").format(
                sections=join_names(
                    (f"'{localise(titles.get(s, s))}'" for s in completeness.open_sections),
                    limit=8,
                )
            )
        out.append(Notice("provisional", text))
    return out


def _to_verify(advice: Advice, questionnaire: Questionnaire) -> list[Notice]:
    """Each unknown must-have once, with the platforms (and offline approaches) it concerns."""
    out: list[Notice] = []
    musts: dict[str, tuple[str, list[str]]] = {}
    approaches: dict[str, list[str]] = {}
    # A complement has no rank but is still proposed beside the platform: its unknown
    # must-haves are asked too.
    for r in advice.ranking + advice.complements:
        # An offline approach has no supplier: ask whoever runs it instead.
        offline = r.platform.category == questionnaire.offline_category
        for c in r.to_verify:
            musts.setdefault(c.criterion_id, (c.label, []))
            if offline:
                approaches.setdefault(c.criterion_id, []).append(r.platform.name)
            else:
                musts[c.criterion_id][1].append(r.platform.name)
    for cid, names in approaches.items():
        label, others = musts.pop(cid)
        text = ngettext(
            "Van {names} is niet bekend of het voldoet aan de eis '{criterion}'; vraag het na "
            "bij de organisatie die de aanpak uitvoert (bijvoorbeeld welzijn of een "
            "vrijwilligersorganisatie) voordat u kiest.",
            "Van {names} is niet bekend of ze voldoen aan de eis '{criterion}'; vraag het na "
            "bij de organisaties die de aanpakken uitvoeren (bijvoorbeeld welzijn of een "
            "vrijwilligersorganisatie) voordat u kiest.",
            len(names),
        ).format(names=join_names(names), criterion=label)
        if others:
            text += " " + _("Van {names} is dat evenmin bekend; vraag het hun aanbieder.").format(
                names=join_names(others)
            )
        out.append(Notice("verify", text))
    for label, names in musts.values():
        out.append(
            Notice(
                "verify",
                _(
                    "Van {names} is niet bekend of ze voldoen aan de eis '{criterion}'; verifieer "
                    "dat bij de leverancier voordat u kiest."
                ).format(names=join_names(names), criterion=label)
                if len(names) > 1
                else _(
                    "Van {names} is niet bekend of het voldoet aan de eis '{criterion}'; verifieer "
                    "dat bij de leverancier voordat u kiest."
                ).format(names=names[0], criterion=label),
            )
        )
    return out
