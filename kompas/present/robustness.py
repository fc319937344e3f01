"""How sure the advice is, in sentences recomputed from the analysis."""

from __future__ import annotations

import math

from kompas.engine.analysis import Analysis
from kompas.engine.leave_one_out import LeaveOneOut
from kompas.engine.matrix import Matrix
from kompas.engine.matrix import decision_matrix
from kompas.engine.model import Catalogue
from kompas.engine.model import Questionnaire
from kompas.engine.result import Advice
from kompas.engine.stability import Interval
from kompas.i18n import _
from kompas.i18n import localise
from kompas.present.model import IntervalRow
from kompas.present.model import RobustnessStory
from kompas.present.tiebreak import tie_break
from kompas.present.words import MAX_WEIGHT
from kompas.present.words import join_names
from kompas.present.words import points
from kompas.present.words import stability_label
from kompas.present.words import weight_text

_NUDGE = 0.01  # how far past a stability bound a weight is tried to confirm who leads


def _leader_with(matrix: Matrix, j: int, weight: float) -> list[str]:
    """Who leads when criterion j weighs `weight` (the kernel's own score and order)."""
    weights = list(matrix.weights)
    weights[j] = weight
    ids = matrix.platform_ids
    return [ids[i] for i in matrix.top(tuple(weights))]


def _template(heavier: bool, *, shared: bool) -> str:
    """The sentence for one side of a stability range, of a lone or a shared first place."""
    if shared:  # who shares it may change places among themselves at any other weight
        if heavier:
            return _(
                "De eerste plaats blijft bij {top} zolang '{criterion}' (nu gewicht {weight}) "
                "niet zwaarder weegt dan {bound} op de schaal van 0 tot 3, al kan hun onderlinge "
                "volgorde wisselen; weegt het zwaarder, dan komt {other} bovenaan."
            )
        return _(
            "De eerste plaats blijft bij {top} zolang '{criterion}' (nu gewicht {weight}) "
            "niet lichter weegt dan {bound}, al kan hun onderlinge volgorde wisselen; weegt "
            "het lichter, dan komt {other} bovenaan."
        )
    if heavier:
        return _(
            "{top} blijft bovenaan zolang '{criterion}' (nu gewicht {weight}) niet zwaarder "
            "weegt dan {bound} op de schaal van 0 tot 3; weegt het zwaarder, dan komt "
            "{other} bovenaan."
        )
    return _(
        "{top} blijft bovenaan zolang '{criterion}' (nu gewicht {weight}) niet lichter "
        "weegt dan {bound}; weegt het lichter, dan komt {other} bovenaan."
    )


def _interval_sentence(
    interval: Interval, tops: tuple[str, ...], matrix: Matrix, catalogue: Catalogue
) -> str | None:
    """The weight at which another platform leads, checked by scoring just past it.

    A shared first place is spoken of whole: it stays with those who share it, in an order
    among themselves that any weight may change.
    """
    j = next((k for k, a in enumerate(matrix.active) if a.id == interval.criterion_id), None)
    if j is None:
        return None
    label = localise(interval.label)
    w = interval.weight
    sides = []  # (bound, the weight just past it, whether heavier)
    if interval.upper < MAX_WEIGHT - 1e-9 and interval.above:
        sides.append((interval.upper, min(MAX_WEIGHT, interval.upper + _NUDGE), True))
    if interval.lower > 1e-9 and interval.below:
        sides.append((interval.lower, max(0.0, interval.lower - _NUDGE), False))
    for bound, trial, heavier in sides:
        leaders = _leader_with(matrix, j, trial)
        if not leaders or set(leaders) & set(tops):
            continue  # not confirmed by the kernel's own order: say nothing
        other = join_names(catalogue.platform(p).name for p in leaders)
        if heavier and w == 0:
            return _(
                "'{criterion}' telt nu niet mee (gewicht 0); weegt het {bound} of meer op de "
                "schaal van 0 tot 3, dan komt {other} bovenaan."
            ).format(criterion=label, bound=weight_text(bound), other=other)
        template = _template(heavier, shared=len(tops) > 1)
        return template.format(
            top=join_names((catalogue.platform(p).name for p in tops), limit=len(tops)),
            criterion=label,
            weight=weight_text(w),
            bound=weight_text(bound),
            other=other,
        )
    return None


def _distance(interval: Interval) -> float:
    """How close a criterion's weight is to changing the top (relative, smaller is closer)."""
    w = interval.weight
    up = (interval.upper - w) / max(w, 1.0) if math.isfinite(interval.upper) else math.inf
    down = (w - interval.lower) / max(w, 1.0) if interval.lower > 0 else math.inf
    return min(up, down)


def _no_advice() -> RobustnessStory:
    """The story when no platform has a score: nothing to be sure about."""
    return RobustnessStory(
        "none",
        stability_label("none"),
        (_("Er is nog geen advies: geen enkel platform heeft een score."),),
        (),
        (),
        (),
    )


def _label_line(advice: Advice, label: str) -> str:
    """The opening sentence: the stability label, with the shared top or the margin to number two."""
    ranking = advice.ranking
    leaders = [r for r in ranking if r.rank == ranking[0].rank]
    if len(leaders) > 1:
        return _("Het advies is {label}: {names} staan gelijk bovenaan.").format(
            label=stability_label(label), names=join_names(r.platform.name for r in leaders)
        )
    if len(ranking) > 1 and ranking[1].score is not None and ranking[0].score is not None:
        # A shared second place is named whole, as the first is.
        second = [r.platform.name for r in ranking if r.rank == ranking[1].rank]
        return _(
            "Het advies is {label}. Het verschil met de nummer twee, {other}, is {margin} punten."
        ).format(
            label=stability_label(label),
            other=join_names(second, limit=len(second)),
            margin=points(ranking[0].score - ranking[1].score),
        )
    return _("Het advies is {label}.").format(label=stability_label(label))


def _weight_lines(
    advice: Advice,
    analysis: Analysis,
    questionnaire: Questionnaire,
    catalogue: Catalogue,
    matrix: Matrix | None,
    limit: int,
) -> list[str]:
    """The critical weights, closest first, each confirmed by the kernel; or that none exists."""
    rob = analysis.robustness
    sentences = []
    for interval in sorted((i for i in rob.intervals if i.critical), key=_distance):
        if matrix is None:  # only needed to confirm who leads past a bound
            matrix = decision_matrix(questionnaire, catalogue, advice.answers)
        sentence = _interval_sentence(interval, rob.top, matrix, catalogue)
        if sentence:
            sentences.append(sentence)
    if sentences:
        return sentences[:limit]
    if len(rob.top) > 2:
        # The label line names the leaders already; naming them again pushes page 1 over.
        return [
            _(
                "Geen enkel criterium brengt een ander platform bovenaan dan de {n} die nu gelijk "
                "staan, zolang het gewicht binnen de schaal van 0 tot 3 blijft."
            ).format(n=len(rob.top))
        ]
    if len(rob.top) > 1:
        return [
            _(
                "Geen enkel criterium brengt een ander platform dan {names} bovenaan zolang het "
                "gewicht binnen de schaal van 0 tot 3 blijft."
            ).format(names=join_names(catalogue.platform(p).name for p in rob.top))
        ]
    return [
        _(
            "Geen enkel criterium verandert de eerste plaats zolang het gewicht binnen de "
            "schaal van 0 tot 3 blijft."
        )
    ]


def _without_answer_line(flip: LeaveOneOut, catalogue: Catalogue) -> str:
    """What would lead without one answer that changes the top."""
    question = localise(flip.question)
    if not flip.weighs:  # no platform left to score is not the same as none left at all
        return _(
            "Zonder uw antwoord op '{question}' zou geen enkel criterium meewegen: alle "
            "platforms zouden gelijk scoren."
        ).format(question=question)
    if not flip.top:
        return _("Zonder uw antwoord op '{question}' zou geen enkel platform overblijven.").format(
            question=question
        )
    if len(flip.top) == 1:
        return _("Zonder uw antwoord op '{question}' zou {name} bovenaan staan.").format(
            question=question, name=catalogue.platform(flip.top[0]).name
        )
    return _("Zonder uw antwoord op '{question}' zouden {names} samen bovenaan staan.").format(
        question=question, names=join_names(catalogue.platform(p).name for p in flip.top)
    )


def _answer_lines(analysis: Analysis, catalogue: Catalogue, limit: int) -> list[str]:
    """Which single answers change the top when left out; or that none does."""
    rob = analysis.robustness
    flips = [x for x in rob.leave_one_out if x.changes]
    lines = [_without_answer_line(x, catalogue) for x in flips[:limit]]
    if not flips and rob.leave_one_out:
        lines.append(_("Het weglaten van één antwoord verandert de eerste plaats niet."))
    return lines


def _interval_rows(analysis: Analysis, catalogue: Catalogue) -> tuple[IntervalRow, ...]:
    """The table of weight ranges: every criterion whose weight can change who leads."""
    return tuple(
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
        for i in analysis.robustness.intervals
        if i.above or i.below
    )


def robustness_story(
    advice: Advice,
    analysis: Analysis,
    questionnaire: Questionnaire,
    catalogue: Catalogue,
    matrix: Matrix | None,
    limit: int = 5,
) -> RobustnessStory:
    """How sure the advice is: the stability label and its sentences."""
    label = analysis.robustness.label
    if not analysis.robustness.top or not advice.ranking:
        return _no_advice()
    lines = [
        _label_line(advice, label),
        *_weight_lines(advice, analysis, questionnaire, catalogue, matrix, limit),
        *_answer_lines(analysis, catalogue, limit),
    ]
    tie_lines, separators = tie_break(advice, analysis, questionnaire, catalogue)
    return RobustnessStory(
        label,
        stability_label(label),
        tuple(lines),
        _interval_rows(analysis, catalogue),
        tie_lines,
        separators,
    )
