"""The headline, the summary, the next step and what the advice rests on."""

from __future__ import annotations

from kompas.engine.completeness import answered_count
from kompas.engine.kernel import surely_beats
from kompas.engine.model import MUST
from kompas.engine.model import Questionnaire
from kompas.engine.result import Advice
from kompas.engine.result import PlatformResult
from kompas.i18n import _
from kompas.i18n import ngettext
from kompas.numbers import format_number
from kompas.numbers import format_percent
from kompas.present.model import VendorTopic
from kompas.present.model import WeightLine
from kompas.present.words import either_names
from kompas.present.words import importance_words
from kompas.present.words import join_names
from kompas.present.words import whole


def weight_lines(advice: Advice) -> tuple[WeightLine, ...]:
    """Every criterion that counts with its weight in words and, once each, the answers why."""
    lines = []
    for a in advice.active:
        words = importance_words(MUST if a.must else format_number(a.weight))
        because = tuple(
            dict.fromkeys(
                _("{question}: {answer}").format(
                    question=b.question, answer=importance_words(b.answer)
                )
                for b in a.because
            )
        )
        lines.append(WeightLine(a.id, a.label, a.weight, a.must, words, because))
    return tuple(lines)


def next_step_line(
    advice: Advice,
    short: tuple[PlatformResult, ...],
    provisional: bool,
    topics: tuple[VendorTopic, ...],
    without_supplier: str = "",
) -> str:
    """The one recommended next step, in one sentence (`without_supplier`: the category of
    approaches that have no supplier to ask for a demonstration)."""
    if not advice.active:
        return _("Volgende stap: beantwoord de vragen over doelen en eisen.")
    if not advice.ranking:
        return _("Volgende stap: bekijk welke eis elk platform uitsluit en versoepel er één.")
    if provisional:
        return _(
            "Volgende stap: beantwoord eerst de belangrijke vragen die nog open staan; daarna "
            "is het advies niet meer voorlopig."
        )
    if topics:
        # Ask only those of whom the fact is unknown (an approach without a supplier is never
        # among them: see vendor.deciding_facts).
        return _(
            "Volgende stap: vraag {names} eerst naar '{criterion}' en de andere vragen aan de "
            "leveranciers, en vraag daarna een demonstratie aan."
        ).format(
            names=join_names((a.platform_name for a in topics[0].asks), limit=3),
            criterion=topics[0].criterion,
        )
    suppliers = [
        r for r in short if not without_supplier or r.platform.category != without_supplier
    ]
    if not suppliers:
        return _(
            "Volgende stap: bespreek {names} met de organisaties die deze aanpak uitvoeren, "
            "en met inwoners en partners."
        ).format(names=join_names((r.platform.name for r in short), limit=3))
    return _(
        "Volgende stap: vraag {names} om een demonstratie en een offerte, en bespreek die met "
        "inwoners en partners."
    ).format(names=join_names((r.platform.name for r in suppliers), limit=3))


def rests_on_lines(
    advice: Advice, short: tuple[PlatformResult, ...], questionnaire: Questionnaire
) -> tuple[str, ...]:
    """What the advice rests on: the answers, the facts behind the leader and their evidence."""
    given, _total = answered_count(questionnaire, advice.answers)  # the one N van M count
    musts = sum(1 for c in advice.active if c.must)
    # A count before a colon, so one answer or one criterion needs no other grammar.
    if musts:
        basis = ngettext(
            "Antwoorden van de gemeente: {a}; meegewogen criteria: {n}, waarvan {m} eis.",
            "Antwoorden van de gemeente: {a}; meegewogen criteria: {n}, waarvan {m} eisen.",
            musts,
        )
    else:
        basis = _(
            "Antwoorden van de gemeente: {a}; meegewogen criteria: {n}, geen daarvan is een eis."
        )
    lines = [basis.format(a=given, n=len(advice.active), m=musts)]
    if short:
        top = short[0]
        facts = {f.id: f for c in top.results for f in c.facts if f.status == "known"}
        unknown = {f.id for c in top.results for f in c.facts if f.status == "unknown"}
        vendor = sum(1 for f in facts.values() if f.evidence == "leverancier")
        independent = sum(1 for f in facts.values() if f.evidence in ("onafhankelijk", "gemeente"))
        values = {
            "known": len(facts),
            "p": top.platform.name,
            "ind": independent,
            "vendor": vendor,
            "unknown": len(unknown - set(facts)),
        }
        if independent or vendor:  # evidence levels are classified (issue 13)
            line = _(
                "Feiten over {p}: {known} bekend, elk met bron en datum ({ind} van een "
                "onafhankelijke bron of een gemeente, {vendor} alleen volgens de leverancier); "
                "{unknown} nog onbekend."
            )
        else:
            line = _(
                "Feiten over {p}: {known} bekend, elk met bron en datum; {unknown} nog onbekend."
            )
        lines.append(line.format(**values))
        if top.coverage is not None:
            lines.append(
                _("Van het gewicht van de criteria rust {pct} op bekende feiten over {p}.").format(
                    pct=format_percent(top.coverage), p=top.platform.name
                )
            )
    return tuple(lines)


def _nothing_leads(advice: Advice, has_advice: bool) -> str | None:
    """Why no platform leads (no answers that count, none meets every must-have, no weight);
    None when one does."""
    if not advice.active:
        return _(
            "Er zijn nog geen antwoorden die meewegen; alle platforms scoren daardoor "
            "gelijk. Beantwoord eerst de vragen over doelen en eisen."
        )
    if not advice.ranking:
        return _(
            "Geen enkel platform voldoet aan alle eisen. Hieronder staat per platform welke "
            "eis het uitsluit; overweeg of elke eis echt een eis moet zijn."
        )
    if not has_advice:
        return _("Geen enkel criterium weegt mee; alle platforms scoren daardoor gelijk.")
    return None


def headline_lines(
    advice: Advice,
    short: tuple[PlatformResult, ...],
    has_advice: bool,
    likely: tuple[PlatformResult, ...] = (),
    *,
    asked: bool = True,
) -> list[str]:
    """The headline: who leads, whether another can still come out best, and who probably will.

    `short` is the dominance set (no other surely beats them); `likely` the probable shortlist
    in ranking order, which decides the second sentence whenever it is shorter than `short`;
    `asked`: whether there are questions for vendors to settle it.
    """
    if (nothing := _nothing_leads(advice, has_advice)) is not None:
        return [nothing]
    top = advice.ranking[0]
    leaders = [r for r in advice.ranking if r.rank == top.rank]
    values = {
        "basis": ngettext(
            "Op basis van {n} meegewogen criterium",
            "Op basis van {n} meegewogen criteria",
            len(advice.active),
        ).format(n=len(advice.active)),
        "s": whole(top.score),
        "l": whole(top.lower),
        "u": whole(top.upper),
    }
    if len(short) == 1:
        return [
            _(
                "{basis} past {p} het best (score {s}, bandbreedte "
                "{l}–{u}): geen ander platform kan het nog inhalen, ook niet als wat onbekend is "
                "meevalt."
            ).format(p=top.platform.name, **values)
        ]
    if len(leaders) > 1:
        # A shared first place names every leader: nobody leads alone.
        first = _("{basis} staan {p} gelijk bovenaan, met een score van {s}.").format(
            p=join_names((r.platform.name for r in leaders), limit=len(leaders)), **values
        )
    else:
        first = _("{basis} staat {p} nu bovenaan (score {s}, bandbreedte {l}–{u}).").format(
            p=top.platform.name, **values
        )
    return [first, _still_open(advice, short, likely, asked)]


def _still_open(
    advice: Advice,
    short: tuple[PlatformResult, ...],
    likely: tuple[PlatformResult, ...],
    asked: bool,
) -> str:
    """The second sentence of an open advice: who can still be best, and who probably will be."""
    if likely and len(likely) < len(short):
        # The advice decides: the probable shortlist, not "every platform can still win".
        probably = _(
            "Nog geen platform is zeker de beste ({k} kunnen het nog worden), maar waarschijnlijk "
            "wordt het {names}: de kortlijst."
        ).format(k=len(short), names=either_names(r.platform.name for r in likely))
        if not asked:  # only approaches without a supplier, or nothing left to ask
            return probably
        return probably + " " + _("De antwoorden op de vragen aan de leveranciers beslissen.")
    if len(short) == len([r for r in advice.ranking if r.score is not None]):
        # Nothing is settled yet: say so instead of listing every platform.
        return _(
            "Nog geen enkel platform is zeker beter dan een ander: alle {k} kunnen nog als "
            "beste uitkomen. Wat nog onbekend is, beslist; de vragen aan de leveranciers "
            "staan hieronder."
        ).format(k=len(short))
    return _(
        "Geen ander platform is zeker beter dan deze {k}: {names}. Wat nog onbekend is, "
        "beslist tussen hen; de vragen aan de leveranciers staan hieronder."
    ).format(k=len(short), names=join_names(r.platform.name for r in short))


def summary_lines(advice: Advice, short: tuple[PlatformResult, ...], has_advice: bool) -> list[str]:
    """The sentences after the headline: the distance to number two and the exclusions."""
    lines: list[str] = []
    if has_advice and len(advice.ranking) > 1:
        top = advice.ranking[0]
        after = [r for r in advice.ranking if r.rank != top.rank]
        if after and top.rank == advice.ranking[1].rank:
            pass  # the headline already says who share the first place
        elif after:
            second = [r for r in after if r.rank == after[0].rank]
            names = join_names(r.platform.name for r in second)
            if surely_beats(top, after[0]):
                lines.append(
                    _("{p} is zeker beter dan de nummer twee, {q}.").format(
                        p=top.platform.name, q=names
                    )
                )
            else:
                lines.append(
                    _(
                        "{p} staat voor {q}, maar hun bandbreedtes overlappen: de volgorde kan nog "
                        "omdraaien als onbekende feiten bekend worden."
                    ).format(p=top.platform.name, q=names)
                )
    excluded = len(advice.excluded)
    if advice.active:
        lines.append(
            _("Geen enkel platform valt af door een eis.")
            if not excluded
            else _("Eén platform valt af door een eis.")
            if excluded == 1
            else _("{n} platforms vallen af door een eis.").format(n=excluded)
        )
    return lines
