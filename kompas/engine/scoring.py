"""advise(): answers -> active criteria -> per-platform fit, coverage, exclusions, reasons."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from kompas.engine.activation import active_criteria
from kompas.engine.answers import Answers
from kompas.engine.answers import check_answers
from kompas.engine.completeness import LEADERS
from kompas.engine.completeness import completeness
from kompas.engine.completeness import open_weight
from kompas.engine.criterion_results import criterion_result
from kompas.engine.goals import SERVES
from kompas.engine.goals import chosen_goals
from kompas.engine.goals import goal_columns
from kompas.engine.goals import goal_tier
from kompas.engine.goals import is_complement
from kompas.engine.goals import order_key
from kompas.engine.goals import shares_rank
from kompas.engine.kernel import MUST_WEIGHT  # noqa: F401 (re-exported)
from kompas.engine.kernel import Column
from kompas.engine.kernel import Scores
from kompas.engine.kernel import criterion_column
from kompas.engine.kernel import is_candidate
from kompas.engine.kernel import low_coverage
from kompas.engine.kernel import must_outcomes
from kompas.engine.kernel import weighted_sums
from kompas.engine.model import Catalogue
from kompas.engine.model import Fact
from kompas.engine.model import Platform
from kompas.engine.model import Questionnaire
from kompas.engine.questionnaire_checks import ensure_compatible
from kompas.engine.result import ActiveCriterion
from kompas.engine.result import Advice
from kompas.engine.result import CriterionResult
from kompas.engine.result import PlatformResult
from kompas.i18n import current_language
from kompas.i18n import language
from kompas.numbers import format_number
from kompas.version import ENGINE_VERSION


def advise(
    questionnaire: Questionnaire,
    catalogue: Catalogue,
    answers: Mapping[str, Any] | Answers,
    *,
    strict: bool = True,
    now: dt.datetime | None = None,
    lang: str | None = None,
    local_facts: Mapping[str, Mapping[str, Fact]] | None = None,
) -> Advice:
    """Score every platform in the catalogue against the answers and explain the outcome.

    Explanations are written in `lang` (default: the current language, Dutch unless set).
    `local_facts` (platform id -> fact id -> fact) overlay the catalogue's facts for this
    advice only, e.g. what a vendor told the advisor; their FactRefs say `local`.
    """
    if local_facts:
        from kompas.engine.catalogue import with_facts

        catalogue = with_facts(catalogue, local_facts)
    return advise_on(
        questionnaire, catalogue, answers, local_facts or {}, strict=strict, now=now, lang=lang
    )


def advise_on(
    questionnaire: Questionnaire,
    catalogue: Catalogue,
    answers: Mapping[str, Any] | Answers,
    local_facts: Mapping[str, Mapping[str, Fact]],
    *,
    strict: bool = True,
    now: dt.datetime | None = None,
    lang: str | None = None,
) -> Advice:
    """The advice on a catalogue that already holds `local_facts` (kompas.pipeline overlays
    them once and analyses the same catalogue); the FactRefs of those facts say `local`."""
    with language(lang or current_language()):
        return _advise(questionnaire, catalogue, answers, strict, now, local_facts)


def _advise(
    questionnaire: Questionnaire,
    catalogue: Catalogue,
    answers: Mapping[str, Any] | Answers,
    strict: bool,
    now: dt.datetime | None,
    local: Mapping[str, Mapping[str, Fact]],
) -> Advice:
    ensure_compatible(questionnaire, catalogue)
    if not isinstance(answers, Answers):
        answers = check_answers(questionnaire, answers, strict=strict)
    active = active_criteria(questionnaire, answers)
    columns = [criterion_column(questionnaire, catalogue, ac.id, answers.values) for ac in active]
    platforms = catalogue.platforms
    scores = weighted_sums([ac.weight for ac in active], columns, len(platforms))
    musts = must_outcomes([ac.must for ac in active], columns)
    tiers, keys = _tiers_and_keys(questionnaire, platforms, answers, active, columns, scores)
    order = sorted(
        range(len(platforms)),
        key=lambda i: (keys[i], platforms[i].name.casefold(), platforms[i].id),
    )
    unanswered = open_weight(questionnaire, answers.values)

    def result(i: int, rank: int | None, failed: Any, unsure: Any) -> PlatformResult:
        return _result(
            questionnaire,
            catalogue,
            i,
            active,
            columns,
            scores[i],
            rank,
            failed,
            unsure,
            unanswered,
            frozenset(local.get(platforms[i].id, ())),
        )

    (ranking, excluded, examples, withdrawn, aside, complements), leaders = _groups(
        platforms, order, musts, tiers, keys, result
    )
    return Advice(
        questionnaire.version,
        questionnaire.content_hash,
        catalogue.version,
        catalogue.content_hash,
        ENGINE_VERSION,
        now or dt.datetime.now(dt.UTC).replace(microsecond=0),
        answers.values,
        answers.ignored,
        active,
        tuple(ranking),
        tuple(excluded),
        completeness(questionnaire, catalogue, answers.values, leaders),
        tuple(examples),
        tuple(withdrawn),
        MappingProxyType({pid: MappingProxyType(dict(fs)) for pid, fs in local.items()}),
        tuple(aside),
        tuple(complements),
    )


def _groups(
    platforms: tuple[Platform, ...],
    order: list[int],
    musts: Mapping[int, Any],
    tiers: list[int],
    keys: list[Any],
    result: Callable[[int, int | None, Any, Any], PlatformResult],
) -> tuple[tuple[list[PlatformResult], ...], list[int]]:
    """The platforms in order, sorted into ranked, excluded, examples, withdrawn, aside and
    complements, and the indices of the leaders."""
    ranking: list[PlatformResult] = []
    excluded: list[PlatformResult] = []
    examples: list[PlatformResult] = []
    withdrawn: list[PlatformResult] = []
    aside: list[PlatformResult] = []
    complements: list[PlatformResult] = []
    leaders: list[int] = []
    previous: tuple[int, int, float, float] | None = None
    rank = 0
    for i in order:
        failed, unsure = musts.get(i, ((), ()))
        availability = platforms[i].availability
        if availability == "gestopt":
            withdrawn.append(result(i, None, failed, unsure))
        elif not is_candidate(platforms[i]):
            examples.append(result(i, None, failed, unsure))
        elif failed:
            excluded.append(result(i, None, failed, unsure))
        elif tiers[i] != SERVES:
            aside.append(result(i, None, failed, unsure))
        elif keys[i][1]:  # only complements a platform: listed apart, without a rank
            complements.append(result(i, None, failed, unsure))
        else:
            if previous is None or not shares_rank(keys[i], previous):
                rank, previous = len(ranking) + 1, keys[i]
            ranking.append(result(i, rank, failed, unsure))
            if len(leaders) < LEADERS:
                leaders.append(i)
    excluded.sort(key=lambda r: (r.platform.name.casefold(), r.platform.id))  # by name, not score
    return (ranking, excluded, examples, withdrawn, aside, complements), leaders


def _tiers_and_keys(
    questionnaire: Questionnaire,
    platforms: tuple[Platform, ...],
    answers: Answers,
    active: tuple[ActiveCriterion, ...],
    columns: list[Column],
    scores: list[Scores],
) -> tuple[list[int], list[Any]]:
    """Per platform: how it serves the chosen goals, and its place in the one order."""
    goals = goal_columns(
        chosen_goals(questionnaire, answers.values),
        [ac.id for ac in active],
        [ac.weight for ac in active],
    )
    tiers = [
        goal_tier([col.low[i] for col in columns], [col.high[i] for col in columns], goals)
        for i in range(len(platforms))
    ]
    keys = [
        order_key(
            tiers[i],
            is_complement(questionnaire, platforms[i], answers.values),
            s.score,
            s.coverage,
        )
        for i, s in enumerate(scores)
    ]
    return tiers, keys


def _result(
    questionnaire: Questionnaire,
    catalogue: Catalogue,
    index: int,
    active: tuple[ActiveCriterion, ...],
    columns: list[Column],
    scores: Scores,
    rank: int | None,
    failed: Any,
    unsure: Any,
    unanswered: float = 0.0,
    local: frozenset[str] = frozenset(),
) -> PlatformResult:
    platform = catalogue.platforms[index]
    criteria = questionnaire.criteria
    lang = current_language()

    def explain(only: Any = None) -> tuple[CriterionResult, ...]:
        chosen = range(len(active)) if only is None else only
        with language(lang):  # explanations may be read later, in another context
            return _explained(chosen)

    def _explained(chosen: Any) -> tuple[CriterionResult, ...]:
        return tuple(
            criterion_result(
                questionnaire,
                catalogue,
                platform,
                criteria[active[j].id],
                active[j],
                columns[j].raw[index],
                local,
            )
            for j in chosen
        )

    excluded_by = explain(failed) if failed else ()
    to_verify = explain(unsure) if unsure else ()
    coverage = scores.coverage_with(unanswered)
    notes = _notes(questionnaire, platform, excluded_by, to_verify, bool(failed), coverage)
    return PlatformResult(
        platform,
        scores.fit,
        coverage,
        rank,
        excluded_by,
        to_verify,
        notes,
        scores.score,
        scores.lower,
        scores.upper,
        explain,
    )


def _notes(
    questionnaire: Questionnaire,
    platform: Platform,
    excluded_by: tuple[CriterionResult, ...],
    to_verify: tuple[CriterionResult, ...],
    failed: bool,
    coverage: float | None,
) -> tuple[str, ...]:
    """The notes on a platform: why it drops out, what to verify, that little is known."""
    # An excluded platform is not "in beeld": its notes say why it drops out, nothing else.
    notes = tuple(
        questionnaire.text(key, platform=platform.name, criterion=r.label)
        for key, group in (("excluded", excluded_by), ("verify", () if failed else to_verify))
        for r in group
    )
    if low_coverage(coverage, questionnaire) and not failed:
        notes += (
            questionnaire.text(
                "low_coverage",
                platform=platform.name,
                min=format_number(questionnaire.min_coverage),
            ),
        )
    return notes
