"""What the engine returns: frozen, explained results that every skin reads the same way."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from types import MappingProxyType
from typing import Any
from typing import Literal

from kompas.engine.answers import IgnoredAnswer
from kompas.engine.model import Importance
from kompas.engine.model import Platform

State = Literal["met", "partial", "unmet", "unknown", "not_applicable"]


@dataclass(frozen=True, slots=True)
class AnswerRef:
    """The answer that switched a criterion on."""

    question_id: str
    question: str
    answer: str


@dataclass(frozen=True, slots=True)
class ActiveCriterion:
    """A criterion the answers switched on, with its importance and why."""

    id: str
    label: str
    importance: Importance
    weight: float
    must: bool
    because: tuple[AnswerRef, ...]


@dataclass(frozen=True, slots=True)
class FactRef:
    """A platform fact a criterion read, with its source."""

    id: str
    label: str
    status: str
    value: str
    source: str
    checked: dt.date | None
    note: str
    evidence: str = ""  # onafhankelijk | leverancier | gemeente ("" not classified)
    source_date: dt.date | None = None
    local: bool = False  # given for this dossier only (e.g. by the vendor), not in the catalogue


@dataclass(frozen=True, slots=True)
class CriterionResult:
    """How one platform does on one active criterion, and why."""

    criterion_id: str
    label: str
    weight: float
    must: bool
    state: State
    satisfaction: float | None
    counted: bool
    text: str
    ask: str
    facts: tuple[FactRef, ...]
    because: tuple[AnswerRef, ...]


@dataclass(frozen=True, slots=True)
class PlatformResult:
    """A platform's fit, coverage and the reasons behind them."""

    platform: Platform
    fit: float | None
    coverage: float | None
    rank: int | None
    excluded_by: tuple[CriterionResult, ...] = ()
    to_verify: tuple[CriterionResult, ...] = ()
    notes: tuple[str, ...] = ()
    score: float | None = None
    lower: float | None = None
    upper: float | None = None
    # Explanations are built on first use: a ranking of 1,000 platforms needs few of them.
    explain: Callable[[], tuple[CriterionResult, ...]] | None = field(
        default=None, compare=False, repr=False
    )
    _results: list[tuple[CriterionResult, ...]] = field(
        default_factory=list, compare=False, repr=False
    )

    @property
    def results(self) -> tuple[CriterionResult, ...]:
        """One result per active criterion, in questionnaire order."""
        if not self._results:
            self._results.append(self.explain() if self.explain else ())
        return self._results[0]

    @property
    def excluded(self) -> bool:
        """Whether a must-have it does not meet excludes it."""
        return bool(self.excluded_by)

    @property
    def pros(self) -> tuple[CriterionResult, ...]:
        """Criteria it meets (fully or partly), heaviest first.

        A criterion that does not apply is no advantage, even where it counts as met (an
        approach without software shows no ads because it has no screen at all).
        """
        return _by_weight(
            r for r in self.results if r.counted and r.satisfaction and r.state != "not_applicable"
        )

    @property
    def cons(self) -> tuple[CriterionResult, ...]:
        """Criteria it does not meet, heaviest first."""
        return _by_weight(r for r in self.results if r.counted and r.satisfaction == 0.0)

    @property
    def unknowns(self) -> tuple[CriterionResult, ...]:
        """Criteria whose facts nobody knows, heaviest first."""
        return _by_weight(
            r for r in self.results if r.state == "unknown" and (r.weight > 0 or r.must)
        )

    def result(self, criterion_id: str) -> CriterionResult | None:
        """The result for one criterion, if it is active."""
        for r in self.results:
            if r.criterion_id == criterion_id:
                return r
        return None


def _by_weight(results: Any) -> tuple[CriterionResult, ...]:
    return tuple(sorted(results, key=lambda r: (not r.must, -r.weight, r.label)))


@dataclass(frozen=True, slots=True)
class VendorQuestion:
    """A question to put to a vendor because a fact that matters is unknown."""

    platform_id: str
    platform_name: str
    criterion_id: str
    criterion: str
    question: str
    must: bool


@dataclass(frozen=True, slots=True)
class Completeness:
    """How much of the questionnaire an advice rests on (filled by the decision kernel)."""

    answered: int  # questions with an answer (skipped and unanswered do not count)
    total: int  # questions that could be answered, given show_if on the answers
    open_sections: tuple[str, ...] = ()  # ids of important sections without any answer
    decisive_open: tuple[str, ...] = ()  # unanswered question ids, most decisive first
    provisional: bool = False  # "voorlopig": important questions are still open

    @property
    def share(self) -> float:
        """Percentage of the questions answered (0-100)."""
        return 100.0 * self.answered / self.total if self.total else 0.0


@dataclass(frozen=True, slots=True)
class Advice:
    """The explained outcome of one set of answers against one catalogue."""

    questionnaire_version: str
    questionnaire_hash: str
    catalogue_version: str
    catalogue_hash: str
    engine_version: str
    created: dt.datetime
    answers: MappingProxyType[str, Any]
    ignored: tuple[IgnoredAnswer, ...]
    active: tuple[ActiveCriterion, ...]
    ranking: tuple[PlatformResult, ...]
    excluded: tuple[PlatformResult, ...]
    # Filled by the decision kernel (issue 12); defaults keep older callers working.
    completeness: Completeness | None = None
    # Another municipality's own instance: an example to learn from, not a candidate.
    examples: tuple[PlatformResult, ...] = ()
    # Platforms whose project has stopped (availability 'gestopt'): not ranked.
    withdrawn: tuple[PlatformResult, ...] = ()
    # Facts given for this advice only (platform id -> fact id -> Fact), e.g. by a vendor.
    local_facts: MappingProxyType[str, MappingProxyType[str, Any]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    # Goals first: candidates no must-have excludes that are not known to serve any chosen
    # goal, in the same order, below the line (unranked; they may complement in combinations).
    aside: tuple[PlatformResult, ...] = ()
    # Where a digital platform is wanted: the offline approaches that serve a chosen goal and
    # only complement a platform ("aanvulling"), in the same order, unranked, after the ranking.
    complements: tuple[PlatformResult, ...] = ()

    @property
    def top(self) -> PlatformResult | None:
        """The best-fitting platform that no must-have excludes, if any."""
        return self.ranking[0] if self.ranking else None

    def result(self, platform_id: str) -> PlatformResult:
        """The result of one platform wherever the advice put it; KeyError if absent."""
        for r in (
            self.ranking
            + self.complements
            + self.aside
            + self.excluded
            + self.examples
            + self.withdrawn
        ):
            if r.platform.id == platform_id:
                return r
        raise KeyError(platform_id)

    def vendor_questions(self, top: int | None = 5) -> tuple[VendorQuestion, ...]:
        """Questions for the vendors of the top platforms: unknown facts that matter here."""
        chosen = self.ranking if top is None else self.ranking[:top]
        return tuple(
            VendorQuestion(pr.platform.id, pr.platform.name, r.criterion_id, r.label, r.ask, r.must)
            for pr in chosen
            for r in pr.unknowns
        )
