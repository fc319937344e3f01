"""The presentation model: what the advice says, as frozen dataclasses every skin formats."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from kompas.engine.result import FactRef
from kompas.i18n import _
from kompas.present.drawbacks import DrawbackNote
from kompas.present.words import join_names

VENDORS_NAMED = 8  # platforms named per vendor question before "en N andere"


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
    contender: bool  # no other ranked platform surely beats it ("kan nog de beste zijn")
    to_verify: bool  # an unknown must-have
    low_coverage: bool
    standing: str  # "gedeelde plaats", "kan nog de beste zijn", "zeker ingehaald door …"

    @property
    def striped(self) -> bool:
        """Whether its bar is striped: it would look certain (no open part worth a point)
        while less than the method's minimum of what counts is known (one answer, say)."""
        if self.lower is None or self.upper is None:
            return False
        return self.low_coverage and self.upper - self.lower < 1.0


@dataclass(frozen=True, slots=True)
class DecidingFact:
    """An unknown fact of a platform on the shortlist, with how much it could change the top."""

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
    # Its red flags (known drawbacks said whether or not asked); also the first warnings.
    flags: tuple[str, ...] = ()
    # Documented setbacks with their sources (platforms.yaml `drawbacks:`).
    drawbacks: tuple[DrawbackNote, ...] = ()


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
class Price:
    """One platform's yearly price as the catalogue knows it."""

    platform_id: str
    name: str
    text: str  # "500 tot 1.000 euro (bron mei 2024)", "prijs onbekend", "geen prijs (n.v.t.)"
    status: str  # known | unknown | not_applicable
    low: float | None  # euro per year, when known
    high: float | None
    source: str
    source_date: dt.date | None  # the source's own date, else the day it was checked


@dataclass(frozen=True, slots=True)
class CostStory:
    """The cost of the advice: budget, prices of the shortlist, a proposed combination."""

    budget: float | None  # euro per year, when answered
    budget_text: str  # "Budget: 20.000 euro per jaar." ("" without a budget)
    prices: tuple[Price, ...]  # the shortlist as the report's chart shows it, in ranking order
    combination: str  # the proposed combination and its combined cost ("" when none)

    def price(self, platform_id: str) -> Price | None:
        """The price of one platform, when it is among the shortlist."""
        return next((p for p in self.prices if p.platform_id == platform_id), None)


@dataclass(frozen=True, slots=True)
class Story:
    """Everything the advice says, for every skin."""

    has_advice: bool
    provisional: bool
    headline: tuple[str, ...]  # one or two sentences
    summary: tuple[str, ...]  # the sentences after the headline (ties, overlaps, exclusions)
    # The one shortlist a reader sees: the probable shortlist in ranking order, a lone one
    # with the next two (present/shortlist.py); `contenders` is the dominance set, internal.
    shortlist: tuple[RankRow, ...]
    contenders: tuple[RankRow, ...]
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
    below: tuple[Aside, ...] = ()  # candidates that serve none of the chosen goals, with why
    below_note: str = ""  # the chosen goals, named once above that list
    # Offline approaches that only complement a platform (a digital one is wanted): unranked.
    complements: tuple[Aside, ...] = ()
    complements_note: str = ""  # why they have no place in the ranking
    goals_rule: str = ""  # the goals-first rule in one sentence ("" when no goal is chosen)
    costs: CostStory | None = None  # the budget and the prices, for page 1 and the record
    builds_on: tuple[str, ...] = ()  # what already exists, to connect or keep (from the answers)
    shortlist_note: str = ""  # what the shortlist is, above its table on every view
    shortlist_aside: str = ""  # why the ranking's first is not on it, when it is not

    @property
    def brief(self) -> tuple[str, ...]:
        """The advice in at most five sentences: headline, the lead's distance, next step."""
        lines = list(self.headline) + list(self.summary[:1])
        return tuple(lines[:4]) + ((self.next_step,) if self.next_step else ())

    def platform(self, platform_id: str) -> PlatformStory | None:
        """The story of one ranked platform, if it is ranked."""
        return next((p for p in self.platforms if p.platform_id == platform_id), None)
