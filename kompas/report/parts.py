"""Building blocks of the report's view data: chart bars, table rows, platform sections."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from dataclasses import replace
from urllib.parse import urlsplit

from kompas.engine.criterion_results import describe_value
from kompas.engine.evidence import evidence_phrase
from kompas.engine.evidence import rests_on_vendor_only
from kompas.engine.kernel import is_stale
from kompas.engine.kernel import low_coverage
from kompas.engine.model import Catalogue
from kompas.engine.model import FactDef
from kompas.engine.model import Questionnaire
from kompas.engine.research import searched_in_vain
from kompas.engine.result import CriterionResult
from kompas.engine.result import FactRef
from kompas.engine.result import PlatformResult
from kompas.i18n import _
from kompas.present.cost import cost_fact  # noqa: F401 (one rule, used here and in the story)
from kompas.present.drawbacks import DrawbackNote
from kompas.present.drawbacks import drawback_notes
from kompas.present.model import PlatformStory
from kompas.report.formatting import percent
from kompas.report.formatting import short_date
from kompas.report.formatting import span
from kompas.report.formatting import whole


def anchor(platform_id: str) -> str:
    """The id of a platform's section."""
    return f"platform-{platform_id}"


@dataclass(frozen=True, slots=True)
class Bar:
    """One row of the summary chart: score with its range, on a 0-100 scale."""

    name: str
    rank: int | None
    score: float
    lower: float
    upper: float
    score_text: str
    range_text: str
    alt: str

    @property
    def open_width(self) -> float:
        """Width of the part that is possible but not sure."""
        return round(max(self.upper - self.lower, 0.0), 1)

    @property
    def mark_x(self) -> float:
        """Where the score mark starts (1.2 units wide, centred on the score)."""
        return round(min(max(self.score - 0.6, 0.0), 98.8), 1)


def bar(r: PlatformResult) -> Bar:
    """A chart bar for a ranked platform."""
    lower, upper, score = r.lower or 0.0, r.upper or 0.0, r.score or 0.0
    return Bar(
        r.platform.name,
        r.rank,
        round(score, 1),
        round(lower, 1),
        round(upper, 1),
        whole(r.score),
        span(r.lower, r.upper),
        _("{platform}: score {score}, bandbreedte {lower} tot {upper}").format(
            platform=r.platform.name,
            score=whole(r.score),
            lower=whole(r.lower),
            upper=whole(r.upper),
        ),
    )


def fact_text(spec: FactDef, r: PlatformResult, questionnaire: Questionnaire) -> str:
    """A platform's value for one fact, in words; unknown and not applicable said as such."""
    fact = r.platform.fact(spec.id)
    if fact.status == "unknown":
        return _("onbekend")
    if fact.status == "not_applicable":
        return _("n.v.t.")
    return describe_value(spec, fact, questionnaire.texts)


@dataclass(frozen=True, slots=True)
class RankRow:
    """One row of the ranking table."""

    rank: int | None
    name: str
    anchor: str
    score: str
    range: str
    fit: str
    coverage: str
    cost: str
    cost_known: bool
    flags: tuple[str, ...]


def rank_row(
    r: PlatformResult,
    cost: FactDef | None,
    catalogue: Catalogue,
    questionnaire: Questionnaire,
    detailed: set[str],
    standing: str = "",
) -> RankRow:
    """A ranked platform with its numbers and warnings."""
    flags = [standing] if standing else []
    if r.to_verify:
        flags.append(_("te verifiëren"))
    if low_coverage(r.coverage, questionnaire):
        flags.append(_("weinig bekend"))
    return RankRow(
        r.rank,
        r.platform.name,
        anchor(r.platform.id) if r.platform.id in detailed else "",
        whole(r.score),
        span(r.lower, r.upper),
        percent(r.fit),
        percent(r.coverage),
        fact_text(cost, r, questionnaire) if cost else "",
        cost is not None and r.platform.fact(cost.id).known,
        tuple(flags),
    )


@dataclass(frozen=True, slots=True)
class ExcludedRow:
    """A platform a must-have excludes, and why."""

    name: str
    reasons: tuple[str, ...]
    facts: tuple[FactRef, ...]


def excluded_row(r: PlatformResult) -> ExcludedRow:
    """An excluded platform with the must-haves it fails and the facts behind them."""
    facts = tuple(f for c in r.excluded_by for f in c.facts if f.status == "known")
    reasons = tuple(dict.fromkeys(c.text for c in r.excluded_by))  # each reason once
    return ExcludedRow(r.platform.name, reasons, facts)


@dataclass(frozen=True, slots=True)
class Reason:
    """A pro, con or unknown of a platform."""

    text: str
    detail: str = ""
    ask: str = ""
    searched: str = ""  # an unknown: when public sources were searched in vain for its facts


@dataclass(frozen=True, slots=True)
class FactRow:
    """A fact with its source and the date it was checked."""

    label: str
    value: str
    source: str
    is_url: bool
    checked: str
    note: str
    stale: bool
    platform: str
    evidence: str = ""  # "volgens de leverancier, 2024" (issue 13); "" while unclassified

    @property
    def short_source(self) -> str:
        """The source's web site (for a URL) or the document's name, for narrow columns."""
        if self.is_url:
            host = urlsplit(self.source).netloc
            return host.removeprefix("www.") or self.source
        return self.source


@dataclass(frozen=True, slots=True)
class PlatformSection:
    """A leading platform: what it is, why it fits, where it falls short, what is unknown."""

    anchor: str
    rank: int | None
    name: str
    url: str
    category: str
    description: str
    figures: tuple[tuple[str, str], ...]
    notes: tuple[str, ...]
    pros: tuple[Reason, ...]
    partial: tuple[Reason, ...]
    cons: tuple[Reason, ...]
    unknowns: tuple[Reason, ...]
    facts: tuple[FactRow, ...]
    # Documented setbacks with their sources, said whether or not a criterion asks.
    drawbacks: tuple[DrawbackNote, ...] = ()


def _reason(c: CriterionResult) -> Reason:
    if c.must and rests_on_vendor_only(c):  # a must-have met only on the vendor's word
        return Reason(c.text, _("eis, alleen volgens de leverancier"), c.ask)
    return Reason(c.text, _("eis") if c.must else "", c.ask)


def _searched(c: CriterionResult, in_vain: dict[str, str]) -> str:
    """The month(s) of the search that found none of c's unknown facts ("" unless all were)."""
    unknown = [f.id for f in c.facts if f.status == "unknown"]
    if not unknown or any(fid not in in_vain for fid in unknown):
        return ""
    return ", ".join(dict.fromkeys(in_vain[fid] for fid in unknown))


def fact_row(f: FactRef, platform: str, today: dt.date) -> FactRow:
    """A fact for a table, with its value in words."""
    if f.status == "unknown":
        value = _("onbekend")
    elif f.status == "not_applicable":
        value = _("niet van toepassing")
    else:
        value = f.value
    return FactRow(
        f.label,
        value,
        f.source,
        f.source.startswith(("http://", "https://")),
        short_date(f.checked),
        f.note,
        is_stale(f.status == "known", f.source_date, f.checked, today),
        platform,
        evidence_phrase(f) if f.status == "known" else "",
    )


def platform_section(
    r: PlatformResult,
    story: PlatformStory,
    catalogue: Catalogue,
    questionnaire: Questionnaire,
    today: dt.date,
) -> PlatformSection:
    """A leading platform's own section, its reasons as the presentation model words them."""
    results = {c.criterion_id: c for c in r.results}
    seen: dict[str, FactRef] = {}
    for c in r.results:
        for f in c.facts:
            if f.status != "unknown":  # unknown facts are listed under "Onbekend"
                seen.setdefault(f.id, f)
    facts = tuple(fact_row(f, r.platform.name, today) for f in seen.values())
    in_vain = searched_in_vain(catalogue, r.platform.id)  # the desk-research log's "not found"
    figures = (
        (_("Plaats"), str(r.rank)),
        (_("Score"), whole(r.score)),
        (_("Bandbreedte"), span(r.lower, r.upper)),
        (_("Passend"), percent(r.fit)),
        (_("Bekend"), percent(r.coverage)),
    )
    return PlatformSection(
        anchor(r.platform.id),
        r.rank,
        r.platform.name,
        r.platform.url,
        catalogue.categories.get(r.platform.category, r.platform.category),
        r.platform.description,
        figures,
        story.warnings,
        tuple(_reason(results[c.criterion_id]) for c in story.pros),
        tuple(_reason(results[c.criterion_id]) for c in story.partial),
        tuple(_reason(results[c.criterion_id]) for c in story.cons),
        tuple(
            replace(
                _reason(results[c.criterion_id]),
                searched=_searched(results[c.criterion_id], in_vain),
            )
            for c in story.unknowns
        ),
        facts,
        drawback_notes(r.platform),
    )


@dataclass(frozen=True, slots=True)
class SourceRow:
    """A source of facts shown in the report, with the platforms and dates it supports."""

    source: str
    is_url: bool
    platforms: str
    checked: str


def sources(
    sections: tuple[PlatformSection, ...], excluded: tuple[ExcludedRow, ...]
) -> tuple[SourceRow, ...]:
    """Every distinct source of the facts shown, numbered in order of first appearance."""
    found: dict[str, tuple[list[str], list[str]]] = {}

    def add(source: str, platform: str, checked: str) -> None:
        if not source:
            return
        platforms, dates = found.setdefault(source, ([], []))
        if platform not in platforms:
            platforms.append(platform)
        if checked and checked not in dates:
            dates.append(checked)

    for s in sections:
        for f in s.facts:
            add(f.source, s.name, f.checked)
        for d in s.drawbacks:
            add(d.source, s.name, d.checked)
    for e in excluded:
        for ref in e.facts:
            add(ref.source, e.name, short_date(ref.checked))
    return tuple(
        SourceRow(
            source,
            source.startswith(("http://", "https://")),
            ", ".join(platforms),
            "; ".join(dates),
        )
        for source, (platforms, dates) in found.items()
    )
