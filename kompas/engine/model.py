"""The engine's frozen data model: questionnaire, catalogue, facts and conditions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from dataclasses import field
from types import MappingProxyType
from typing import Any
from typing import Literal

from kompas.errors import Location

FactType = Literal["bool", "choice", "set", "number", "range", "text"]
QuestionType = Literal["single", "multiple", "importance", "yesno", "number", "text"]
Importance = int | Literal["must"]

UNKNOWN: Literal["unknown"] = "unknown"
NOT_APPLICABLE: Literal["not_applicable"] = "not_applicable"
# Whether another municipality can adopt a platform (platforms.yaml `availability`).
# 'onbekend' is written `unknown` in the file; only the first two make a platform a candidate.
Availability = Literal["landelijk", "regionaal", "eigen_gemeente", "gestopt", "onbekend"]
AVAILABILITY: tuple[Availability, ...] = (
    "landelijk",
    "regionaal",
    "eigen_gemeente",
    "gestopt",
    "onbekend",
)
MUST: Literal["must"] = "must"
# What a known fact rests on: an independent source (research, a municipality's report,
# press), the vendor's own statement or pages, or a municipality's own experience.
EVIDENCE: tuple[str, ...] = ("onafhankelijk", "leverancier", "gemeente")
# Why a known fact has no source date: the source shows none, or nobody has looked yet.
UNDATED_REASONS: tuple[str, ...] = ("bron_zonder_datum", "niet_nagegaan")
IMPORTANCE_LEVELS: tuple[Importance, ...] = (0, 1, 2, 3, MUST)


@dataclass(frozen=True, slots=True)
class FactDef:
    """A fact a platform may have, from the schema in platforms.yaml."""

    id: str
    label: str
    type: FactType
    values: MappingProxyType[str, str] = field(default_factory=lambda: MappingProxyType({}))
    unit: str = ""
    # A fact that only means something when another fact says so (participation levels need
    # the participation function): where that other fact rules it out, it is not applicable.
    requires: Condition | None = None
    # A number fact that is known to be above zero when this holds (a municipal licence costs
    # money even when the amount is unknown).
    positive_when: Condition | None = None

    def value_label(self, value: str) -> str:
        """The Dutch label of a choice or set value."""
        return self.values.get(value, value)


@dataclass(frozen=True, slots=True)
class Fact:
    """What a source says about one fact of one platform (or that nobody knows)."""

    id: str
    status: Literal["known", "unknown", "not_applicable"]
    value: Any = None
    source: str = ""
    checked: dt.date | None = None
    note: str = ""
    # For an unknown number: a bound the value is known to exceed (None: nothing known).
    above: float | None = None
    # What the value rests on: one of EVIDENCE ("" for facts not yet classified).
    evidence: str = ""
    # The date of the source itself (None: unknown), besides `checked` (when it was verified).
    source_date: dt.date | None = None
    # Why an unknown source date is unknown: one of UNDATED_REASONS ("" when not said).
    undated: str = ""
    # A short qualifier said with the red flag this fact raises ("" when the flag says it all).
    flag_note: str = ""

    @property
    def known(self) -> bool:
        """Whether a source gives a value."""
        return self.status == "known"

    def same_as(self, other: Fact) -> bool:
        """Whether two facts say the same thing (sources and dates aside)."""
        return self.status == other.status and self.value == other.value


@dataclass(frozen=True, slots=True)
class Drawback:
    """A documented setback or limitation of a platform (low uptake, a stopped pilot...)."""

    text: str  # a data-file Text: Dutch, with its English beside it
    source: str
    checked: dt.date
    evidence: str  # one of EVIDENCE
    source_date: dt.date | None = None  # None: the source shows no date (see `undated`)
    undated: str = ""  # one of UNDATED_REASONS when source_date is None


@dataclass(frozen=True, slots=True)
class Platform:
    """One platform or approach in the catalogue."""

    id: str
    name: str
    url: str  # the link shown: the homepage when the catalogue gives one ("" when unknown)
    category: str
    description: str
    facts: MappingProxyType[str, Fact]
    location: Location = field(default=Location(""), compare=False)
    # The platform's own site ("" when unknown); `url` may point to a source about it.
    homepage: str = ""
    # Can another municipality adopt it? A fact (value one of AVAILABILITY) with its source.
    availability_fact: Fact = Fact("availability", "unknown")
    # Documented setbacks, each with its source: said wherever the platform is described.
    drawbacks: tuple[Drawback, ...] = ()

    @property
    def availability(self) -> Availability:
        """Whether another municipality can adopt it; 'onbekend' when nobody knows."""
        fact = self.availability_fact
        value: Availability = fact.value if fact.status == "known" else "onbekend"
        return value

    def fact(self, fact_id: str) -> Fact:
        """The fact, or an unknown fact when the catalogue says nothing."""
        return self.facts.get(fact_id) or Fact(fact_id, "unknown")


@dataclass(frozen=True, slots=True)
class Catalogue:
    """All platforms plus the fact schema; loaded from platforms.yaml."""

    version: str
    content_hash: str
    categories: MappingProxyType[str, str]
    facts: MappingProxyType[str, FactDef]
    platforms: tuple[Platform, ...]
    source: str = ""
    index: MappingProxyType[str, Platform] = field(
        default_factory=lambda: MappingProxyType({}), compare=False, repr=False
    )
    # Answer-independent satisfactions per criterion, filled on first use by the scorer.
    cache: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if len(self.index) != len(self.platforms):
            object.__setattr__(self, "index", MappingProxyType({p.id: p for p in self.platforms}))

    def platform(self, platform_id: str) -> Platform:
        """The platform with this id; KeyError if there is none."""
        return self.index[platform_id]

    def with_platforms(self, platforms: tuple[Platform, ...]) -> Catalogue:
        """A copy with another list of platforms (for what-if analyses)."""
        return Catalogue(
            self.version,
            self.content_hash,
            self.categories,
            self.facts,
            tuple(platforms),
            self.source,
        )


@dataclass(frozen=True, slots=True)
class Operand:
    """The value side of a comparison: a literal or an answer."""

    value: Any = None
    answer: str = ""


@dataclass(frozen=True, slots=True)
class Condition:
    """A parsed condition: an operator on a fact or answer, or a combination."""

    op: str
    subject: str = ""
    subject_kind: Literal["fact", "answer", ""] = ""
    operand: Operand | None = None
    children: tuple[Condition, ...] = ()
    location: Location = field(default=Location(""), compare=False)
    path: str = field(default="", compare=False)

    def facts(self) -> frozenset[str]:
        """Every fact the condition reads."""
        own = {self.subject} if self.subject_kind == "fact" else set()
        return frozenset(own.union(*(c.facts() for c in self.children)))

    def answers(self) -> frozenset[str]:
        """Every question whose answer the condition reads."""
        own = {self.subject} if self.subject_kind == "answer" else set()
        if self.operand and self.operand.answer:
            own.add(self.operand.answer)
        return frozenset(own.union(*(c.answers() for c in self.children)))


@dataclass(frozen=True, slots=True)
class Grade:
    """Satisfaction read from a table over a choice fact."""

    fact: str
    values: MappingProxyType[str, float]
    # Where each graded value and the fact were written, for reference errors.
    refs: MappingProxyType[str, tuple[Location, str]] = field(
        default_factory=lambda: MappingProxyType({}), compare=False, repr=False
    )


@dataclass(frozen=True, slots=True)
class Criterion:
    """A named, explainable aspect a platform can meet."""

    id: str
    label: str
    condition: Condition | None
    grade: Grade | None
    # What 'not applicable' means (an approach without software and open source, say): it
    # counts as met, as not met, or not at all ('neutral': neither met nor violated).
    not_applicable: Literal["met", "unmet", "neutral"]
    explain: MappingProxyType[str, str]
    ask: str
    location: Location = field(default=Location(""), compare=False)
    # For several platforms side by side: one member suffices (any), every member must
    # (all), or the members' numbers add up, like costs (sum).
    combine: Literal["any", "all", "sum"] = "all"
    # A known drawback said next to a platform that does not meet the criterion, even when
    # nobody asked about it ("" for an ordinary criterion); {platform} is the platform's name.
    red_flag: str = ""

    def facts(self) -> frozenset[str]:
        """Every fact the criterion reads."""
        if self.grade is not None:
            return frozenset({self.grade.fact})
        return self.condition.facts() if self.condition else frozenset()


@dataclass(frozen=True, slots=True)
class Activation:
    """An answer switching a criterion on with an importance."""

    criterion: str
    importance: Importance
    location: Location = field(default=Location(""), compare=False)
    path: str = field(default="", compare=False)


@dataclass(frozen=True, slots=True)
class Option:
    """An answer option of a single or multiple choice question."""

    id: str
    label: str
    activates: tuple[Activation, ...] = ()
    informational: bool = False
    # What already exists when this option is chosen, and how the advice builds on it:
    # said as something to connect or keep ("" when the option says nothing of the kind).
    builds_on: str = ""


@dataclass(frozen=True, slots=True)
class Question:
    """One question of the questionnaire."""

    id: str
    type: QuestionType
    text: str
    help: str
    section: str
    options: tuple[Option, ...] = ()
    activates: tuple[Activation, ...] = ()
    if_yes: tuple[Activation, ...] = ()
    if_no: tuple[Activation, ...] = ()
    criteria: tuple[str, ...] = ()
    criteria_refs: tuple[tuple[Location, str], ...] = field(default=(), compare=False, repr=False)
    show_if: Condition | None = None
    minimum: float | None = None
    maximum: float | None = None
    unit: str = ""
    max_length: int | None = None  # text questions: most characters an answer may have
    # Number questions: the dossier field ("inhabitants") whose value prefills the question
    # until it is answered, so what was given when the dossier was made is not asked again.
    prefill: str = ""
    location: Location = field(default=Location(""), compare=False)

    def option(self, option_id: str) -> Option | None:
        """The option with this id, if any."""
        for option in self.options:
            if option.id == option_id:
                return option
        return None


@dataclass(frozen=True, slots=True)
class Section:
    """A group of questions: one wizard step."""

    id: str
    title: str
    intro: str
    questions: tuple[Question, ...]
    # Important sections: while one of them has no answer, the advice is provisional
    # ("voorlopig"), and its unanswered questions count as unknown weight in coverage.
    important: bool = False


@dataclass(frozen=True, slots=True)
class Questionnaire:
    """Sections, questions and criteria; loaded from questions.yaml."""

    version: str
    content_hash: str
    sections: tuple[Section, ...]
    criteria: MappingProxyType[str, Criterion]
    texts: MappingProxyType[str, str]
    source: str = ""
    min_coverage: float = 50.0
    tie_margin: float = 5.0
    combinations_question: str = ""
    # "Platform + offline approach": the criterion that asks for offline residents, and the
    # catalogue category of approaches that serve them.
    offline_criterion: str = ""
    offline_category: str = ""
    # The catalogue fact that holds a platform's yearly cost (for combinations' cost range).
    cost_fact: str = ""
    # Goals first: the multiple-choice question whose options activate the goal criteria.
    goal_question: str = ""
    # The question and its options by which the advisor says a digital platform is the
    # instrument: then an offline approach complements a platform (see engine.goals).
    digital_question: str = ""
    digital_options: tuple[str, ...] = ()
    index: MappingProxyType[str, Question] = field(
        default_factory=lambda: MappingProxyType({}), compare=False, repr=False
    )
    # What the engine derives from the questionnaire alone (it is immutable), computed once;
    # not an init field, so dataclasses.replace() starts a copy with an empty cache.
    cache: dict[Any, Any] = field(default_factory=dict, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.index:
            object.__setattr__(self, "index", MappingProxyType({q.id: q for q in self.questions}))

    @property
    def questions(self) -> tuple[Question, ...]:
        """All questions in order."""
        cached: tuple[Question, ...] | None = self.cache.get("questions")
        if cached is None:
            cached = tuple(q for s in self.sections for q in s.questions)
            self.cache["questions"] = cached
        return cached

    def question(self, question_id: str) -> Question:
        """The question with this id; KeyError if there is none."""
        return self.index[question_id]

    def text(self, key: str, **values: str) -> str:
        """A generic sentence from the `texts` table, filled in."""
        from kompas.i18n import localise

        return format_text(localise(self.texts.get(key, "")), values)


class _Keep(dict):  # type: ignore[type-arg]
    """A mapping that leaves unknown {placeholders} as written."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def format_text(template: str, values: dict[str, str]) -> str:
    """Fill {placeholders}; unknown placeholders stay as written."""
    return template.format_map(_Keep(values))
