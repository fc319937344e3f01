"""advise(): answers -> active criteria -> per-platform fit, coverage, exclusions, reasons."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import Any

from kompas.engine.answers import Answers
from kompas.engine.answers import check_answers
from kompas.engine.conditions import NA
from kompas.engine.conditions import Satisfaction
from kompas.engine.conditions import evaluate
from kompas.engine.model import MUST
from kompas.engine.model import Catalogue
from kompas.engine.model import Criterion
from kompas.engine.model import Fact
from kompas.engine.model import FactDef
from kompas.engine.model import Platform
from kompas.engine.model import Question
from kompas.engine.model import Questionnaire
from kompas.engine.model import format_text
from kompas.engine.questionnaire import ensure_compatible
from kompas.engine.result import ActiveCriterion
from kompas.engine.result import Advice
from kompas.engine.result import AnswerRef
from kompas.engine.result import CriterionResult
from kompas.engine.result import FactRef
from kompas.engine.result import PlatformResult
from kompas.engine.result import State
from kompas.version import ENGINE_VERSION

MUST_WEIGHT = 3.0


def advise(
    questionnaire: Questionnaire,
    catalogue: Catalogue,
    answers: Mapping[str, Any] | Answers,
    *,
    strict: bool = True,
    now: dt.datetime | None = None,
) -> Advice:
    """Score every platform in the catalogue against the answers and explain the outcome."""
    ensure_compatible(questionnaire, catalogue)
    if not isinstance(answers, Answers):
        answers = check_answers(questionnaire, answers, strict=strict)
    active = active_criteria(questionnaire, answers)
    results = [
        score_platform(questionnaire, catalogue, p, active, answers.values)
        for p in catalogue.platforms
    ]
    ranked = sorted((r for r in results if not r.excluded), key=_rank_key)
    excluded = sorted((r for r in results if r.excluded), key=lambda r: (r.platform.name.casefold(), r.platform.id))
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
        _with_ranks(ranked),
        tuple(excluded),
    )


def _rank_key(r: PlatformResult) -> tuple[Any, ...]:
    fit = -1.0 if r.fit is None else r.fit
    return (-round(fit, 9), -round(r.coverage or 0.0, 9), r.platform.name.casefold(), r.platform.id)


def _with_ranks(ranked: list[PlatformResult]) -> tuple[PlatformResult, ...]:
    out: list[PlatformResult] = []
    previous: tuple[Any, ...] | None = None
    rank = 0
    for i, r in enumerate(ranked, start=1):
        key = _rank_key(r)[:2]
        if key != previous:
            rank, previous = i, key
        out.append(replace(r, rank=rank))
    return tuple(out)


def active_criteria(questionnaire: Questionnaire, answers: Answers) -> tuple[ActiveCriterion, ...]:
    """The criteria the answers switch on, each with its strongest importance and the answers why."""
    importance: dict[str, Any] = {}
    because: dict[str, list[AnswerRef]] = {}
    for question in questionnaire.questions:
        if question.id not in answers:
            continue
        value = answers.get(question.id)
        for criterion_id, level, label in _activations(question, value, questionnaire.texts):
            ref = AnswerRef(question.id, question.text, label)
            because.setdefault(criterion_id, []).append(ref)
            importance[criterion_id] = _stronger(importance.get(criterion_id), level)
    active = []
    for criterion_id, level in importance.items():
        criterion = questionnaire.criteria[criterion_id]
        needed = criterion.condition.answers() if criterion.condition else frozenset()
        if any(q not in answers for q in needed):
            continue
        must = level == MUST
        weight = MUST_WEIGHT if must else float(level)
        active.append(
            ActiveCriterion(criterion_id, criterion.label, level, weight, must, tuple(because[criterion_id]))
        )
    order = {cid: i for i, cid in enumerate(questionnaire.criteria)}
    return tuple(sorted(active, key=lambda a: order[a.id]))


def _stronger(current: Any, new: Any) -> Any:
    if current is None:
        return new
    if MUST in (current, new):
        return MUST
    return max(current, new)


def _activations(question: Question, value: Any, texts: Mapping[str, str]) -> list[tuple[str, Any, str]]:
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
        label = texts.get("yes" if value else "no", str(value))
        return [(a.criterion, a.importance, label) for a in (question.if_yes if value else question.if_no)]
    if kind == "number":
        return [(a.criterion, a.importance, format_number(value)) for a in question.activates]
    return []


def score_platform(
    questionnaire: Questionnaire,
    catalogue: Catalogue,
    platform: Platform,
    active: tuple[ActiveCriterion, ...],
    answers: Mapping[str, Any] | None = None,
) -> PlatformResult:
    """Fit and coverage of one platform on the active criteria."""
    values = answers if answers is not None else {}
    results = []
    for ac in active:
        criterion = questionnaire.criteria[ac.id]
        raw = raw_satisfaction(criterion, platform.facts, values)
        results.append(_criterion_result(questionnaire, catalogue, platform, criterion, ac, raw))
    known = total = achieved = 0.0
    for r in results:
        if not r.counted:
            continue
        total += r.weight
        if r.satisfaction is not None:
            known += r.weight
            achieved += r.weight * r.satisfaction
    fit = 100.0 * achieved / known if known else None
    coverage = 100.0 * known / total if total else None
    excluded_by = tuple(r for r in results if r.must and r.satisfaction == 0.0)
    to_verify = tuple(r for r in results if r.must and r.state in ("unknown", "partial"))
    notes = tuple(
        questionnaire.text(key, platform=platform.name, criterion=r.label)
        for key, group in (("excluded", excluded_by), ("verify", to_verify))
        for r in group
    )
    return PlatformResult(platform, fit, coverage, None, tuple(results), excluded_by, to_verify, notes)


def satisfy(criterion: Criterion, facts: Mapping[str, Fact], answers: Mapping[str, Any]) -> Satisfaction:
    """A criterion's satisfaction for one platform, after its not-applicable rule."""
    value = raw_satisfaction(criterion, facts, answers)
    if value is NA:
        return {"met": 1.0, "unmet": 0.0}.get(criterion.not_applicable, NA)
    return value


def raw_satisfaction(
    criterion: Criterion, facts: Mapping[str, Fact], answers: Mapping[str, Any]
) -> Satisfaction:
    """A criterion's satisfaction before the not-applicable rule (NA stays NA)."""
    if criterion.grade is not None:
        fact = facts.get(criterion.grade.fact)
        if fact is None or fact.status == "unknown":
            value: Satisfaction = None
        elif fact.status == "not_applicable":
            value = NA
        else:
            value = criterion.grade.values.get(fact.value, 0.0)
    elif criterion.condition is not None:
        value = evaluate(criterion.condition, facts, answers)
    else:
        value = None
    return value


def _state(satisfaction: Satisfaction) -> State:
    if satisfaction is NA:
        return "not_applicable"
    if satisfaction is None:
        return "unknown"
    if satisfaction >= 1.0:
        return "met"
    if satisfaction <= 0.0:
        return "unmet"
    return "partial"


def _criterion_result(
    questionnaire: Questionnaire,
    catalogue: Catalogue,
    platform: Platform,
    criterion: Criterion,
    ac: ActiveCriterion,
    raw: Satisfaction,
) -> CriterionResult:
    state = _state(raw)
    satisfaction: float | None = None
    key: str = state
    if raw is NA:
        if criterion.not_applicable != "skip":
            satisfaction = 1.0 if criterion.not_applicable == "met" else 0.0
            key = f"not_applicable_{criterion.not_applicable}"
    else:
        satisfaction = raw  # type: ignore[assignment]
    facts = tuple(
        fact_ref(catalogue.facts[f], platform.fact(f), questionnaire.texts) for f in sorted(criterion.facts())
    )
    template = criterion.explain.get(key) or questionnaire.texts.get(key, "")
    text = format_text(
        template,
        {
            "platform": platform.name,
            "criterion": criterion.label,
            "value": "; ".join(f.value for f in facts if f.status == "known"),
        },
    )
    counted = (state != "not_applicable" or satisfaction is not None) and ac.weight > 0
    return CriterionResult(
        criterion.id,
        criterion.label,
        ac.weight,
        ac.must,
        state,
        satisfaction,
        counted,
        text,
        criterion.ask,
        facts,
        ac.because,
    )


def fact_ref(spec: FactDef, fact: Fact, texts: Mapping[str, str]) -> FactRef:
    """A fact with its value written out in Dutch labels."""
    return FactRef(
        spec.id, spec.label, fact.status, describe_value(spec, fact, texts), fact.source, fact.checked,
        fact.note,
    )


def describe_value(spec: FactDef, fact: Fact, texts: Mapping[str, str]) -> str:
    """The value of a fact as text for people (empty when unknown or not applicable)."""
    if not fact.known:
        return ""
    value = fact.value
    if spec.type == "bool":
        return texts["yes"] if value else texts["no"]
    if spec.type == "choice":
        return spec.value_label(value)
    if spec.type == "set":
        return ", ".join(spec.value_label(v) for v in spec.values if v in value) or texts["none"]
    unit = f" {spec.unit}" if spec.unit else ""
    if spec.type == "range":
        low, high = value["min"], value["max"]
        if low == high:
            return format_number(low) + unit
        return format_text(texts["range"], {"min": format_number(low), "max": format_number(high)}) + unit
    if spec.type == "number":
        return format_number(value) + unit
    return str(value)


def format_number(value: float) -> str:
    """A number written the Dutch way: 12.500 and 2,5."""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    return f"{value:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".").rstrip("0").rstrip(",")
