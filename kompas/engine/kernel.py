"""The decision kernel: the one place that says what an answer and a fact mean for a score.

Per platform and active criterion it defines the state (met, partial, unmet, unknown, not
applicable), the bounds of the satisfaction (low and high: equal when known, 0 and 1 when
unknown), the weight of an importance, what a must-have does in each state, and how the
weighted sums become fit, coverage, score and score range. Advise, the decision matrix,
robustness, tie-break, combinations, the lints and the workshop read these functions;
none of them re-implements a rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from typing import Literal

from kompas.engine.conditions import NA
from kompas.engine.conditions import Satisfaction
from kompas.engine.conditions import evaluate
from kompas.engine.model import MUST
from kompas.engine.model import Catalogue
from kompas.engine.model import Criterion
from kompas.engine.model import Fact
from kompas.engine.model import Importance
from kompas.engine.model import Platform
from kompas.engine.model import Questionnaire
from kompas.engine.result import Advice
from kompas.engine.result import PlatformResult
from kompas.engine.result import State

EPSILON = 1e-9
# The weight of each importance: the scale the advisor sees (0-3) and a must-have, which
# weighs as much as 'zeer belangrijk' once a platform passes it.
WEIGHTS: Mapping[Importance, float] = {0: 0.0, 1: 1.0, 2: 2.0, 3: 3.0, MUST: 3.0}
MUST_WEIGHT = WEIGHTS[MUST]
MAX_WEIGHT = 3.0  # 'zeer belangrijk': the top of the importance scale

Bounds = tuple[float | None, float | None]
MustOutcome = Literal["pass", "verify", "fail"]


def weight_of(level: Importance) -> float:
    """The weight of an importance (0-3, or must)."""
    return WEIGHTS.get(level, float(level) if isinstance(level, int | float) else 0.0)


def is_must(level: Importance | None) -> bool:
    """Whether an importance makes its criterion a must-have."""
    return level == MUST


def stronger(current: Importance | None, new: Importance) -> Importance:
    """The stronger of two importances: must beats every number."""
    if current is None:
        return new
    if MUST in (current, new):
        return MUST
    return max(current, new)


def raw_satisfaction(
    criterion: Criterion, facts: Mapping[str, Fact], answers: Mapping[str, Any]
) -> Satisfaction:
    """A criterion's satisfaction for one platform: 0-1, None (unknown) or NA."""
    if criterion.grade is not None:
        fact = facts.get(criterion.grade.fact)
        if fact is None or fact.status == "unknown":
            return None
        if fact.status == "not_applicable":
            return NA
        return criterion.grade.values.get(fact.value, 0.0)
    if criterion.condition is not None:
        return evaluate(criterion.condition, facts, answers)
    return None


def state_of(raw: Satisfaction) -> State:
    """The state of a raw satisfaction."""
    if raw is NA:
        return "not_applicable"
    if raw is None:
        return "unknown"
    assert isinstance(raw, float | int)
    if raw >= 1.0:
        return "met"
    if raw <= 0.0:
        return "unmet"
    return "partial"


def bounds(criterion: Criterion, raw: Satisfaction) -> Bounds:
    """Low and high satisfaction of one platform on its own.

    Not applicable follows the criterion's declared direction: 'met' (an approach without
    software shows no ads), 'unmet' (it has no notice board) or 'neutral' (it has no source
    code, so 'open source' is neither met nor violated: the criterion does not count for
    it, and as a must-have it neither excludes nor needs verifying).
    """
    if raw is NA:
        rule = criterion.not_applicable
        if rule == "met":
            return 1.0, 1.0
        return (0.0, 0.0) if rule == "unmet" else (None, None)
    if raw is None:
        return 0.0, 1.0
    assert isinstance(raw, float | int)
    return float(raw), float(raw)


def member_bounds(criterion: Criterion, raw: Satisfaction) -> Bounds:
    """Low and high of one member of a combination (None, None: the other members carry it).

    As alone, except that a member to which a one-suffices ('any') criterion does not apply
    never carries it for the others: an offline approach complements a platform and never
    carries a software requirement.
    """
    if raw is NA and criterion.combine == "any" and criterion.not_applicable != "unmet":
        return None, None
    return bounds(criterion, raw)


def counts_as_member(criterion: Criterion, raw: Satisfaction) -> bool:
    """Whether a member's value counts in a combination (False: the others carry it)."""
    return member_bounds(criterion, raw)[0] is not None


# Availability: who can be adopted by another municipality and so ranked as a candidate.
CANDIDATE_AVAILABILITY = ("landelijk", "regionaal", "onbekend")


def is_candidate(platform: Platform) -> bool:
    """Whether a platform is ranked: not another municipality's own instance, not stopped."""
    return platform.availability in CANDIDATE_AVAILABILITY


def must_outcome(low: float | None, high: float | None) -> MustOutcome:
    """What a must-have does with a platform: pass, still to verify, or fail (exclude)."""
    if low is None or high is None:
        return "pass"
    if high <= 0.0:
        return "fail"
    if low < 1.0:
        return "verify"
    return "pass"


def satisfaction_shown(criterion: Criterion, raw: Satisfaction) -> float | None:
    """The satisfaction an explanation reports (None: does not count)."""
    low, high = bounds(criterion, raw)
    if low is None or low != high:
        return None
    return low


@dataclass(frozen=True, slots=True)
class Scores:
    """A platform's weighted sums and the numbers derived from them (0-100, or None)."""

    achieved: float  # weight times satisfaction, over the known criteria
    known: float  # weight of the criteria whose facts are known
    total: float  # weight of the criteria that count for the platform

    @property
    def fit(self) -> float | None:
        """Weighted share met, over the criteria whose facts are known."""
        return 100.0 * self.achieved / self.known if self.known > 0 else None

    @property
    def coverage(self) -> float | None:
        """Share of the weight whose facts are known."""
        return self.coverage_with(0.0)

    def coverage_with(self, open_weight: float) -> float | None:
        """Share of the weight known, counting unanswered important questions as unknown."""
        if self.total <= 0:
            return None
        return 100.0 * self.known / (self.total + open_weight)

    @property
    def lower(self) -> float | None:
        """The score if every unknown fact turned out not met."""
        return 100.0 * self.achieved / self.total if self.total > 0 else None

    @property
    def upper(self) -> float | None:
        """The score if every unknown fact turned out met."""
        if self.total <= 0:
            return None
        return 100.0 * (self.achieved + self.total - self.known) / self.total

    @property
    def score(self) -> float | None:
        """The ranking score: the middle of lower and upper, so unknown counts as half."""
        if self.total <= 0:
            return None
        return 100.0 * (self.achieved + 0.5 * (self.total - self.known)) / self.total


def row_scores(
    weights: Sequence[float], low: Sequence[float | None], high: Sequence[float | None]
) -> Scores:
    """The scores of one row of bounds under the given weights."""
    achieved = known = total = 0.0
    for w, lo, hi in zip(weights, low, high, strict=True):
        if lo is None or hi is None or w <= 0:
            continue
        total += w
        if lo == hi:
            known += w
            achieved += w * lo
        else:
            achieved += w * lo
    return Scores(achieved, known, total)


def middle_score(
    weights: Sequence[float], low: Sequence[float | None], high: Sequence[float | None]
) -> tuple[float, float]:
    """Weighted middle satisfaction and the weight that counts (the score's numerator, denominator)."""
    achieved = total = 0.0
    for w, lo, hi in zip(weights, low, high, strict=True):
        if lo is None or hi is None or w <= 0:
            continue
        total += w
        achieved += w * (lo + hi) / 2
    return achieved, total


def condition_answers(questionnaire: Questionnaire) -> Mapping[str, frozenset[str]]:
    """Per criterion, the questions its condition reads (computed once per questionnaire)."""
    cached: Mapping[str, frozenset[str]] | None = questionnaire.cache.get("condition-answers")
    if cached is None:
        cached = {
            cid: c.condition.answers() if c.condition else frozenset()
            for cid, c in questionnaire.criteria.items()
        }
        questionnaire.cache["condition-answers"] = cached
    return cached


@dataclass(frozen=True, slots=True)
class Column:
    """One criterion for every platform: raw satisfaction and bounds, split for fast sums."""

    raw: tuple[Satisfaction, ...]
    low: tuple[float | None, ...]
    high: tuple[float | None, ...]
    values: tuple[float, ...]  # the low bound, 0.0 where the criterion does not count
    unknown: tuple[int, ...]  # low != high
    skipped: tuple[int, ...]  # does not count for the platform


def criterion_column(
    questionnaire: Questionnaire,
    catalogue: Catalogue,
    criterion_id: str,
    answers: Mapping[str, Any],
) -> Column:
    """A criterion's column (cached on the catalogue when answers play no part)."""
    criterion = questionnaire.criteria[criterion_id]
    depends = bool(condition_answers(questionnaire)[criterion_id])
    key = ("column", questionnaire.content_hash, criterion_id)
    if not depends and key in catalogue.cache:
        cached: Column = catalogue.cache[key]
        return cached
    raw = tuple(raw_satisfaction(criterion, p.facts, answers) for p in catalogue.platforms)
    pairs = [bounds(criterion, r) for r in raw]
    low = tuple(p[0] for p in pairs)
    high = tuple(p[1] for p in pairs)
    column = Column(
        raw,
        low,
        high,
        tuple(0.0 if lo is None else lo for lo in low),
        tuple(i for i, (lo, hi) in enumerate(pairs) if lo is not None and lo != hi),
        tuple(i for i, (lo, _hi) in enumerate(pairs) if lo is None),
    )
    if not depends:
        catalogue.cache[key] = column
    return column


def weighted_sums(weights: Sequence[float], columns: Sequence[Column], n: int) -> list[Scores]:
    """Scores of every platform: column by column, with sparse corrections for speed."""
    achieved = [0.0] * n
    unknown = [0.0] * n
    skipped = [0.0] * n
    weight_sum = 0.0
    for w, column in zip(weights, columns, strict=True):
        if w <= 0:
            continue
        weight_sum += w
        achieved = [a + w * s for a, s in zip(achieved, column.values, strict=True)]
        for i in column.unknown:
            unknown[i] += w
        for i in column.skipped:
            skipped[i] += w
    return [
        Scores(achieved[i], weight_sum - skipped[i] - unknown[i], weight_sum - skipped[i])
        for i in range(n)
    ]


def must_outcomes(
    musts: Sequence[bool], columns: Sequence[Column]
) -> dict[int, tuple[list[int], list[int]]]:
    """Per platform: the must-haves it fails and the ones still to verify (by column index)."""
    outcomes: dict[int, tuple[list[int], list[int]]] = {}
    for j, (must, column) in enumerate(zip(musts, columns, strict=True)):
        if not must:
            continue
        for i, (lo, hi) in enumerate(zip(column.low, column.high, strict=True)):
            outcome = must_outcome(lo, hi)
            if outcome == "fail":
                outcomes.setdefault(i, ([], []))[0].append(j)
            elif outcome == "verify":
                outcomes.setdefault(i, ([], []))[1].append(j)
    return outcomes


def low_coverage(coverage: float | None, questionnaire: Questionnaire) -> bool:
    """'Weinig bekend': less than the questionnaire's minimum share of the weight is known."""
    return coverage is not None and coverage < questionnaire.min_coverage


STALE_AFTER = dt.timedelta(days=365)


def stale_since(source_date: dt.date | None, checked: dt.date | None) -> dt.date | None:
    """The date a fact's age is judged on: its source's own date, else when it was checked."""
    return source_date if source_date is not None else checked


def is_stale(
    known: bool, source_date: dt.date | None, checked: dt.date | None, today: dt.date
) -> bool:
    """The one staleness rule: a known fact whose source (or, undated, check) is over a year old.

    An unknown fact has no value that can go out of date, so it is never stale.
    """
    since = stale_since(source_date, checked)
    return known and since is not None and today - since > STALE_AFTER


def surely_beats(a: PlatformResult, b: PlatformResult) -> bool:
    """A surely beats B: A's lowest reachable score is above B's highest."""
    if a.lower is None or b.upper is None:
        return False
    return a.lower > b.upper


def shortlist(advice: Advice) -> tuple[PlatformResult, ...]:
    """The ranked platforms with a score that no other ranked platform surely beats."""
    scored = [r for r in advice.ranking if r.score is not None]
    return tuple(r for r in scored if not any(surely_beats(a, r) for a in scored))
