"""What the advice says: one presentation model that the web page, the CLI and the PDF format.

The decision kernel returns numbers, states and ids; this module decides what they mean
to a reader: the headline and the shortlist, what a tie is and how it is worded, which
exclusions, warnings and combinations are shown, and every sentence (Dutch through
gettext, English from the .po). The skins only lay the result out, so they cannot
disagree with each other.

Definitions used everywhere:
- a *tie*: platforms that share a rank in Advice.ranking;
- A *surely beats* B: A.lower > B.upper (the score ranges do not overlap);
- the *shortlist*: the ranked platforms that no other ranked platform surely beats;
- the *value of information* of an unknown fact of a shortlisted platform: how many
  points its resolution can move that platform's score (its share of the platform's
  score range, in proportion to the criterion's weight), and whether that can change the
  order between the platform and the best other shortlisted one.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kompas.engine.analysis import Analysis
from kompas.engine.combinations import Combination
from kompas.engine.combinations import Combinations
from kompas.engine.matrix import Matrix
from kompas.engine.matrix import decision_matrix
from kompas.engine.model import MUST
from kompas.engine.model import Catalogue
from kompas.engine.model import Question
from kompas.engine.model import Questionnaire
from kompas.engine.result import Advice
from kompas.engine.result import CriterionResult
from kompas.engine.result import FactRef
from kompas.engine.result import PlatformResult
from kompas.engine.robustness import Interval
from kompas.engine.robustness import Separator
from kompas.engine.scoring import describe_value
from kompas.i18n import _
from kompas.i18n import format_amount
from kompas.i18n import format_number
from kompas.i18n import format_percent
from kompas.i18n import format_points
from kompas.i18n import localise
from kompas.i18n import ngettext

MAX_WEIGHT = 3.0  # the top of the importance scale the advisor chooses from
NAMES_SHOWN = 5  # names listed in one sentence before "en N andere"
COMBINATIONS_SHOWN = 2  # best pairs shown (plus the best triple)
OFFLINE_SHOWN = 2  # platform + offline approach pairs shown
VENDOR_TOPICS = 10  # vendor questions shown, the most decisive first
VENDORS_NAMED = 8  # platforms named per vendor question before "en N andere"
_NUDGE = 0.01  # how far past a stability bound a weight is tried to confirm who leads


# -- the model ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reason:
    """One criterion result in words, with the facts behind it."""

    criterion_id: str
    text: str
    must: bool
    facts: tuple[FactRef, ...]


@dataclass(frozen=True, slots=True)
class RankRow:
    """One ranked platform as the ranking table shows it."""

    platform_id: str
    name: str
    rank: int
    score: float | None
    lower: float | None
    upper: float | None
    fit: float | None
    coverage: float | None
    tied: bool  # shares its rank with another platform
    shortlisted: bool  # no other ranked platform surely beats it
    to_verify: bool  # an unknown must-have
    low_coverage: bool
    standing: str  # "gedeelde plaats", "kan nog de beste zijn", "zeker ingehaald door …"


@dataclass(frozen=True, slots=True)
class DecidingFact:
    """An unknown fact of a shortlisted platform, with how much it could change the top."""

    platform_id: str
    platform_name: str
    criterion_id: str
    criterion: str
    question: str
    must: bool
    value: float  # points the platform's score can move when the fact becomes known
    changes_top: bool  # whether that can change the order with the best other platform


@dataclass(frozen=True, slots=True)
class VendorTopic:
    """One question for the vendors, with the platforms it concerns (most decisive first)."""

    criterion_id: str
    criterion: str
    question: str
    must: bool
    asks: tuple[DecidingFact, ...]

    @property
    def value(self) -> float:
        """The largest value of information among its platforms."""
        return max((a.value for a in self.asks), default=0.0)

    @property
    def platforms(self) -> str:
        """The platforms to ask, most decisive first, as one list in words."""
        return join_names((a.platform_name for a in self.asks), limit=VENDORS_NAMED)

    @property
    def ask_to(self) -> str:
        """'Vraag dit aan: …' with the platforms to ask."""
        return _("Vraag dit aan: {platforms}.").format(platforms=self.platforms)


@dataclass(frozen=True, slots=True)
class Notice:
    """Something the reader must know before trusting the advice."""

    kind: str  # "provisional" | "verify" | "low_coverage" | "unverified"
    text: str


@dataclass(frozen=True, slots=True)
class PlatformStory:
    """Why one ranked platform scores as it does."""

    platform_id: str
    name: str
    url: str
    description: str
    rank: int
    score: float | None
    to_verify: bool  # an unknown must-have: shown as a badge, the must-have under unknowns
    warnings: tuple[str, ...]
    verify: tuple[str, ...]  # one sentence per unknown must-have, for a one-page summary
    pros: tuple[Reason, ...]  # fully met: a real advantage
    partial: tuple[Reason, ...]  # partly met: said in its own words, never as a plus
    cons: tuple[Reason, ...]
    unknowns: tuple[Reason, ...]  # unknown facts that count, unknown must-haves first


@dataclass(frozen=True, slots=True)
class Exclusion:
    """A platform a must-have excludes, with each reason once."""

    platform_id: str
    name: str
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class Aside:
    """A platform shown beside the ranking: an example to learn from, or a stopped project."""

    platform_id: str
    name: str
    text: str


@dataclass(frozen=True, slots=True)
class SeparatorStory:
    """One tie-break question and what its answer would do."""

    question_id: str
    question: str
    section_id: str
    text: str


@dataclass(frozen=True, slots=True)
class CombinationStory:
    """A combination worth showing, with its sentences and combined cost."""

    platform_ids: tuple[str, ...]
    names: str
    score: float
    lines: tuple[str, ...]
    cost: str  # the combined yearly cost, or which member's price is unknown ("" if not given)


@dataclass(frozen=True, slots=True)
class CombinationsStory:
    """Which combinations to show, and why (or why not)."""

    status: str  # "ask" | "declined" | "none" | "not_better" | "better"
    note: str
    question_id: str  # the combinations question to answer first (status "ask")
    shown: tuple[CombinationStory, ...]
    offline_note: str
    offline: tuple[CombinationStory, ...]


@dataclass(frozen=True, slots=True)
class IntervalRow:
    """How far one criterion's weight can move before another platform leads (0-3 scale)."""

    criterion_id: str
    label: str
    weight: str
    lower: str
    upper: str  # "∞" when no weight changes the top
    above: str  # who leads above the upper bound ("" when nobody)
    critical: bool
    weight_value: float = 0.0  # the same bounds as numbers, for the pictures
    lower_value: float = 0.0
    upper_value: float = math.inf


@dataclass(frozen=True, slots=True)
class WeightLine:
    """A criterion that counts, its weight in words and the answers that gave it."""

    criterion_id: str
    label: str
    weight: float
    must: bool
    words: str  # "onmisbaar", "zeer belangrijk", ...
    because: tuple[str, ...]  # "Vraag?: ja", one per answer


@dataclass(frozen=True, slots=True)
class RobustnessStory:
    """How sure the advice is, in sentences recomputed from the analysis."""

    label: str  # "solid" | "sensitive" | "shaky" | "none"
    label_text: str
    lines: tuple[str, ...]
    intervals: tuple[IntervalRow, ...]
    tie_lines: tuple[str, ...]
    separators: tuple[SeparatorStory, ...]


@dataclass(frozen=True, slots=True)
class Story:
    """Everything the advice says, for every skin."""

    has_advice: bool
    provisional: bool
    headline: tuple[str, ...]  # one or two sentences
    summary: tuple[str, ...]  # the sentences after the headline (ties, overlaps, exclusions)
    shortlist: tuple[RankRow, ...]
    deciding: tuple[DecidingFact, ...]  # the first questions for the vendors
    ranking: tuple[RankRow, ...]
    ties: tuple[tuple[str, ...], ...]  # names per shared rank
    warnings: tuple[Notice, ...]
    decisive_open: tuple[tuple[str, str, str], ...]  # (question id, section id, question text)
    platforms: tuple[PlatformStory, ...]
    exclusions: tuple[Exclusion, ...]
    examples: tuple[Aside, ...]
    withdrawn: tuple[Aside, ...]
    vendor_topics: tuple[VendorTopic, ...]
    robustness: RobustnessStory
    combinations: CombinationsStory
    next_step: str = ""  # the one thing to do next, for page 1 of the report and the page
    rests_on: tuple[str, ...] = ()  # what the advice rests on: answers, facts, evidence
    weights: tuple[WeightLine, ...] = ()  # what counted, in words (no raw codes)

    @property
    def brief(self) -> tuple[str, ...]:
        """The advice in at most five sentences: headline, the lead's distance, next step."""
        lines = list(self.headline) + list(self.summary[:1])
        return tuple(lines[:4]) + ((self.next_step,) if self.next_step else ())

    def platform(self, platform_id: str) -> PlatformStory | None:
        """The story of one ranked platform, if it is ranked."""
        return next((p for p in self.platforms if p.platform_id == platform_id), None)


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


# -- small helpers --------------------------------------------------------------------------


def join_names(names: Iterable[str], limit: int = NAMES_SHOWN) -> str:
    """Names as a Dutch list: 'A, B en C', or 'A, B en 3 andere' when there are many."""
    items = [str(n) for n in names]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    if len(items) > limit:
        shown, rest = items[: limit - 1], len(items) - (limit - 1)
        return _("{first} en {n} andere").format(first=", ".join(shown), n=rest)
    return _("{first} en {last}").format(first=", ".join(items[:-1]), last=items[-1])


def points(value: float) -> str:
    """A score or difference in points (one decimal at most)."""
    return format_points(value)


def whole(value: float | None) -> str:
    """A score as a whole number, or a dash."""
    return "—" if value is None else format_number(value, 0)


def weight_text(weight: float) -> str:
    """A weight on the advisor's scale (0-3, two decimals at most)."""
    return format_number(weight, 2)


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
    margin = points(questionnaire.tie_margin)
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


def surely_beats(a: PlatformResult, b: PlatformResult) -> bool:
    """A surely beats B: A's lowest reachable score is above B's highest."""
    if a.lower is None or b.upper is None:
        return False
    return a.lower > b.upper


def shortlist(advice: Advice) -> tuple[PlatformResult, ...]:
    """The ranked platforms with a score that no other ranked platform surely beats."""
    scored = [r for r in advice.ranking if r.score is not None]
    best_lower = max((r.lower for r in scored if r.lower is not None), default=None)
    if best_lower is None:
        return tuple(scored)
    return tuple(r for r in scored if r.upper is None or not best_lower > r.upper)


def _reason(c: CriterionResult) -> Reason:
    return Reason(c.criterion_id, c.text, c.must, c.facts)


# -- value of information -------------------------------------------------------------------


def deciding_facts(advice: Advice, short: tuple[PlatformResult, ...]) -> tuple[DecidingFact, ...]:
    """The unknown facts of the shortlisted platforms, most decisive first.

    A platform's score range (upper - lower) is what its unknowns together could still
    move; each unknown takes the share its weight has among them. Resolving it moves
    the score from the middle by half that share either way. An unknown must-have can
    also exclude the platform, which matters most of all.
    """
    if not short:
        return ()
    scores = {r.platform.id: r.score or 0.0 for r in short}
    facts = []
    for r in short:
        unknown = [c for c in r.unknowns if c.weight > 0 or c.must]
        total = sum(c.weight for c in unknown)
        spread = (r.upper or 0.0) - (r.lower or 0.0)
        others = [s for pid, s in scores.items() if pid != r.platform.id]
        best_other = max(others) if others else None
        for c in unknown:
            move = spread * c.weight / total / 2 if total > 0 else 0.0
            if best_other is None:
                changes = c.must
            elif scores[r.platform.id] >= best_other:  # it leads: can it fall behind?
                changes = c.must or scores[r.platform.id] - move < best_other
            else:  # it trails: can it get ahead?
                changes = scores[r.platform.id] + move > best_other
            facts.append(
                DecidingFact(
                    r.platform.id,
                    r.platform.name,
                    c.criterion_id,
                    c.label,
                    c.ask,
                    c.must,
                    move,
                    changes,
                )
            )
    facts.sort(key=lambda f: (not f.changes_top, not f.must, -f.value, f.criterion_id))
    return tuple(facts)


def vendor_topics(facts: Iterable[DecidingFact]) -> tuple[VendorTopic, ...]:
    """The deciding facts grouped per question, the most decisive question first."""
    groups: dict[tuple[str, str], list[DecidingFact]] = {}
    for f in facts:
        groups.setdefault((f.criterion_id, f.question), []).append(f)
    topics = [
        VendorTopic(
            cid,
            asks[0].criterion,
            question,
            any(a.must for a in asks),
            # Stable sort: equally decisive platforms stay in ranking order.
            tuple(sorted(asks, key=lambda a: (not a.changes_top, -round(a.value, 9)))),
        )
        for (cid, question), asks in groups.items()
    ]
    topics.sort(
        key=lambda t: (
            not any(a.changes_top for a in t.asks),
            not t.must,
            -t.value,
            t.criterion_id,
        )
    )
    return tuple(topics[:VENDOR_TOPICS])


# -- building the story ---------------------------------------------------------------------


def present(
    advice: Advice,
    analysis: Analysis,
    questionnaire: Questionnaire,
    catalogue: Catalogue,
    matrix: Matrix | None = None,
) -> Story:
    """What the advice says, from the advice and the analysis of how sure it is."""
    has_advice = bool(advice.active) and any(r.score is not None for r in advice.ranking)
    short = shortlist(advice) if has_advice else ()
    short_ids = {r.platform.id for r in short}
    rank_counts: dict[int, int] = {}
    for r in advice.ranking:
        if r.rank is not None:
            rank_counts[r.rank] = rank_counts.get(r.rank, 0) + 1
    rows = tuple(
        _row(r, advice, short, short_ids, rank_counts, questionnaire) for r in advice.ranking
    )
    ties = tuple(
        tuple(r.platform.name for r in advice.ranking if r.rank == rank)
        for rank, n in sorted(rank_counts.items())
        if n > 1
    )
    deciding = deciding_facts(advice, short)
    completeness = advice.completeness
    provisional = bool(completeness and completeness.provisional)
    return Story(
        has_advice=has_advice,
        provisional=provisional,
        headline=tuple(_headline(advice, short, has_advice)),
        summary=tuple(_summary(advice, short, has_advice)),
        shortlist=tuple(row for row in rows if row.shortlisted),
        deciding=deciding[:3],
        ranking=rows,
        ties=ties,
        warnings=tuple(_warnings(advice, questionnaire, short)),
        decisive_open=_decisive_open(advice, questionnaire),
        platforms=tuple(_platform_story(r, questionnaire) for r in advice.ranking),
        exclusions=tuple(_exclusion(r) for r in advice.excluded),
        examples=tuple(
            Aside(
                r.platform.id,
                r.platform.name,
                _(
                    "{p} is het eigen platform van een andere gemeente: een voorbeeld om van te "
                    "leren, geen kandidaat."
                ).format(p=r.platform.name),
            )
            for r in advice.examples
        ),
        withdrawn=tuple(
            Aside(
                r.platform.id,
                r.platform.name,
                _("{p} is gestopt en staat daarom niet in de rangorde.").format(p=r.platform.name),
            )
            for r in advice.withdrawn
        ),
        vendor_topics=vendor_topics(deciding),
        robustness=_robustness(advice, analysis, questionnaire, catalogue, matrix),
        combinations=_combinations(analysis.combinations, questionnaire, catalogue),
        next_step=_next_step(advice, short, provisional, vendor_topics(deciding)),
        rests_on=_rests_on(advice, short),
        weights=weight_lines(advice),
    )


def importance_words(level: Any) -> str:
    """An importance level in words; anything else (an option's own label) as it is."""
    words = {
        MUST: _("onmisbaar"),
        "3": _("zeer belangrijk"),
        "2": _("belangrijk"),
        "1": _("enigszins belangrijk"),
        "0": _("maakt niet uit"),
    }
    key = str(level)
    if key.endswith(".0"):
        key = key[:-2]
    return words.get(key, key)


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


def _next_step(
    advice: Advice,
    short: tuple[PlatformResult, ...],
    provisional: bool,
    topics: tuple[VendorTopic, ...],
) -> str:
    """The one recommended next step, in one sentence."""
    if not advice.active:
        return _("Volgende stap: beantwoord de vragen over doelen en eisen.")
    if not advice.ranking:
        return _("Volgende stap: bekijk welke eis elk platform uitsluit en versoepel er één.")
    if provisional:
        return _(
            "Volgende stap: beantwoord eerst de belangrijke vragen die nog open staan; daarna "
            "is het advies niet meer voorlopig."
        )
    names = join_names((r.platform.name for r in short), limit=3)
    if topics:
        return _(
            "Volgende stap: vraag {names} eerst naar '{criterion}' en de andere vragen aan de "
            "leveranciers, en vraag daarna een demonstratie aan."
        ).format(names=names, criterion=topics[0].criterion)
    return _(
        "Volgende stap: vraag {names} om een demonstratie en een offerte, en bespreek die met "
        "inwoners en partners."
    ).format(names=names)


def _rests_on(advice: Advice, short: tuple[PlatformResult, ...]) -> tuple[str, ...]:
    """What the advice rests on: the answers, the facts behind the leader and their evidence."""
    given = sum(1 for v in advice.answers.values() if v not in (None, "", [], ()))
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


def _row(
    r: PlatformResult,
    advice: Advice,
    short: tuple[PlatformResult, ...],
    short_ids: set[str],
    rank_counts: dict[int, int],
    questionnaire: Questionnaire,
) -> RankRow:
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
    low = r.coverage is not None and r.coverage < questionnaire.min_coverage
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


def _headline(advice: Advice, short: tuple[PlatformResult, ...], has_advice: bool) -> list[str]:
    if not advice.active:
        return [
            _(
                "Er zijn nog geen antwoorden die meewegen; alle platforms scoren daardoor "
                "gelijk. Beantwoord eerst de vragen over doelen en eisen."
            )
        ]
    if not advice.ranking:
        return [
            _(
                "Geen enkel platform voldoet aan alle eisen. Hieronder staat per platform welke "
                "eis het uitsluit; overweeg of elke eis echt een eis moet zijn."
            )
        ]
    if not has_advice:
        return [_("Geen enkel criterium weegt mee; alle platforms scoren daardoor gelijk.")]
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
        first = _("{basis} staan {p} gelijk bovenaan, met een score van {s}.").format(
            p=join_names(r.platform.name for r in leaders), **values
        )
    else:
        first = _("{basis} staat {p} nu bovenaan (score {s}, bandbreedte {l}–{u}).").format(
            p=top.platform.name, **values
        )
    if len(short) == len([r for r in advice.ranking if r.score is not None]):
        # Nothing is settled yet: say so instead of listing every platform.
        second = _(
            "Nog geen enkel platform is zeker beter dan een ander: alle {k} kunnen nog als "
            "beste uitkomen. Wat nog onbekend is, beslist; de vragen aan de leveranciers "
            "staan hieronder."
        ).format(k=len(short))
    else:
        second = _(
            "Geen ander platform is zeker beter dan deze {k}: {names}. Wat nog onbekend is, "
            "beslist tussen hen; de vragen aan de leveranciers staan hieronder."
        ).format(k=len(short), names=join_names(r.platform.name for r in short))
    return [first, second]


def _summary(advice: Advice, short: tuple[PlatformResult, ...], has_advice: bool) -> list[str]:
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


def _warnings(
    advice: Advice, questionnaire: Questionnaire, short: tuple[PlatformResult, ...]
) -> list[Notice]:
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
    # Each unknown must-have once, with the platforms it concerns.
    musts: dict[str, tuple[str, list[str]]] = {}
    for r in advice.ranking:
        for c in r.to_verify:
            musts.setdefault(c.criterion_id, (c.label, []))[1].append(r.platform.name)
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
    low = [
        r.platform.name
        for r in short
        if r.coverage is not None and r.coverage < questionnaire.min_coverage
    ]
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


def _decisive_open(
    advice: Advice, questionnaire: Questionnaire
) -> tuple[tuple[str, str, str], ...]:
    completeness = advice.completeness
    if completeness is None:
        return ()
    out = []
    for qid in completeness.decisive_open[:5]:
        question = questionnaire.index.get(qid)
        if question is not None:
            out.append((qid, question.section, localise(question.text)))
    return tuple(out)


def _platform_story(r: PlatformResult, questionnaire: Questionnaire) -> PlatformStory:
    warnings = []
    if r.coverage is not None and r.coverage < questionnaire.min_coverage:
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
        tuple(_reason(c) for c in r.pros if c.state == "met"),
        tuple(_reason(c) for c in r.pros if c.state != "met"),
        tuple(_reason(c) for c in r.cons),
        # Unknown must-haves are listed here once, marked as a requirement.
        tuple(_reason(c) for c in r.unknowns),
    )


def _exclusion(r: PlatformResult) -> Exclusion:
    seen: dict[str, Reason] = {}
    for c in r.excluded_by:
        seen.setdefault(c.text, _reason(c))  # two criteria worded alike are one reason
    return Exclusion(r.platform.id, r.platform.name, tuple(seen.values()))


# -- robustness and tie-break -----------------------------------------------------------------


def _leader_with(matrix: Matrix, j: int, weight: float) -> list[str]:
    """Who leads when criterion j weighs `weight` (the kernel's own score)."""
    weights = list(matrix.weights)
    weights[j] = weight
    ids = matrix.platform_ids
    return sorted(ids[i] for i in matrix.top(tuple(weights)))


def _interval_sentence(
    interval: Interval, top: str, matrix: Matrix, catalogue: Catalogue
) -> str | None:
    """The weight at which another platform leads, checked by scoring just past it."""
    j = next((k for k, a in enumerate(matrix.active) if a.id == interval.criterion_id), None)
    if j is None:
        return None
    name = catalogue.platform(top).name
    label = localise(interval.label)
    w = interval.weight
    if interval.upper < MAX_WEIGHT - 1e-9 and interval.above:
        trial = min(MAX_WEIGHT, interval.upper + _NUDGE)
        leaders = _leader_with(matrix, j, trial)
        if leaders and top not in leaders:
            other = join_names(catalogue.platform(p).name for p in leaders)
            if w == 0:
                return _(
                    "'{criterion}' telt nu niet mee (gewicht 0); weegt het {bound} of meer op de "
                    "schaal van 0 tot 3, dan komt {other} bovenaan."
                ).format(criterion=label, bound=weight_text(interval.upper), other=other)
            return _(
                "{top} blijft bovenaan zolang '{criterion}' (nu gewicht {weight}) niet zwaarder "
                "weegt dan {bound} op de schaal van 0 tot 3; weegt het zwaarder, dan komt "
                "{other} bovenaan."
            ).format(
                top=name,
                criterion=label,
                weight=weight_text(w),
                bound=weight_text(interval.upper),
                other=other,
            )
    if interval.lower > 1e-9 and interval.below:
        trial = max(0.0, interval.lower - _NUDGE)
        leaders = _leader_with(matrix, j, trial)
        if leaders and top not in leaders:
            other = join_names(catalogue.platform(p).name for p in leaders)
            return _(
                "{top} blijft bovenaan zolang '{criterion}' (nu gewicht {weight}) niet lichter "
                "weegt dan {bound}; weegt het lichter, dan komt {other} bovenaan."
            ).format(
                top=name,
                criterion=label,
                weight=weight_text(w),
                bound=weight_text(interval.lower),
                other=other,
            )
    return None


def _distance(interval: Interval) -> float:
    """How close a criterion's weight is to changing the top (relative, smaller is closer)."""
    w = interval.weight
    up = (interval.upper - w) / max(w, 1.0) if math.isfinite(interval.upper) else math.inf
    down = (w - interval.lower) / max(w, 1.0) if interval.lower > 0 else math.inf
    return min(up, down)


def _robustness(
    advice: Advice,
    analysis: Analysis,
    questionnaire: Questionnaire,
    catalogue: Catalogue,
    matrix: Matrix | None,
    limit: int = 5,
) -> RobustnessStory:
    rob = analysis.robustness
    label = rob.label
    if not rob.top or not advice.ranking:
        return RobustnessStory(
            "none",
            stability_label("none"),
            (_("Er is nog geen advies: geen enkel platform heeft een score."),),
            (),
            (),
            (),
        )
    ranking = advice.ranking
    leaders = [r for r in ranking if r.rank == ranking[0].rank]
    lines = []
    if len(leaders) > 1:
        lines.append(
            _("Het advies is {label}: {names} staan gelijk bovenaan.").format(
                label=stability_label(label), names=join_names(r.platform.name for r in leaders)
            )
        )
    elif len(ranking) > 1 and ranking[1].score is not None and ranking[0].score is not None:
        lines.append(
            _(
                "Het advies is {label}. Het verschil met de nummer twee, {other}, is {margin} "
                "punten."
            ).format(
                label=stability_label(label),
                other=ranking[1].platform.name,
                margin=points(ranking[0].score - ranking[1].score),
            )
        )
    else:
        lines.append(_("Het advies is {label}.").format(label=stability_label(label)))
    top = rob.top[0]
    sentences = []
    for interval in sorted((i for i in rob.intervals if i.critical), key=_distance):
        if matrix is None:  # only needed to confirm who leads past a bound
            matrix = decision_matrix(questionnaire, catalogue, advice.answers)
        sentence = _interval_sentence(interval, top, matrix, catalogue)
        if sentence:
            sentences.append(sentence)
    if sentences:
        lines.extend(sentences[:limit])
    else:
        lines.append(
            _(
                "Geen enkel criterium verandert de eerste plaats zolang het gewicht binnen de "
                "schaal van 0 tot 3 blijft."
            )
        )
    flips = [x for x in rob.leave_one_out if x.changes]
    for x in flips[:limit]:
        question = localise(x.question)
        if not x.top:
            lines.append(
                _("Zonder uw antwoord op '{question}' zou geen enkel platform overblijven.").format(
                    question=question
                )
            )
        elif len(x.top) == 1:
            lines.append(
                _("Zonder uw antwoord op '{question}' zou {name} bovenaan staan.").format(
                    question=question, name=catalogue.platform(x.top[0]).name
                )
            )
        else:
            lines.append(
                _("Zonder uw antwoord op '{question}' zouden {names} samen bovenaan staan.").format(
                    question=question, names=join_names(catalogue.platform(p).name for p in x.top)
                )
            )
    if not flips and rob.leave_one_out:
        lines.append(_("Het weglaten van één antwoord verandert de eerste plaats niet."))
    rows = tuple(
        IntervalRow(
            i.criterion_id,
            localise(i.label),
            weight_text(i.weight),
            weight_text(i.lower),
            "∞" if not math.isfinite(i.upper) else weight_text(i.upper),
            catalogue.platform(i.above).name if i.above else "",
            i.critical,
            i.weight,
            i.lower,
            i.upper,
        )
        for i in rob.intervals
        if i.above or i.below
    )
    tie_lines, separators = _tie_break(advice, analysis, questionnaire, catalogue)
    return RobustnessStory(label, stability_label(label), tuple(lines), rows, tie_lines, separators)


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


def _tie_break(
    advice: Advice, analysis: Analysis, questionnaire: Questionnaire, catalogue: Catalogue
) -> tuple[tuple[str, ...], tuple[SeparatorStory, ...]]:
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


# -- combinations ---------------------------------------------------------------------------


def _cost_sentence(combination: Combination, catalogue: Catalogue) -> str:
    """The combined yearly cost, when the kernel provides it."""
    low: float | None = getattr(combination, "cost_low", None)
    high: float | None = getattr(combination, "cost_high", None)
    unknown: tuple[str, ...] = getattr(combination, "cost_unknown", ())
    if unknown:
        return _(
            "De gezamenlijke kosten zijn niet bekend: de prijs van {names} is onbekend."
        ).format(names=join_names(catalogue.platform(p).name for p in unknown))
    if low is not None:
        return _("Samen kosten ze {amount} per jaar.").format(amount=format_amount(low, high))
    return ""


def combination_sentences(
    combination: Combination,
    combinations: Combinations,
    questionnaire: Questionnaire,
    catalogue: Catalogue,
) -> list[str]:
    """What each member brings, overlaps, the combined facts and the comparison with one platform."""
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
                "Overlap bij '{label}': {names} doen allebei hetzelfde. Dat kan inwoners over "
                "twee plekken verdelen (versnippering)."
            ).format(
                label=labels[cid], names=join_names(catalogue.platform(p).name for p in members)
            )
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
                    "Samen, voor '{label}': onbekend, want van minstens één platform is dit niet "
                    "bekend."
                ).format(label=labels[cid])
            )
    single = catalogue.platform(combinations.best_single).name if combinations.best_single else ""
    if combinations.beats_single(combination):
        gains = ", ".join(labels[c] for c in combination.gains) or _("wat onbekend is")
        lines.append(
            _(
                "Deze combinatie scoort {score} tegen {single} {best} als enige platform: ze "
                "wint op {gains}."
            ).format(
                score=whole(combination.score),
                single=single,
                best=whole(combinations.best_single_score or 0),
                gains=gains,
            )
        )
    else:
        lines.append(
            _(
                "Deze combinatie scoort {score} en doet het niet beter dan {single} alleen "
                "({best})."
            ).format(
                score=whole(combination.score),
                single=single,
                best=whole(combinations.best_single_score or 0),
            )
        )
    return lines


def _combination_story(
    combination: Combination,
    combinations: Combinations,
    questionnaire: Questionnaire,
    catalogue: Catalogue,
) -> CombinationStory:
    return CombinationStory(
        combination.platform_ids,
        " + ".join(catalogue.platform(p).name for p in combination.platform_ids),
        combination.score,
        tuple(combination_sentences(combination, combinations, questionnaire, catalogue)),
        _cost_sentence(combination, catalogue),
    )


def _combinations(
    combos: Combinations, questionnaire: Questionnaire, catalogue: Catalogue
) -> CombinationsStory:
    """Which combinations to show: the one rule for page, CLI and report."""
    offline: tuple[CombinationStory, ...] = ()
    offline_note = ""
    if combos.with_offline and combos.accepted is not False:
        offline = tuple(
            _combination_story(c, combos, questionnaire, catalogue)
            for c in combos.with_offline[:OFFLINE_SHOWN]
        )
        offline_note = _(
            "U wilt ook inwoners zonder internet bereiken. Zo scoort een platform samen met "
            "een aanpak zonder software:"
        )
    if combos.accepted is False:
        return CombinationsStory(
            "declined",
            _(
                "U gaf aan dat meerdere platforms naast elkaar niet wenselijk zijn; daarom staan "
                "hier geen combinaties."
            ),
            "",
            (),
            "",
            (),
        )
    if combos.accepted is None and questionnaire.combinations_question:
        return CombinationsStory(
            "ask",
            _(
                "Wilt u weten of twee of drie platforms naast elkaar beter passen? Beantwoord "
                "dan eerst de vraag:"
            ),
            questionnaire.combinations_question,
            (),
            offline_note,
            offline,
        )
    candidates = combos.pairs[:COMBINATIONS_SHOWN] + combos.triples[:1]
    better = [c for c in candidates if combos.beats_single(c)]
    if not candidates:
        status, note, chosen = (
            "none",
            _("Er is geen combinatie waarin elk platform iets toevoegt."),
            [],
        )
    elif not better:
        single = catalogue.platform(combos.best_single).name if combos.best_single else "—"
        status, note, chosen = (
            "not_better",
            _(
                "Geen combinatie doet het beter dan {p} alleen. De beste combinatie waarin elk "
                "platform iets toevoegt:"
            ).format(p=single),
            list(candidates[:1]),
        )
    else:
        status, note, chosen = (
            "better",
            _("Deze combinaties scoren beter dan het best passende platform alleen:"),
            better,
        )
    return CombinationsStory(
        status,
        note,
        "",
        tuple(_combination_story(c, combos, questionnaire, catalogue) for c in chosen),
        offline_note,
        offline,
    )


def summary_record(story: Story) -> dict[str, Any]:
    """The story's headline, shortlist and warnings for the JSON decision record."""
    return {
        "headline": list(story.headline),
        "provisional": story.provisional,
        "shortlist": [row.platform_id for row in story.shortlist],
        "ties": [list(names) for names in story.ties],
        "deciding": [
            {
                "platform": f.platform_id,
                "criterion": f.criterion_id,
                "must": f.must,
                "points": round(f.value, 2),
                "changes_top": f.changes_top,
            }
            for f in story.deciding
        ],
        "warnings": [w.text for w in story.warnings],
    }
