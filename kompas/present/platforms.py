"""Each ranked platform and each exclusion in words, and the one verdict for comparison cells."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kompas.engine.kernel import low_coverage
from kompas.engine.kernel import surely_beats
from kompas.engine.model import Questionnaire
from kompas.engine.result import Advice
from kompas.engine.result import CriterionResult
from kompas.engine.result import PlatformResult
from kompas.i18n import _
from kompas.i18n import localise
from kompas.numbers import format_percent
from kompas.present.drawbacks import drawback_notes
from kompas.present.flags import flag_warnings
from kompas.present.model import Exclusion
from kompas.present.model import PlatformStory
from kompas.present.model import RankRow
from kompas.present.model import Reason


@dataclass(frozen=True, slots=True)
class Verdict:
    """How a platform does on one criterion, as a comparison cell says it."""

    state: str  # met | partial | unmet | unknown | not_applicable
    word: str


def verdict(result: CriterionResult | None) -> Verdict:
    """One rule for every comparison (page, report): a fact that does not apply but counts
    as not met is said as such; a criterion that is not active is not applicable."""
    if result is None:
        return Verdict("not_applicable", _("n.v.t."))
    if result.state == "not_applicable" and result.satisfaction == 0.0:
        return Verdict("unmet", _("n.v.t., telt als nee"))
    words = {
        "met": _("ja"),
        "partial": _("deels"),
        "unmet": _("nee"),
        "unknown": _("onbekend"),
    }
    if result.state in words:
        return Verdict(result.state, words[result.state])
    return Verdict("not_applicable", _("n.v.t."))


def reason_of(c: CriterionResult) -> Reason:
    """A criterion result in words, with its facts."""
    return Reason(c.criterion_id, c.text, c.must, c.facts)


def rank_row(
    r: PlatformResult,
    advice: Advice,
    short: tuple[PlatformResult, ...],
    short_ids: set[str],
    rank_counts: dict[int, int],
    questionnaire: Questionnaire,
) -> RankRow:
    """One ranked platform as the ranking table shows it."""
    tied = rank_counts.get(r.rank or 0, 0) > 1
    beaten_by = next((a for a in advice.ranking if surely_beats(a, r)), None)
    everyone = len(short_ids) == len(advice.ranking)
    if r.platform.id in short_ids:
        # "could still be best" only says something when some platforms cannot.
        standing = _("gedeelde plaats") if tied else "" if everyone else _("kan nog de beste zijn")
    elif beaten_by is not None:
        standing = _("zeker ingehaald door {p}").format(p=beaten_by.platform.name)
    else:
        standing = _("gedeelde plaats") if tied else ""
    low = low_coverage(r.coverage, questionnaire)
    return RankRow(
        r.platform.id,
        r.platform.name,
        r.rank or 0,
        r.score,
        r.lower,
        r.upper,
        r.fit,
        r.coverage,
        tied,
        r.platform.id in short_ids,
        bool(r.to_verify),
        low,
        standing,
    )


def platform_story(
    r: PlatformResult, questionnaire: Questionnaire, answers: Mapping[str, Any]
) -> PlatformStory:
    """Why one ranked platform scores as it does, its red flags first."""
    flags = tuple(flag_warnings(r, questionnaire, answers))
    warnings = list(flags)
    if low_coverage(r.coverage, questionnaire):
        warnings.append(
            _(
                "Weinig bekend: van {p} is minder dan {min} bekend van wat u belangrijk vindt."
            ).format(p=r.platform.name, min=format_percent(questionnaire.min_coverage))
        )
    return PlatformStory(
        r.platform.id,
        r.platform.name,
        r.platform.url,
        localise(r.platform.description),
        r.rank or 0,
        r.score,
        bool(r.to_verify),
        tuple(warnings),
        tuple(
            _("Nog te verifiëren bij de leverancier: {criterion}.").format(criterion=c.label)
            for c in r.to_verify
        ),
        tuple(reason_of(c) for c in r.pros if c.state == "met"),
        tuple(reason_of(c) for c in r.pros if c.state != "met"),
        tuple(reason_of(c) for c in r.cons),
        # Unknown must-haves are listed here once, marked as a requirement.
        tuple(reason_of(c) for c in r.unknowns),
        flags,
        drawback_notes(r.platform),
    )


def exclusion_of(r: PlatformResult) -> Exclusion:
    """A platform a must-have excludes, each reason once."""
    seen: dict[str, Reason] = {}
    for c in r.excluded_by:
        seen.setdefault(c.text, reason_of(c))  # two criteria worded alike are one reason
    return Exclusion(r.platform.id, r.platform.name, tuple(seen.values()))
