"""How sure is the advice: exact stability intervals, leave-one-out, and tie-breaks.

Scores are ratios of linear functions of any one criterion's weight, so the weights at
which another platform overtakes the top are roots of a quadratic: computed exactly,
not by sampling.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from kompas.engine.answers import Answers
from kompas.engine.answers import check_answers
from kompas.engine.answers import visible_questions
from kompas.engine.completeness import open_weight
from kompas.engine.goals import SERVES
from kompas.engine.goals import chosen_goals
from kompas.engine.kernel import EPSILON
from kompas.engine.kernel import MAX_WEIGHT
from kompas.engine.kernel import condition_answers
from kompas.engine.kernel import is_must
from kompas.engine.kernel import must_outcome
from kompas.engine.kernel import row_scores
from kompas.engine.kernel import stronger
from kompas.engine.kernel import weight_of
from kompas.engine.matrix import Matrix
from kompas.engine.matrix import build_matrix
from kompas.engine.matrix import decision_matrix
from kompas.engine.model import MUST
from kompas.engine.model import Catalogue
from kompas.engine.model import Question
from kompas.engine.model import Questionnaire
from kompas.engine.scoring import activation_table
from kompas.engine.scoring import activations
from kompas.engine.scoring import active_criteria


@dataclass(frozen=True, slots=True)
class Interval:
    """The weights of one criterion within which the current top stays on top."""

    criterion_id: str
    label: str
    weight: float
    lower: float
    upper: float  # math.inf when no weight makes another platform overtake
    below: str | None  # the platform that takes over under `lower`
    above: str | None  # the platform that takes over above `upper`

    @property
    def critical(self) -> bool:
        """Whether a change within the importance scale (0-3) would change the top."""
        return self.lower > EPSILON or self.upper < MAX_WEIGHT - EPSILON


@dataclass(frozen=True, slots=True)
class LeaveOneOut:
    """What the top would be without one answer."""

    question_id: str
    question: str
    top: tuple[str, ...]
    changes: bool


@dataclass(frozen=True, slots=True)
class Robustness:
    """How far the answers can move before the advice changes."""

    top: tuple[str, ...]
    runner_up: str | None
    margin: float | None
    intervals: tuple[Interval, ...]
    leave_one_out: tuple[LeaveOneOut, ...]
    label: str  # "solid" | "sensitive" | "shaky" | "none"

    @property
    def critical(self) -> tuple[Interval, ...]:
        """The criteria whose importance, changed within the scale, would flip the top."""
        return tuple(i for i in self.intervals if i.critical)


def _difference(
    matrix: Matrix, sums: dict[int, tuple[float, float]], t: int, p: int, j: int
) -> tuple[float, float, float]:
    """Coefficients of (score_t - score_p) x denominators, as a polynomial in weight x of j."""
    wj = matrix.weights[j]

    def parts(i: int) -> tuple[float, float, float, float]:
        achieved, total = sums[i]
        mid = matrix.middle(i, j)
        if mid is None:
            return achieved, total, 0.0, 0.0
        if wj > 0:  # take criterion j out of the sums: its weight becomes the variable x
            achieved, total = achieved - wj * mid, total - wj
        return achieved, total, mid, 1.0

    at, tt, aj_t, tj_t = parts(t)
    ap, tp, aj_p, tj_p = parts(p)
    # (at + x aj_t)(tp + x tj_p) - (ap + x aj_p)(tt + x tj_t)
    c2 = aj_t * tj_p - aj_p * tj_t
    c1 = at * tj_p + aj_t * tp - ap * tj_t - aj_p * tt
    c0 = at * tp - ap * tt
    return c2, c1, c0


def _roots(c2: float, c1: float, c0: float) -> list[float]:
    if abs(c2) < EPSILON:
        return [] if abs(c1) < EPSILON else [-c0 / c1]
    disc = c1 * c1 - 4 * c2 * c0
    if disc < -EPSILON:
        return []
    disc = math.sqrt(max(disc, 0.0))
    # The numerically stable pair of quadratic roots.
    q = -0.5 * (c1 + math.copysign(disc, c1))
    roots = [q / c2]
    if abs(q) > EPSILON:
        roots.append(c0 / q)
    return sorted(roots)


def _sign(c: tuple[float, float, float], x: float) -> int:
    """The sign of the polynomial at x; exact (rational arithmetic) when floats cannot tell."""
    value = (c[0] * x + c[1]) * x + c[2]
    scale = abs(c[0]) * x * x + abs(c[1]) * x + abs(c[2])
    if abs(value) > 1e-9 * max(scale, 1.0):
        return 1 if value > 0 else -1
    a, b, k, t = (Fraction(v) for v in (*c, x))
    exact = (a * t + b) * t + k
    return (exact > 0) - (exact < 0)


def _stable_range(coefficients: tuple[float, float, float], x0: float) -> tuple[float, float]:
    """The largest interval around x0 (within x >= 0) where the polynomial stays >= 0.

    The roots split [0, inf) into pieces of constant sign; each piece's sign is read at a
    point inside it, so a crossing is found however flat the polynomial is there.
    """
    roots = sorted({r for r in _roots(*coefficients) if r > 0})
    edges = [0.0, *roots, math.inf]
    pieces = []
    for left, right in itertools.pairwise(edges):
        inside = left + 1.0 if math.isinf(right) else (left + right) / 2
        pieces.append((left, right, _sign(coefficients, inside)))
    here = next(k for k, (left, right, _s) in enumerate(pieces) if left <= x0 <= right)
    # At x0 the top leads (sign >= 0); grow to both sides over pieces that are not negative.
    lower_k = upper_k = here
    if pieces[here][2] < 0:  # x0 sits exactly on a root: stay on the non-negative side(s)
        on_left = here > 0 and abs(pieces[here][0] - x0) <= EPSILON
        lower_k = upper_k = here - 1 if on_left else here
        if pieces[lower_k][2] < 0:
            return x0, x0
    while lower_k > 0 and pieces[lower_k - 1][2] >= 0:
        lower_k -= 1
    while upper_k + 1 < len(pieces) and pieces[upper_k + 1][2] >= 0:
        upper_k += 1
    lower = pieces[lower_k][0]
    upper = pieces[upper_k][1]
    return min(lower, x0), max(upper, x0)


def robustness(
    questionnaire: Questionnaire,
    catalogue: Catalogue,
    answers: Mapping[str, Any] | Answers,
    matrix: Matrix | None = None,
) -> Robustness:
    """Exact stability intervals per criterion, leave-one-out, and an overall label."""
    if not isinstance(answers, Answers):
        answers = check_answers(questionnaire, answers, strict=False)
    matrix = matrix or decision_matrix(questionnaire, catalogue, answers)
    ids = matrix.platform_ids
    tops = matrix.top()
    if not tops:
        return Robustness((), None, None, (), (), "none")
    t = tops[0]  # the leader in the one order (matrix.ranked, as `advise`)
    # Rivals are the platforms that can share the first place: ranked ones (goals first), and
    # no approach that only complements while the leader does not.
    scores = {
        i: matrix.score(i)
        for i in range(len(ids))
        if i not in matrix.excluded
        and matrix.tier(i) == SERVES
        and (i not in matrix.complements or t in matrix.complements)
    }
    others = sorted(
        (i for i, s in scores.items() if i != t and s is not None),
        key=lambda i: (matrix.key(i), matrix.name(i).casefold(), ids[i]),
    )
    margin = (scores[t] or 0.0) - (scores[others[0]] or 0.0) if others else None
    # A platform without a score now (nothing that counts for it) may get one, and lead,
    # once a criterion it does meet gains weight: it is a rival too.
    rivals = others + sorted((i for i, s in scores.items() if s is None), key=lambda i: ids[i])
    intervals = []
    sums = {i: matrix.sums(i) for i in [t, *rivals]}
    for j, ac in enumerate(matrix.active):
        if ac.must:
            continue
        lower, upper, below, above = 0.0, math.inf, None, None
        for p in rivals:
            lo, hi = _stable_range(_difference(matrix, sums, t, p, j), ac.weight)
            if hi < upper - EPSILON or (abs(hi - upper) < EPSILON and above and ids[p] < above):
                upper, above = hi, ids[p]
            if lo > lower + EPSILON or (
                abs(lo - lower) < EPSILON and lo > 0 and below and ids[p] < below
            ):
                lower, below = lo, ids[p]
        intervals.append(Interval(ac.id, ac.label, ac.weight, lower, upper, below, above))
    loo = _leave_one_out(questionnaire, answers, matrix, {ids[i] for i in tops})
    critical = sum(i.critical for i in intervals)
    flips = sum(x.changes for x in loo)
    if len(tops) > 1 or (margin is not None and margin < questionnaire.tie_margin) or critical >= 3:
        label = "shaky"
    elif critical or flips or not _surely_first(questionnaire, answers, matrix, t, others):
        label = "sensitive"
    else:
        label = "solid"
    return Robustness(
        tuple(ids[i] for i in tops),
        ids[others[0]] if others else None,
        margin,
        tuple(intervals),
        loo,
        label,
    )


def _surely_first(
    questionnaire: Questionnaire, answers: Answers, matrix: Matrix, t: int, others: list[int]
) -> bool:
    """Whether the leader surely beats every rival (its lowest reachable score is above their
    highest) and at least `min_coverage` percent of what matters is known about it: only
    then is the advice 'stevig'; a flip inside a wide range is never ruled out otherwise."""
    weights = matrix.weights
    top = row_scores(weights, matrix.low[t], matrix.high[t])
    coverage = top.coverage_with(open_weight(questionnaire, answers.values))
    if top.lower is None or coverage is None or coverage < questionnaire.min_coverage:
        return False
    for i in others:
        upper = row_scores(weights, matrix.low[i], matrix.high[i]).upper
        if upper is not None and upper >= top.lower - EPSILON:
            return False
    return True


def _leave_one_out(
    questionnaire: Questionnaire, answers: Answers, matrix: Matrix, top: set[str]
) -> tuple[LeaveOneOut, ...]:
    """Per answered question: the top without that answer (columns reused, weights redone)."""
    table = activation_table(questionnaire, answers)
    base = [matrix.sums(i) for i in range(len(matrix.platform_ids))]
    musts_now = [j for j, ac in enumerate(matrix.active) if ac.must]
    reads = condition_answers(questionnaire)
    results = []
    for question in questionnaire.questions:
        if question.id not in answers or question.type == "text":
            continue
        rest = {k: v for k, v in answers.values.items() if k != question.id}
        # Without this answer, follow-up questions may disappear, and their answers with them.
        shown = {q.id for q in visible_questions(questionnaire, rest)}
        levels: dict[str, Any] = {}
        for other, switched in table.items():
            if other == question.id or other not in shown:
                continue
            for cid, level in switched:
                levels[cid] = stronger(levels.get(cid), level)
        changed = []  # (criterion index, new weight, new must) where something differs
        for j, ac in enumerate(matrix.active):
            level = levels.get(ac.id)
            reads_it = any(qid == question.id or qid not in shown for qid in reads[ac.id])
            weight, must = (
                (0.0, False) if level is None or reads_it else (weight_of(level), is_must(level))
            )
            if weight != ac.weight or must != ac.must:
                changed.append((j, weight, must))
        # Without the answer that a digital platform is wanted, no approach only complements;
        # without a goal answer, its goals are no longer chosen.
        digital = question.id != questionnaire.digital_question
        chosen = chosen_goals(questionnaire, {k: v for k, v in rest.items() if k in shown})
        goals = tuple(j for j, ac in enumerate(matrix.active) if ac.id in chosen)
        new_top = _top_with_changes(matrix, base, changed, musts_now, digital, goals)
        results.append(LeaveOneOut(question.id, question.text, new_top, set(new_top) != top))
    return tuple(results)


def _top_with_changes(
    matrix: Matrix,
    base: list[tuple[float, float]],
    changed: list[tuple[int, float, bool]],
    musts_now: list[int],
    complements: bool = True,
    goals: tuple[int, ...] | None = None,
) -> tuple[str, ...]:
    """The top after changing a few criteria's weights: only those terms are redone.

    The same order as the advice: only candidates no must-have excludes, goals first, an
    approach that only complements after the platforms, then the score.
    """
    musts = set(musts_now) - {j for j, _w, m in changed if not m} | {j for j, _w, m in changed if m}
    weights = list(matrix.weights)
    for j, weight, _must in changed:
        weights[j] = weight
    new_weights = tuple(weights)
    scores: dict[int, float] = {}
    for i, (achieved, total) in enumerate(base):
        if i in matrix.outside or matrix.tier(i, new_weights, goals) != SERVES:
            continue
        if any(must_outcome(matrix.low[i][j], matrix.high[i][j]) == "fail" for j in musts):
            continue
        for j, weight, _must in changed:
            mid = matrix.middle(i, j)
            if mid is None:
                continue
            old = matrix.weights[j]
            old = old if old > 0 else 0.0
            new = weight if weight > 0 else 0.0
            achieved += (new - old) * mid
            total += new - old
        if total > EPSILON:
            scores[i] = 100.0 * achieved / total
    if not scores:
        return ()
    if complements:
        first = min(int(i in matrix.complements) for i in scores)
        scores = {i: v for i, v in scores.items() if int(i in matrix.complements) == first}
    best = max(scores.values())
    return tuple(sorted(matrix.platform_ids[i] for i, v in scores.items() if v >= best - EPSILON))


@dataclass(frozen=True, slots=True)
class Separator:
    """A question whose answer would separate the two leading platforms."""

    question_id: str
    question: str
    section_id: str
    answer: Any
    answer_label: str
    favours: str
    gap_after: float
    decisive: bool  # the answer would exclude one of the two


def tie_break(
    questionnaire: Questionnaire,
    catalogue: Catalogue,
    answers: Mapping[str, Any] | Answers,
    limit: int = 3,
    matrix: Matrix | None = None,
) -> tuple[tuple[str, str] | None, tuple[Separator, ...]]:
    """When the top two are within the tie margin: the questions that separate them most."""
    if not isinstance(answers, Answers):
        answers = check_answers(questionnaire, answers, strict=False)
    matrix = matrix or decision_matrix(questionnaire, catalogue, answers)
    ranked = matrix.ranked()
    if len(ranked) < 2:
        return None, ()
    a, b = ranked[0], ranked[1]
    gap = (matrix.score(a) or 0.0) - (matrix.score(b) or 0.0)
    if gap >= questionnaire.tie_margin:
        return None, ()
    pair = (matrix.platform_ids[a], matrix.platform_ids[b])
    # One two-platform catalogue for every trial, so its column cache carries over.
    sub = catalogue.with_platforms(tuple(catalogue.platform(p) for p in pair))
    best: dict[str, Separator] = {}
    wanted = {ac.id for ac in matrix.active if ac.weight > 0 or ac.must}
    for question in visible_questions(questionnaire, answers.values):
        if not _open(question, answers.values.get(question.id)):
            continue
        for value, label in _candidate_answers(question, questionnaire):
            if _new_requirement(question, value, questionnaire, wanted):
                continue
            trial = dict(answers.values)
            trial[question.id] = value
            checked = check_answers(questionnaire, trial, strict=False)
            m = build_matrix(
                questionnaire,
                sub,
                active_criteria(questionnaire, checked, explain=False),
                checked.values,
            )
            excluded = {m.platform_ids[i] for i in m.excluded}
            sa, sb = m.score(0), m.score(1)
            if excluded and len(excluded) == 1:
                favours = pair[1] if pair[0] in excluded else pair[0]
                gap_after, decisive = 100.0, True
            elif sa is None or sb is None or excluded:
                continue
            else:
                gap_after, decisive = abs(sa - sb), False
                favours = pair[0] if sa >= sb else pair[1]
            if gap_after <= gap + EPSILON and not decisive:
                continue
            current = best.get(question.id)
            if current is None or (decisive, gap_after) > (current.decisive, current.gap_after):
                best[question.id] = Separator(
                    question.id,
                    question.text,
                    question.section,
                    value,
                    label,
                    favours,
                    gap_after,
                    decisive,
                )
    ordered = sorted(best.values(), key=lambda s: (not s.decisive, -s.gap_after, s.question_id))
    return pair, tuple(ordered[:limit])


def _new_requirement(
    question: Question, value: Any, questionnaire: Questionnaire, wanted: set[str]
) -> bool:
    """Whether an answer would make a must-have of something the advisor did not ask for.

    A tie-break proposes answers to open questions; turning a goal the advisor never chose
    into a requirement would contradict the advisor's own goals, so it is not proposed.
    """
    return any(
        is_must(level) and cid not in wanted
        for cid, level, _label in activations(question, value, questionnaire.texts)
    )


def _open(question: Question, value: Any) -> bool:
    """Unanswered, or answered with 'maakt niet uit' (importance 0)."""
    if value is None:
        return question.type not in ("text", "number")
    return question.type == "importance" and value == 0


def _candidate_answers(question: Question, questionnaire: Questionnaire) -> list[tuple[Any, str]]:
    if question.type == "single":
        return [(o.id, o.label) for o in question.options if not o.informational]
    if question.type == "multiple":
        return [([o.id], o.label) for o in question.options if not o.informational]
    if question.type == "importance":
        return [(level, str(level)) for level in (1, 2, 3, MUST)]
    if question.type == "yesno":
        return [
            (True, questionnaire.texts.get("yes", "true")),
            (False, questionnaire.texts.get("no", "false")),
        ]
    return []
