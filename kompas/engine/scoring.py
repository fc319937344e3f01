"""advise(): answers -> active criteria -> per-platform fit, coverage, exclusions, reasons."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from kompas.engine.answers import Answers
from kompas.engine.answers import check_answers
from kompas.engine.completeness import LEADERS
from kompas.engine.completeness import completeness
from kompas.engine.completeness import open_weight
from kompas.engine.conditions import NA
from kompas.engine.conditions import Satisfaction
from kompas.engine.goals import SERVES
from kompas.engine.goals import chosen_goals
from kompas.engine.goals import goal_columns
from kompas.engine.goals import goal_tier
from kompas.engine.goals import is_complement
from kompas.engine.goals import order_key
from kompas.engine.kernel import MUST_WEIGHT  # noqa: F401 (re-exported)
from kompas.engine.kernel import Column
from kompas.engine.kernel import Scores
from kompas.engine.kernel import bounds
from kompas.engine.kernel import condition_answers
from kompas.engine.kernel import criterion_column
from kompas.engine.kernel import is_candidate
from kompas.engine.kernel import is_must
from kompas.engine.kernel import low_coverage
from kompas.engine.kernel import must_outcomes
from kompas.engine.kernel import raw_satisfaction
from kompas.engine.kernel import state_of
from kompas.engine.kernel import stronger
from kompas.engine.kernel import weight_of
from kompas.engine.kernel import weighted_sums
from kompas.engine.model import Catalogue
from kompas.engine.model import Criterion
from kompas.engine.model import Fact
from kompas.engine.model import FactDef
from kompas.engine.model import Platform
from kompas.engine.model import Question
from kompas.engine.model import Questionnaire
from kompas.engine.model import format_text
from kompas.engine.questionnaire_checks import ensure_compatible
from kompas.engine.result import ActiveCriterion
from kompas.engine.result import Advice
from kompas.engine.result import AnswerRef
from kompas.engine.result import CriterionResult
from kompas.engine.result import FactRef
from kompas.engine.result import PlatformResult
from kompas.i18n import current_language
from kompas.i18n import language
from kompas.i18n import localise
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

    ranking: list[PlatformResult] = []
    excluded: list[PlatformResult] = []
    examples: list[PlatformResult] = []
    withdrawn: list[PlatformResult] = []
    aside: list[PlatformResult] = []
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
        else:
            if keys[i] != previous:
                rank, previous = len(ranking) + 1, keys[i]
            ranking.append(result(i, rank, failed, unsure))
            if len(leaders) < LEADERS:
                leaders.append(i)
    excluded.sort(key=lambda r: (r.platform.name.casefold(), r.platform.id))
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
    )


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
            _criterion_result(
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
    # An excluded platform is not "in beeld": its notes say why it drops out, nothing else.
    notes = tuple(
        questionnaire.text(key, platform=platform.name, criterion=r.label)
        for key, group in (("excluded", excluded_by), ("verify", () if failed else to_verify))
        for r in group
    )
    coverage = scores.coverage_with(unanswered)
    if low_coverage(coverage, questionnaire) and not failed:
        notes += (
            questionnaire.text(
                "low_coverage",
                platform=platform.name,
                min=format_number(questionnaire.min_coverage),
            ),
        )
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


def activation_table(
    questionnaire: Questionnaire, answers: Answers
) -> dict[str, list[tuple[str, Any]]]:
    """Per answered question: the criteria it switches on, with their importance."""
    return {
        question.id: [
            (cid, level)
            for cid, level, _label in activations(
                question, answers.get(question.id), questionnaire.texts
            )
        ]
        for question in questionnaire.questions
        if question.id in answers
    }


def active_criteria(
    questionnaire: Questionnaire, answers: Answers, *, explain: bool = True
) -> tuple[ActiveCriterion, ...]:
    """The criteria the answers switch on, each with its strongest importance and the answers why.

    With explain=False the `because` references are left empty and labels unlocalised: the
    what-if analyses score thousands of trial answers and never show why.
    """
    importance: dict[str, Any] = {}
    because: dict[str, list[AnswerRef]] = {}
    values = answers.values
    for question in questionnaire.questions:
        if question.id not in values:
            continue
        for criterion_id, level, label in activations(
            question, values[question.id], questionnaire.texts
        ):
            if explain:
                ref = AnswerRef(question.id, localise(question.text), localise(label))
                because.setdefault(criterion_id, []).append(ref)
            importance[criterion_id] = stronger(importance.get(criterion_id), level)
    needs = condition_answers(questionnaire)
    # Unexplained criteria depend only on id and importance: made once per questionnaire.
    plain: dict[tuple[str, Any], ActiveCriterion] = questionnaire.cache.setdefault("plain", {})
    active = []
    for criterion_id, level in importance.items():
        if any(q not in values for q in needs[criterion_id]):
            continue
        if not explain and (criterion_id, level) in plain:
            active.append(plain[criterion_id, level])
            continue
        criterion = questionnaire.criteria[criterion_id]
        made = ActiveCriterion(
            criterion_id,
            localise(criterion.label) if explain else criterion.label,
            level,
            weight_of(level),
            is_must(level),
            tuple(because.get(criterion_id, ())),
        )
        if not explain:
            plain[criterion_id, level] = made
        active.append(made)
    order = _criterion_order(questionnaire)
    return tuple(sorted(active, key=lambda a: order[a.id]))


def _criterion_order(questionnaire: Questionnaire) -> Mapping[str, int]:
    cached: Mapping[str, int] | None = questionnaire.cache.get("criterion-order")
    if cached is None:
        cached = {cid: i for i, cid in enumerate(questionnaire.criteria)}
        questionnaire.cache["criterion-order"] = cached
    return cached


def activations(
    question: Question, value: Any, texts: Mapping[str, str]
) -> list[tuple[str, Any, str]]:
    kind = question.type
    if kind == "single" or kind == "multiple":
        chosen = (value,) if kind == "single" else value
        return [
            (a.criterion, a.importance, option.label)
            for option in question.options
            if option.id in chosen
            for a in option.activates
        ]
    if kind == "importance":
        return [(cid, value, str(value)) for cid in question.criteria]
    if kind == "yesno":
        label = localise(texts.get("yes" if value else "no", str(value)))
        return [
            (a.criterion, a.importance, label)
            for a in (question.if_yes if value else question.if_no)
        ]
    if kind == "number":
        return [(a.criterion, a.importance, format_number(value)) for a in question.activates]
    return []


def satisfy(
    criterion: Criterion, facts: Mapping[str, Fact], answers: Mapping[str, Any]
) -> Satisfaction:
    """A criterion's satisfaction for one platform alone, as the score counts it."""
    raw = raw_satisfaction(criterion, facts, answers)
    low, high = bounds(criterion, raw)
    if low is None:
        return NA
    return None if low != high else low


def _criterion_result(
    questionnaire: Questionnaire,
    catalogue: Catalogue,
    platform: Platform,
    criterion: Criterion,
    ac: ActiveCriterion,
    raw: Satisfaction,
    local: frozenset[str] = frozenset(),
) -> CriterionResult:
    state = state_of(raw)
    low, high = bounds(criterion, raw)
    satisfaction = None if low is None or low != high else low
    key: str = state
    if raw is NA and criterion.not_applicable != "neutral":
        key = f"not_applicable_{criterion.not_applicable}"
    facts = tuple(
        fact_ref(catalogue.facts[f], platform.fact(f), questionnaire.texts, f in local)
        for f in sorted(criterion.facts())
    )
    template = localise(
        criterion.explain.get(key)
        or questionnaire.texts.get(key)
        or criterion.explain.get("met" if key == "not_applicable_met" else key)
        or questionnaire.texts.get("met" if key == "not_applicable_met" else key, "")
    )
    text = format_text(
        template,
        {
            "platform": platform.name,
            "criterion": localise(criterion.label),
            "value": "; ".join(f.value for f in facts if f.status == "known"),
        },
    )
    counted = low is not None and ac.weight > 0
    return CriterionResult(
        criterion.id,
        localise(criterion.label),
        ac.weight,
        ac.must,
        state,
        satisfaction,
        counted,
        text,
        localise(criterion.ask),
        facts,
        ac.because,
    )


def fact_ref(spec: FactDef, fact: Fact, texts: Mapping[str, str], local: bool = False) -> FactRef:
    """A fact with its value written out in the current language's labels."""
    return FactRef(
        spec.id,
        localise(spec.label),
        fact.status,
        describe_value(spec, fact, texts),
        fact.source,
        fact.checked,
        localise(fact.note),
        fact.evidence,
        fact.source_date,
        local,
    )


def describe_value(spec: FactDef, fact: Fact, texts: Mapping[str, str]) -> str:
    """The value of a fact as text for people (empty when unknown or not applicable)."""
    if not fact.known:
        return ""
    value = fact.value
    if spec.type == "bool":
        return str(localise(texts["yes"] if value else texts["no"]))
    if spec.type == "choice":
        return str(localise(spec.value_label(value)))
    if spec.type == "set":
        labels = [localise(spec.value_label(v)) for v in spec.values if v in value]
        return ", ".join(labels) or localise(texts["none"])
    unit = f" {localise(spec.unit)}" if spec.unit else ""
    if spec.type == "range":
        low, high = value["min"], value["max"]
        if low == high:
            return format_number(low) + unit
        values = {"min": format_number(low), "max": format_number(high)}
        return format_text(localise(texts["range"]), values) + unit
    if spec.type == "number":
        return format_number(value) + unit
    return localise(value) if isinstance(value, str) else str(value)
