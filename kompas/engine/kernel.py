"""The decision kernel: the one place that says what an answer and a fact mean for a score.

Per platform and active criterion it defines the state (met, partial, unmet, unknown, not
applicable), the bounds of the satisfaction (low and high: equal when known, 0 and 1 when
unknown), the weight of an importance, what a must-have does in each state, and how the
weighted sums become fit, coverage, score and score range. Advise, the decision matrix,
robustness, tie-break, combinations, the lints and the workshop read these functions;
none of them re-implements a rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from typing import Literal

from kompas.engine.answers import visible_questions
from kompas.engine.conditions import NA
from kompas.engine.conditions import Satisfaction
from kompas.engine.conditions import evaluate
from kompas.engine.model import MUST
from kompas.engine.model import Catalogue
from kompas.engine.model import Criterion
from kompas.engine.model import Fact
from kompas.engine.model import Importance
from kompas.engine.model import Platform
from kompas.engine.model import Question
from kompas.engine.model import Questionnaire
from kompas.engine.result import Advice
from kompas.engine.result import Completeness
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


def reach(question: Question) -> dict[str, float]:
    """The most weight each criterion can get from some answer to this question."""
    levels: dict[str, Importance] = {}
    activations = list(question.activates) + list(question.if_yes) + list(question.if_no)
    for option in question.options:
        activations += option.activates
    for a in activations:
        levels[a.criterion] = stronger(levels.get(a.criterion), a.importance)
    for cid in question.criteria:
        levels[cid] = MUST
    return {cid: weight_of(level) for cid, level in levels.items()}


def counted_questions(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> list[Question]:
    """The questions completeness counts: shown for these answers, and not free text."""
    return [q for q in visible_questions(questionnaire, answers) if q.type != "text"]


def open_weight(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> float:
    """Weight the advice does not rest on yet: unanswered questions of important sections.

    Each such question counts with the most weight its answer could give (a criterion that
    is already active counts only what it could gain), so coverage cannot reach 100% while
    important questions are open.
    """
    important = {s.id for s in questionnaire.sections if s.important}
    total = 0.0
    for question in counted_questions(questionnaire, answers):
        if question.section in important and question.id not in answers:
            total += max(reach(question).values(), default=0.0)
    return total


def completeness(
    questionnaire: Questionnaire,
    catalogue: Catalogue,
    answers: Mapping[str, Any],
    leaders: Sequence[int],
) -> Completeness:
    """How much of the questionnaire the advice rests on, and which open questions matter most.

    Provisional ("voorlopig") while an important section has no answer, or fewer than half
    of the important sections' questions are answered. The decisive open questions are the
    unanswered ones whose answers could move the most weight between the leading platforms
    (`leaders`, indices into the catalogue).
    """
    shown = counted_questions(questionnaire, answers)
    answered = [q for q in shown if q.id in answers]
    important = [s for s in questionnaire.sections if s.important]
    open_sections = tuple(
        s.id
        for s in important
        if not any(q.id in answers for q in s.questions) and any(q.section == s.id for q in shown)
    )
    ids = {s.id for s in important}
    in_important = [q for q in shown if q.section in ids]
    share = sum(q.id in answers for q in in_important) / len(in_important) if in_important else 1
    potential: list[tuple[float, int, str]] = []
    for k, question in enumerate(shown):
        if question.id in answers:
            continue
        value = 0.0
        for cid, weight in reach(question).items():
            value += weight * _spread(questionnaire, catalogue, cid, answers, leaders)
        if value > EPSILON:
            potential.append((-value, k, question.id))
    return Completeness(
        len(answered),
        len(shown),
        open_sections,
        tuple(qid for _v, _k, qid in sorted(potential)[:DECISIVE]),
        bool(open_sections) or share < 0.5,
    )


DECISIVE = 5  # decisive open questions listed
LEADERS = 5  # the leading platforms between which an open question may decide


def _spread(
    questionnaire: Questionnaire,
    catalogue: Catalogue,
    criterion_id: str,
    answers: Mapping[str, Any],
    leaders: Sequence[int],
) -> float:
    """How far the leaders' middle satisfactions of a criterion lie apart (0-1).

    A criterion that compares with an answer not given yet may separate anyone: 1.
    """
    if len(leaders) < 2:
        return 0.0
    criterion = questionnaire.criteria[criterion_id]
    needed = criterion.condition.answers() if criterion.condition else frozenset()
    if any(q not in answers for q in needed):
        return 1.0
    column = criterion_column(questionnaire, catalogue, criterion_id, answers)
    mids = [
        (lo + hi) / 2
        for lo, hi in ((column.low[i], column.high[i]) for i in leaders)
        if lo is not None and hi is not None
    ]
    return max(mids) - min(mids) if mids else 0.0


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
