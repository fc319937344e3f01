"""The probable shortlist in words: shares, the assumption, the method and the vendor questions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kompas.engine.acceptability import CAP
from kompas.engine.acceptability import FLOOR
from kompas.engine.acceptability import PROBABLE
from kompas.engine.acceptability import Acceptability
from kompas.engine.model import Catalogue
from kompas.engine.model import Questionnaire
from kompas.engine.probable import Probable
from kompas.engine.worth import AnswerEffect
from kompas.engine.worth import WorthyQuestion
from kompas.i18n import _
from kompas.i18n import localise
from kompas.i18n import ngettext
from kompas.numbers import format_percent
from kompas.present.words import join_names

NAMED = 4  # platforms named with their share in the headline; the rest are counted together
QUESTIONS_SHOWN = 5  # vendor questions worded, most worth first
ANSWERS_SHOWN = 3  # possible answers worded per question, most likely first


@dataclass(frozen=True, slots=True)
class ProbableStory:
    """What the probable shortlist says, worded once for the page, the CLI and the PDF."""

    stance: str
    # "X is in 41% van de mogelijke uitkomsten de beste keuze, Y in 27% …", then the platforms
    # left off the shortlist and the outcomes in which no platform passes, when there are any.
    headline: str
    assumption: str  # one sentence: what an unknown fact is assumed to be
    method: str  # exact, or sampled with its error
    rule: str  # how the shares and the probable shortlist are made (the method section)
    shares: tuple[tuple[str, str, str, str], ...]  # id, name, first, top three (in words)
    questions: tuple[str, ...]  # "… zegt <leverancier> ja, dan …; zegt <leverancier> nee, dan …"


def percent(share: float) -> str:
    """A share (0-1) as a whole percentage; below one half percent: 'minder dan 1%'."""
    if 0 < share < 0.005:
        return _("minder dan {p}").format(p=format_percent(1))
    return format_percent(100 * share)


def assumption_sentence(stance: str) -> str:
    """The assumption behind the shares, in one sentence."""
    if stance == "voorzichtig":
        return _(
            "Aanname (voorzichtig): een onbekend feit valt drie keer zo vaak ongunstig als gunstig "
            "uit; bij een ja/nee-feit is de kans op het gunstige antwoord 25%."
        )
    return _(
        "Aanname (neutraal): van elk onbekend feit is elke mogelijke waarde even waarschijnlijk; "
        "bij een ja/nee-feit is ja even waarschijnlijk als nee."
    )


def rule_sentence() -> str:
    """How the shares and the probable shortlist are made (the method section)."""
    return _(
        "Een onbekend feit kan nog beide kanten op vallen. Kompas rekent de mogelijke uitkomsten "
        "van de onbekende feiten door en telt in welk deel daarvan elk platform de beste keuze is. "
        "De kortlijst neemt de platforms die het vaakst de beste keuze zijn, "
        "tot ze samen in ten minste {pct} van de uitkomsten met een beste keuze de beste keuze "
        "zijn; een platform dat in minder dan {floor} van de uitkomsten de beste keuze is, komt "
        "er alleen op als het het vaakst de beste keuze is. De lijst telt hoogstens {cap} "
        "platforms: meer kan een raad niet goed tegen elkaar afwegen, en de vragen aan de "
        "leveranciers maken haar korter. Platforms met hetzelfde aandeel komen er samen op of "
        "blijven er samen af, ook als de lijst daardoor langer wordt dan {cap}."
    ).format(
        pct=format_percent(100 * PROBABLE), floor=format_percent(100 * FLOOR), cap=len_words(CAP)
    )


def probable_story(
    result: Probable, questionnaire: Questionnaire, catalogue: Catalogue
) -> ProbableStory:
    """The probable shortlist, its assumption and the best vendor questions, in words."""
    acc = result.acceptability
    if acc.method == "exact":
        method = _("Berekend over alle mogelijke uitkomsten van de onbekende feiten (exact).")
    else:
        method = _("Geschat uit {n} trekkingen; marge ±{e}.").format(
            n=acc.samples, e=percent(acc.error)
        )
    return ProbableStory(
        acc.stance,
        headline_sentence(acc),
        assumption_sentence(acc.stance),
        method,
        rule_sentence(),
        tuple((s.platform_id, s.name, percent(s.first), percent(s.top_three)) for s in acc.shares),
        tuple(
            question_sentence(q, questionnaire, catalogue)
            for q in result.questions[:QUESTIONS_SHOWN]
        ),
    )


def headline_sentence(acc: Acceptability) -> str:
    """The shortlist with its shares, the platforms left off it, and the outcomes without one.

    When the shortlist stopped at the floor or at the cap before covering 90%, the platforms
    left off are counted with their total share, so it never reads surer than it is.
    """
    parts = [s for s in (acc.share(pid) for pid in acc.shortlist) if s is not None]
    if not parts:
        return _("Geen enkel platform voldoet in een van de mogelijke uitkomsten aan alle eisen.")
    cut = NAMED if len(parts) > NAMED + 1 else len(parts)
    rest = [
        _("{name} in {share}").format(name=s.name, share=percent(s.first)) for s in parts[1:cut]
    ]
    if cut < len(parts):  # a long shortlist: the rest together, so page 1 stays one page
        rest.append(
            _("nog {n} platforms samen in {share}").format(
                n=len(parts) - cut, share=percent(sum(s.first for s in parts[cut:]))
            )
        )
    lead = _("{name} is in {share} van de mogelijke uitkomsten de beste keuze").format(
        name=parts[0].name, share=percent(parts[0].first)
    )
    sentences = [(join_names([lead, *rest], limit=len(parts) + 1) if rest else lead) + "."]
    sentences += limit_sentences(acc)
    if acc.none > 0:
        sentences.append(
            _(
                "In {share} van de mogelijke uitkomsten voldoet geen enkel platform aan alle eisen."
            ).format(share=percent(acc.none))
        )
    return " ".join(sentences)


def limit_sentences(acc: Acceptability) -> list[str]:
    """Why the shortlist stops short of 90%: at the cap, or at the floor; and a tie past the cap."""
    left = acc.left_off
    sentences = []
    if len(acc.shortlist) > CAP:  # a group of equal shares straddled the cap and joined whole
        sentences.append(
            _(
                "Het zijn er meer dan {cap}, omdat platforms die even vaak de beste keuze zijn "
                "er samen op staan of samen af blijven."
            ).format(cap=len_words(CAP))
        )
    if acc.capped:
        sentences.append(
            ngettext(
                "Deze {n} zijn samen in {share} van de mogelijke uitkomsten de beste keuze; "
                "{k} ander platform in {rest}: zie de tabel.",
                "Deze {n} zijn samen in {share} van de mogelijke uitkomsten de beste keuze; "
                "{k} andere platforms samen in {rest}: zie de tabel.",
                len(left),
            ).format(
                n=len_words(len(acc.shortlist)),
                share=percent(acc.covered),
                k=len(left),
                rest=percent(sum(s.first for s in left)),
            )
        )
    elif left and acc.short:
        sentences.append(
            _(
                "De andere {n} platforms zijn elk in minder dan {floor} van de uitkomsten de "
                "beste keuze, samen in {share}."
            ).format(
                n=len(left),
                floor=format_percent(100 * FLOOR),
                share=percent(sum(s.first for s in left)),
            )
        )
    return sentences


def len_words(n: int) -> str:
    """A small count in words (a council reads 'deze vijf'), larger ones in digits."""
    words = {
        2: _("twee"),
        3: _("drie"),
        4: _("vier"),
        5: _("vijf"),
        6: _("zes"),
        7: _("zeven"),
        8: _("acht"),
        9: _("negen"),
        10: _("tien"),
    }
    return str(words.get(n, str(n)))


def question_sentence(
    question: WorthyQuestion, questionnaire: Questionnaire, catalogue: Catalogue
) -> str:
    """'Vraag X naar <feit>: zegt X ja, dan …; zegt X nee, dan ….'"""
    name = catalogue.platform(question.platform_id).name
    spec = catalogue.facts[question.fact]
    shown = sorted(question.answers, key=lambda a: -a.probability)[:ANSWERS_SHOWN]
    everyone = sorted({m for a in question.answers if isinstance(a.value, list) for m in a.value})
    clauses = [
        _("zegt {p} {answer}, dan {effect}").format(
            p=name,
            answer=answer_words(a, spec, everyone, questionnaire),
            effect=effect_words(a, name, catalogue),
        )
        for a in shown
    ]
    return _("Vraag {p} naar ‘{fact}’: {clauses}.").format(
        p=name, fact=localise(spec.label), clauses="; ".join(clauses)
    )


def answer_words(
    answer: AnswerEffect, spec: Any, members: Sequence[str], questionnaire: Questionnaire
) -> str:
    """A possible answer in words: ja/nee, an option, the members present, or what it meets."""
    value = answer.value
    if isinstance(value, bool):
        return str(localise(questionnaire.texts.get("yes" if value else "no", str(value))))
    if isinstance(value, list):
        if value:
            return join_names(localise(spec.value_label(v)).lower() for v in value)
        absent = join_names((localise(spec.value_label(v)).lower() for v in members), limit=9)
        return _("niets van: {values}").format(values=absent)
    if isinstance(value, str):
        return "‘" + str(localise(spec.value_label(value))) + "’"
    criteria = questionnaire.criteria
    met = [localise(criteria[c].label).lower() for c in answer.met if c in criteria]
    return (
        _("een bedrag waarmee het voldoet aan: {c}").format(c=join_names(met))
        if met
        else _("een bedrag waarmee het daar niet aan voldoet")
    )


def effect_words(answer: AnswerEffect, name: str, catalogue: Catalogue) -> str:
    """What an answer does: who is then most often the best choice, and whether X drops out."""
    leader = catalogue.platform(answer.leader).name
    best = _("is {leader} in {share} van de uitkomsten de beste keuze").format(
        leader=leader, share=percent(answer.leader_share)
    )
    if answer.excluded:
        return _("valt {p} af en {best}").format(p=name, best=best)
    if answer.leader != "" and leader != name:
        return _("{best} ({p}: {share})").format(best=best, p=name, share=percent(answer.share))
    return best


def probable_lines(story: ProbableStory) -> list[str]:
    """The probable shortlist as plain text lines (the CLI)."""
    lines = [_("Hoe vaak elk platform de beste keuze is"), "  " + story.headline]
    lines += ["  " + story.assumption, "  " + story.method]
    if story.questions:
        lines.append(_("Vragen voor leveranciers, de meest beslissende eerst:"))
        lines += ["  - " + q for q in story.questions]
    return lines
