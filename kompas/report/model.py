"""The report's view data, computed in Python so that the templates only format it.

build_report() reads an Advice (plus the analysis of how sure it is) and returns plain
frozen dataclasses: sentences, table rows and chart bars, all in Dutch through gettext.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kompas import charts
from kompas.engine.model import FactDef
from kompas.engine.model import Questionnaire
from kompas.engine.result import Advice
from kompas.engine.result import PlatformResult
from kompas.engine.vendor import local_fact_lines
from kompas.i18n import _
from kompas.i18n import localise
from kompas.numbers import format_number
from kompas.pipeline import Explanation
from kompas.present.drawbacks import DrawbackNote
from kompas.present.model import PlatformStory
from kompas.present.model import Story
from kompas.present.model import VendorTopic
from kompas.present.probable import ProbableStory
from kompas.present.words import ignored_reason
from kompas.present.words import stability_definitions
from kompas.report import compare
from kompas.report import parts
from kompas.report.cache import report_version
from kompas.report.cost import Costs
from kompas.report.cost import costs
from kompas.report.formatting import long_date
from kompas.report.premises import SectionAnswers
from kompas.report.premises import all_answers
from kompas.report.premises import premises
from kompas.report.steps import StepGroup
from kompas.report.steps import next_steps

TOP_DETAILS = 3  # platforms with a section of their own
TOP_CHART = 5  # platforms in the comparison matrix
SHORT_CHART = charts.SHORT_CHART
PAGE_ONE = 5  # platforms in page 1's shortlist table


@dataclass(frozen=True, slots=True)
class ReportMeta:
    """What the report says about its dossier: none of it affects the advice."""

    municipality: str = ""
    advisor: str = ""
    reference: str = ""  # a short, non-secret dossier reference (never the dossier link)
    date: dt.date | None = None
    language: str = "nl"
    full: bool = True  # the council part and the annexes, or the council part only


@dataclass(frozen=True, slots=True)
class Heading:
    """A numbered section of the report, for the headings, the TOC and the bookmarks."""

    id: str
    title: str


def council_headings() -> tuple[Heading, ...]:
    """The council part: at most eight pages, page 1 being the advice itself."""
    return (
        Heading("advies", _("Het advies")),
        Heading("kortlijst", _("De kortlijst")),
        Heading("vergelijking", _("Vergelijking op de criteria")),
        Heading("robuustheid", _("Wat het advies kan veranderen")),
        Heading("leveranciers", _("Vragen aan de leveranciers")),
        Heading("vervolgstappen", _("Vervolgstappen")),
        Heading("colofon", _("Colofon")),
    )


def annex_headings() -> tuple[Heading, ...]:
    """The annexes of the full report, each starting on its own page."""
    return (
        Heading("bijlage-rangorde", _("Bijlage A. Rangorde van alle platforms")),
        Heading("bijlage-platforms", _("Bijlage B. De best passende platforms")),
        Heading("bijlage-antwoorden", _("Bijlage C. Uitgangspunten en alle antwoorden")),
        Heading("bijlage-methode", _("Bijlage D. Methode en neutraliteit")),
        Heading("bijlage-bronnen", _("Bijlage E. Bronnen")),
    )


def section_headings(full: bool = True) -> tuple[Heading, ...]:
    """Every top-level section of the report, in order."""
    return council_headings() + (annex_headings() if full else ())


@dataclass(frozen=True, slots=True)
class Summary:
    """Page 1 and the shortlist chapter."""

    lines: tuple[str, ...]  # the advice in at most five sentences
    provisional: bool
    warnings: tuple[str, ...]
    stability: str
    robustness: tuple[str, ...]
    rests_on: tuple[str, ...]
    reasons: tuple[str, ...]
    caveats: tuple[str, ...]
    bars: tuple[parts.Bar, ...]
    more: int  # platforms on the shortlist not in the chart
    first: tuple[parts.Bar, ...] = ()  # the bars in page 1's table
    note: str = ""  # what the shortlist is (the story's one sentence for every view)
    aside: str = ""  # why the ranking's first is not on the shortlist, when it is not
    leader: str = ""  # the name of the platform whose reasons and caveats follow
    goals_rule: str = ""  # the goals-first rule in one sentence, when goals were chosen
    costs: Costs | None = None  # the budget, the price of each bar, a proposed combination
    flags: tuple[str, ...] = ()  # the red flags of the platforms in the chart
    flagged: tuple[str, ...] = ()  # names in page 1's table that carry a red flag
    drawbacks: tuple[DrawbackNote, ...] = ()  # the leader's documented setbacks, with sources


@dataclass(frozen=True, slots=True)
class Report:
    """Everything the report template shows."""

    title: str
    meta: ReportMeta
    date: str
    fingerprint: str
    versions: tuple[tuple[str, str], ...]
    headings: dict[str, Heading]
    full: bool
    has_advice: bool
    summary: Summary
    likely: ProbableStory  # the probable shortlist, worded as on the advice page
    pictures: charts.Pictures
    vendor_topics: tuple[VendorTopic, ...]
    stability_lines: tuple[str, ...]
    premises: tuple[SectionAnswers, ...]
    cost_label: str
    ranking: tuple[parts.RankRow, ...]
    excluded: tuple[parts.ExcludedRow, ...]
    asides: tuple[str, ...]  # examples to learn from and stopped projects, outside the ranking
    below: tuple[str, ...]  # the goals named once, then each platform below the line and why
    # Why the offline approaches that only complement a platform have no rank, then each one.
    complements: tuple[str, ...]
    platforms: tuple[parts.PlatformSection, ...]
    matrix: compare.Matrix
    matrix_note: str  # how many rows the council part leaves out, and where they are
    robustness: compare.Robust
    stability_definitions: tuple[tuple[str, str], ...]
    min_coverage: str
    tie_margin: str
    platform_count: int
    steps: tuple[StepGroup, ...]
    answers: tuple[SectionAnswers, ...]
    ignored: tuple[str, ...]
    sources: tuple[parts.SourceRow, ...]
    source_index: dict[str, int]
    # What vendors said for this dossier only (a verification round's answers), as the advice
    # page lists them: "Platform: fact: value (volgens de leverancier, 12 december 2026; …)".
    vendor_facts: tuple[str, ...] = ()


def report_date(advice: Advice, meta: ReportMeta) -> dt.date:
    """The report's date: given, or the day the advice was made (Dutch time when known)."""
    if meta.date is not None:
        return meta.date
    try:
        from zoneinfo import ZoneInfo

        return advice.created.astimezone(ZoneInfo("Europe/Amsterdam")).date()
    except Exception:  # no time zone data on this machine: the UTC day is close enough
        return advice.created.date()


def build_report(explanation: Explanation, meta: ReportMeta, fingerprint: str) -> Report:
    """The report's view data for one explained advice (it formats; the pipeline decides)."""
    advice, story = explanation.advice, explanation.story
    questionnaire, catalogue = explanation.questionnaire, explanation.catalogue
    day = report_date(advice, meta)
    has_advice = story.has_advice
    top = advice.ranking[:TOP_DETAILS] if has_advice else ()
    cost = parts.cost_fact(questionnaire, catalogue)
    sections = tuple(
        parts.platform_section(r, story.platforms[k], catalogue, questionnaire, day)
        for k, r in enumerate(top)
    )
    excluded = tuple(parts.excluded_row(r) for r in advice.excluded)
    sources = parts.sources(sections, excluded)
    matrix = compare.matrix(advice, _compared(advice, story, has_advice))
    return Report(
        title=_("Advies digitaal buurtplatform"),
        meta=meta,
        date=long_date(day),
        fingerprint=fingerprint[:12].upper(),
        versions=_versions(advice, fingerprint),
        headings={h.id: h for h in section_headings()},
        full=meta.full,
        has_advice=has_advice,
        summary=_summary(explanation, has_advice),
        likely=explanation.likely,
        pictures=charts.advice_pictures(advice, story),
        vendor_topics=story.vendor_topics,
        stability_lines=story.robustness.lines,
        premises=premises(questionnaire, advice),
        cost_label=localise(cost.label) if cost else "",
        ranking=_ranking(explanation, cost, {p.platform.id for p in top}),
        excluded=excluded,
        asides=tuple(a.text for a in story.examples + story.withdrawn),
        below=(story.below_note, *(a.text for a in story.below)) if story.below else (),
        complements=(
            (story.complements_note, *(a.text for a in story.complements))
            if story.complements
            else ()
        ),
        platforms=sections,
        vendor_facts=tuple(local_fact_lines(advice.local_facts or {}, questionnaire, catalogue)),
        matrix=matrix,
        matrix_note=compare.left_out(matrix, meta.full),
        robustness=compare.robust(story),
        stability_definitions=tuple(stability_definitions(questionnaire)),
        min_coverage=format_number(questionnaire.min_coverage),
        tie_margin=format_number(questionnaire.tie_margin),
        platform_count=len(catalogue.platforms),
        steps=next_steps(advice, top, day, story, vendors=False),
        answers=all_answers(questionnaire, advice),
        ignored=_ignored(advice, questionnaire),
        sources=sources,
        source_index={row.source: n for n, row in enumerate(sources, start=1)},
    )


def _compared(advice: Advice, story: Story, has_advice: bool) -> tuple[PlatformResult, ...]:
    """The platforms in the comparison matrix: page 1's shortlist (a lone one with the next)."""
    return charts.shortlisted(advice, story)[:TOP_CHART] if has_advice else ()


def _ranking(
    explanation: Explanation, cost: FactDef | None, detailed: set[str]
) -> tuple[parts.RankRow, ...]:
    """The ranking table's rows, each with the standing the story gave it."""
    advice, story = explanation.advice, explanation.story
    questionnaire, catalogue = explanation.questionnaire, explanation.catalogue
    return tuple(
        parts.rank_row(r, cost, catalogue, questionnaire, detailed, row.standing)
        for r, row in zip(advice.ranking, story.ranking, strict=True)
    )


def _ignored(advice: Advice, questionnaire: Questionnaire) -> tuple[str, ...]:
    """Why each visible answer that does not count is set aside (hidden questions stay silent)."""
    return tuple(
        _("{question}: dit antwoord telt niet mee ({reason}).").format(
            question=questionnaire.index[i.question_id].text
            if i.question_id in questionnaire.index
            else i.question_id,
            reason=ignored_reason(i.reason),
        )
        for i in advice.ignored
        if i.reason != "hidden"
    )


def _versions(advice: Advice, fingerprint: str) -> tuple[tuple[str, str], ...]:
    def short(content_hash: str) -> str:
        return content_hash.split(":", 1)[-1][:12]

    return (
        (
            _("Vragenlijst"),
            _("versie {v}, inhoud {h}").format(
                v=advice.questionnaire_version, h=short(advice.questionnaire_hash)
            ),
        ),
        (
            _("Catalogus"),
            _("versie {v}, inhoud {h}").format(
                v=advice.catalogue_version, h=short(advice.catalogue_hash)
            ),
        ),
        (_("Rekenregels"), _("Kompas {v}").format(v=advice.engine_version)),
        (_("Rapport"), _("Kompas {v}").format(v=report_version())),
        (_("Adviescode"), fingerprint[:12].upper()),
    )


def _summary(explanation: Explanation, has_advice: bool) -> Summary:
    advice, story = explanation.advice, explanation.story
    top = story.platforms[0] if has_advice and story.platforms else None
    short = charts.shortlisted(advice, story) if has_advice else ()
    shown = tuple(short[:SHORT_CHART])
    return Summary(
        lines=story.brief,
        provisional=story.provisional,
        # Page 1 must fit: only what concerns the whole advice; the leader's own
        # warnings are among its caveats, the rest in the ranking annex.
        warnings=tuple(w.text for w in story.warnings if w.kind in ("provisional", "unverified")),
        stability=story.robustness.label_text,
        # A first place shared by three or more: the label line names the tie, and the
        # weight lines wait for the stability chapter (stability_lines), so page 1 keeps its end.
        robustness=story.robustness.lines[
            : 1 if len(explanation.analysis.robustness.top) > 2 else 2
        ],
        rests_on=story.rests_on,
        reasons=tuple(c.text for c in top.pros[:4]) if top else (),
        caveats=_caveats(top) if top else (),
        bars=tuple(parts.bar(r) for r in short[:SHORT_CHART]),
        more=max(len(short) - SHORT_CHART, 0),
        first=tuple(parts.bar(r) for r in short[:PAGE_ONE]),
        note=story.shortlist_note,
        aside=story.shortlist_aside,
        leader=top.name if top else "",
        # The council version has no platform sheets: the leader's setbacks are said here.
        drawbacks=top.drawbacks if top else (),
        goals_rule=story.goals_rule,
        costs=costs(story, shown),
        flags=tuple(
            flag for r in shown if (p := story.platform(r.platform.id)) for flag in p.flags
        ),
        # Page 1 has no room for the warnings themselves: it marks the names, the shortlist
        # chapter says why (a council member must not read a flagged name as a clean choice).
        flagged=tuple(
            r.platform.name for r in short[:5] if (p := story.platform(r.platform.id)) and p.flags
        ),
    )


def _caveats(top: PlatformStory) -> tuple[str, ...]:
    """What speaks against the leading platform: what it does not meet, then its warnings."""
    lines = [c.text for c in top.cons[:3]] + [c.text for c in top.partial[:1]]
    others = [w for w in top.warnings if w not in top.flags]
    # Its red flags first: they show whatever else there is to say.
    return tuple(
        list(top.flags) + (lines + list(top.verify) + others)[: max(5 - len(top.flags), 0)]
    )
