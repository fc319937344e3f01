"""Plain Dutch sentences about how sure an advice is, shared by the web page, report and CLI.

The engine returns numbers and ids; this module turns them into sentences (through
gettext), so the three skins say the same thing in the same words.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from kompas.engine.analysis import Analysis
from kompas.engine.combinations import Combination
from kompas.engine.combinations import Combinations
from kompas.engine.model import MUST
from kompas.engine.model import Catalogue
from kompas.engine.model import Question
from kompas.engine.model import Questionnaire
from kompas.engine.result import Advice
from kompas.engine.robustness import Interval
from kompas.engine.robustness import Robustness
from kompas.engine.robustness import Separator
from kompas.engine.scoring import describe_value
from kompas.engine.scoring import format_number
from kompas.i18n import _
from kompas.i18n import localise


def _join(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return _("{first} en {last}").format(first=", ".join(names[:-1]), last=names[-1])


def summary_lines(advice: Advice) -> list[str]:
    """The advice in a few plain Dutch sentences (what leads, ties, exclusions)."""
    if not advice.ranking:
        return []
    top = advice.ranking[0]
    tied = [r.platform.name for r in advice.ranking if r.rank == top.rank]
    values = {
        "n": len(advice.active),
        "s": f"{top.score or 0:.0f}",
        "l": f"{top.lower or 0:.0f}",
        "u": f"{top.upper or 0:.0f}",
    }
    if len(tied) == 1:
        lines = [
            _(
                "Op basis van {n} meegewogen criteria past {p} het best, met een score van {s} (bandbreedte {l}–{u})."
            ).format(p=tied[0], **values)
        ]
    else:
        lines = [
            _(
                "Op basis van {n} meegewogen criteria scoren {p} gelijk, met een score van {s}."
            ).format(p=_join(tied), **values)
            + " "
            + _("Beantwoord meer vragen om ze te onderscheiden.")
        ]
    rest = [r for r in advice.ranking if r.rank != top.rank][:2]
    if rest:
        lines.append(
            _("Daarna volgen {names}.").format(
                names=_join([f"{r.platform.name} ({r.score or 0:.0f})" for r in rest])
            )
        )
    excluded = len(advice.excluded)
    lines.append(
        _("Geen enkel platform valt af door een eis.")
        if not excluded
        else _("Eén platform valt af door een eis.")
        if excluded == 1
        else _("{n} platforms vallen af door een eis.").format(n=excluded)
    )
    return lines


def stability_label(label: str) -> str:
    """The name of a stability label in the current language."""
    return {
        "solid": _("stevig"),
        "sensitive": _("gevoelig"),
        "shaky": _("wankel"),
        "none": _("geen advies"),
    }.get(label, label)


def stability_definitions(questionnaire: Questionnaire) -> list[tuple[str, str]]:
    """What each stability label means, for the method section."""
    margin = format_number(questionnaire.tie_margin)
    solid = _(
        "Geen enkel gewicht kan binnen de schaal van 0 tot 3 het eerste platform van zijn "
        "plaats brengen, en het weglaten van één antwoord ook niet."
    )
    sensitive = _(
        "Een of twee gewichten binnen de schaal, of het weglaten van één antwoord, kunnen een "
        "ander platform bovenaan zetten."
    )
    shaky = _(
        "De eerste twee liggen minder dan {margin} punten uit elkaar, delen de eerste plaats, "
        "of drie of meer gewichten binnen de schaal kunnen de eerste plaats veranderen."
    ).format(margin=margin)
    return [(_("stevig"), solid), (_("gevoelig"), sensitive), (_("wankel"), shaky)]


def _names(catalogue: Catalogue, ids: Iterable[str]) -> str:
    names = [catalogue.platform(i).name for i in ids]
    if len(names) <= 1:
        return "".join(names)
    return _("{first} en {last}").format(first=", ".join(names[:-1]), last=names[-1])


def _percent(change: float) -> str:
    return format_number(round(100 * change))


def interval_sentences(interval: Interval, top: str, catalogue: Catalogue) -> list[str]:
    """How far one criterion's importance can move before another platform comes first."""
    name = catalogue.platform(top).name
    label = localise(interval.label)
    sentences = []
    w = interval.weight
    if w > 0 and math.isfinite(interval.upper) and interval.above:
        sentences.append(
            _(
                "{top} blijft bovenaan zolang '{criterion}' niet meer dan {pct}% zwaarder weegt; daarboven wordt {other} eerste."
            ).format(
                top=name,
                criterion=label,
                pct=_percent(interval.upper / w - 1),
                other=catalogue.platform(interval.above).name,
            )
        )
    elif w == 0 and math.isfinite(interval.upper) and interval.above:
        sentences.append(
            _(
                "'{criterion}' telt nu niet mee; weegt het {weight} of meer, dan wordt {other} eerste."
            ).format(
                criterion=label,
                weight=format_number(round(interval.upper, 2)),
                other=catalogue.platform(interval.above).name,
            )
        )
    if w > 0 and interval.lower > 0 and interval.below:
        sentences.append(
            _(
                "{top} blijft bovenaan zolang '{criterion}' niet meer dan {pct}% lichter weegt; daaronder wordt {other} eerste."
            ).format(
                top=name,
                criterion=label,
                pct=_percent(1 - interval.lower / w),
                other=catalogue.platform(interval.below).name,
            )
        )
    return sentences


def robustness_sentences(robustness: Robustness, catalogue: Catalogue, limit: int = 5) -> list[str]:
    """The stability of the advice in a few sentences: label, critical criteria, leave-one-out."""
    if not robustness.top:
        return [_("Er is nog geen advies: geen enkel platform heeft een score.")]
    lines = []
    if len(robustness.top) > 1:
        lines.append(
            _("{names} delen de eerste plaats.").format(names=_names(catalogue, robustness.top))
        )
    top = robustness.top[0]
    lines.append(
        _("Het advies is {label}.").format(label=stability_label(robustness.label))
        + " "
        + (
            _("Het verschil met de nummer twee, {other}, is {margin} punten.").format(
                other=catalogue.platform(robustness.runner_up).name,
                margin=format_number(round(robustness.margin, 1)),
            )
            if robustness.runner_up and robustness.margin is not None
            else ""
        )
    )
    critical = sorted(robustness.critical, key=lambda i: _distance(i))
    if critical:
        lines.append(
            _(
                "Kritische criteria (een ander gewicht binnen de schaal verandert de eerste plaats): {labels}."
            ).format(labels=", ".join(f"'{localise(i.label)}'" for i in critical))
        )
    else:
        lines.append(
            _(
                "Geen enkel criterium verandert de eerste plaats zolang het gewicht binnen de schaal van 0 tot 3 blijft."
            )
        )
    for interval in sorted(robustness.intervals, key=_distance)[:limit]:
        lines.extend(interval_sentences(interval, top, catalogue))
    flips = [x for x in robustness.leave_one_out if x.changes]
    if flips:
        for x in flips[:limit]:
            lines.append(
                _("Zonder uw antwoord op '{question}' zou {names} bovenaan staan.").format(
                    question=localise(x.question),
                    names=_names(catalogue, x.top) or _("geen enkel platform"),
                )
            )
    elif robustness.leave_one_out:
        lines.append(_("Het weglaten van één antwoord verandert de eerste plaats niet."))
    return [line.strip() for line in lines if line.strip()]


def _distance(interval: Interval) -> float:
    """How close a criterion's weight is to changing the top (relative, smaller is closer)."""
    w = interval.weight
    up = (interval.upper - w) / max(w, 1.0) if math.isfinite(interval.upper) else math.inf
    down = (w - interval.lower) / max(w, 1.0) if interval.lower > 0 else math.inf
    return min(up, down)


def tie_break_sentences(analysis: Analysis, catalogue: Catalogue) -> list[str]:
    """When the top two are close: which questions would separate them."""
    if analysis.tied is None:
        return []
    a, b = (catalogue.platform(p).name for p in analysis.tied)
    lines = [
        _("{a} en {b} liggen dicht bij elkaar. Deze vragen maken het verschil:").format(a=a, b=b)
    ]
    if not analysis.separators:
        lines = [
            _(
                "{a} en {b} liggen dicht bij elkaar, en geen openstaande vraag maakt het verschil. "
                "Vraag beide leveranciers naar wat nog onbekend is."
            ).format(a=a, b=b)
        ]
    return lines


def separator_sentence(separator: Separator, catalogue: Catalogue) -> str:
    """One tie-break question: which answer favours whom."""
    favours = catalogue.platform(separator.favours).name
    if separator.decisive:
        return _(
            "Met het antwoord '{answer}' valt het andere platform af; {favours} blijft over."
        ).format(answer=localise(separator.answer_label), favours=favours)
    return _("Met het antwoord '{answer}' komt {favours} {gap} punten voor te staan.").format(
        answer=localise(separator.answer_label),
        favours=favours,
        gap=format_number(round(separator.gap_after, 1)),
    )


def combination_sentences(
    combination: Combination,
    combinations: Combinations,
    questionnaire: Questionnaire,
    catalogue: Catalogue,
) -> list[str]:
    """What each member brings, overlaps, the combined cost and the comparison with one platform."""
    labels = {cid: localise(c.label) for cid, c in questionnaire.criteria.items()}
    lines = []
    for pid, criteria in combination.covers.items():
        name = catalogue.platform(pid).name
        if criteria:
            lines.append(
                _("{name} brengt: {labels}.").format(
                    name=name, labels=", ".join(labels[c] for c in criteria)
                )
            )
        else:
            lines.append(
                _(
                    "{name} vult vooral aan waar de andere onbekend is of niet van toepassing."
                ).format(name=name)
            )
    for cid, members in combination.overlaps:
        lines.append(
            _(
                "Overlap bij '{label}': {names} doen allebei hetzelfde. Dat kan inwoners over twee plekken verdelen (versnippering)."
            ).format(label=labels[cid], names=_names(catalogue, members))
        )
    for cid, fact in combination.sums:
        spec = catalogue.facts.get(fact.id)
        if spec is None:
            continue
        if fact.known:
            value = describe_value(spec, fact, questionnaire.texts)
            lines.append(
                _("Samen, voor '{label}': {value}.").format(label=labels[cid], value=value)
            )
        elif fact.status == "unknown":
            lines.append(
                _(
                    "Samen, voor '{label}': onbekend, want van minstens één platform is dit niet bekend."
                ).format(label=labels[cid])
            )
    single = catalogue.platform(combinations.best_single).name if combinations.best_single else ""
    if combinations.beats_single(combination):
        gains = ", ".join(labels[c] for c in combination.gains) or _("wat onbekend is")
        lines.append(
            _(
                "Deze combinatie scoort {score} tegen {single} {best} als enige platform: ze wint op {gains}."
            ).format(
                score=format_number(round(combination.score)),
                single=single,
                best=format_number(round(combinations.best_single_score or 0)),
                gains=gains,
            )
        )
    else:
        lines.append(
            _(
                "Deze combinatie scoort {score} en doet het niet beter dan {single} alleen ({best})."
            ).format(
                score=format_number(round(combination.score)),
                single=single,
                best=format_number(round(combinations.best_single_score or 0)),
            )
        )
    return lines


def importance_choices() -> list[tuple[str, str]]:
    """The importance scale as form choices, from 'maakt niet uit' to 'eis'."""
    return [
        ("0", _("Maakt niet uit")),
        ("1", _("Enigszins belangrijk")),
        ("2", _("Belangrijk")),
        ("3", _("Zeer belangrijk")),
        (MUST, _("Eis: moet")),
        ("", _("Geen antwoord")),
    ]


def importance_label(level: Any) -> str:
    """An importance in words, as the wizard shows it."""
    return dict(importance_choices()).get(str(level), str(level))


def describe_answer(question: Question, value: Any) -> str:
    """An answer in words, in the current language, as the advisor chose it."""
    if value is None:
        return ""
    kind = question.type
    if kind == "single":
        option = question.option(value)
        return localise(option.label) if option else str(value)
    if kind == "multiple":
        labels = [localise(o.label) for o in question.options if o.id in value]
        return "; ".join(labels) if labels else _("niets gekozen")
    if kind == "importance":
        return importance_label(value)
    if kind == "yesno":
        return _("Ja") if value else _("Nee")
    if kind == "number":
        unit = f" {localise(question.unit)}" if question.unit else ""
        return format_number(value) + unit
    return str(value)
