"""advise(): answers -> active criteria -> per-platform fit, coverage, exclusions, reasons."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
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
from kompas.i18n import current_language
from kompas.i18n import language
from kompas.i18n import localise
from kompas.version import ENGINE_VERSION

MUST_WEIGHT = 3.0


def advise(
    questionnaire: Questionnaire,
    catalogue: Catalogue,
    answers: Mapping[str, Any] | Answers,
    *,
    strict: bool = True,
    now: dt.datetime | None = None,
    lang: str | None = None,
) -> Advice:
    """Score every platform in the catalogue against the answers and explain the outcome.

    Explanations are written in `lang` (default: the current language, Dutch unless set).
    """
    with language(lang or current_language()):
        return _advise(questionnaire, catalogue, answers, strict, now)


def _advise(
    questionnaire: Questionnaire,
    catalogue: Catalogue,
    answers: Mapping[str, Any] | Answers,
    strict: bool,
    now: dt.datetime | None,
) -> Advice:
    ensure_compatible(questionnaire, catalogue)
    if not isinstance(answers, Answers):
        answers = check_answers(questionnaire, answers, strict=strict)
    active = active_criteria(questionnaire, answers)
    columns = [criterion_column(questionnaire, catalogue, ac.id, answers.values) for ac in active]
    platforms = catalogue.platforms
    scores = _weighted_sums(questionnaire, len(platforms), active, columns)
    musts = _must_outcomes(questionnaire, len(platforms), active, columns)
    keys = [
        (-1.0 if s.score is None else -round(s.score, 9), -round(s.coverage or 0.0, 9))
        for s in scores
    ]
    order = sorted(
        range(len(platforms)),
        key=lambda i: (keys[i], platforms[i].name.casefold(), platforms[i].id),
    )
    ranking: list[PlatformResult] = []
    excluded: list[PlatformResult] = []
    previous: tuple[float, float] | None = None
    rank = 0
    for i in order:
        failed, unsure = musts.get(i, ((), ()))
        if failed:
            excluded.append(
                _result(
                    questionnaire, catalogue, i, active, columns, scores[i], None, failed, unsure
                )
            )
            continue
        if keys[i] != previous:
            rank, previous = len(ranking) + 1, keys[i]
        ranking.append(
            _result(questionnaire, catalogue, i, active, columns, scores[i], rank, failed, unsure)
        )
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
    )


@dataclass(frozen=True, slots=True)
class _Column:
    """One criterion's raw satisfaction for every platform, split for fast weighted sums."""

    raw: tuple[Satisfaction, ...]
    values: tuple[float, ...]  # unknown and not applicable as 0.0
    unknown: tuple[int, ...]
    not_applicable: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Scores:
    """A platform's weighted sums and the numbers derived from them (0-100, or None)."""

    achieved: float
    known: float
    total: float

    @property
    def fit(self) -> float | None:
        """Weighted share met, over the criteria whose facts are known."""
        return 100.0 * self.achieved / self.known if self.known > 0 else None

    @property
    def coverage(self) -> float | None:
        """Share of the weight whose facts are known."""
        return 100.0 * self.known / self.total if self.total > 0 else None

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


def criterion_column(
    questionnaire: Questionnaire,
    catalogue: Catalogue,
    criterion_id: str,
    answers: Mapping[str, Any],
) -> _Column:
    """A criterion's column (cached on the catalogue when answers play no part)."""
    criterion = questionnaire.criteria[criterion_id]
    depends = criterion.condition is not None and bool(criterion.condition.answers())
    key = (questionnaire.content_hash, criterion_id)
    if not depends and key in catalogue.cache:
        return catalogue.cache[key]  # type: ignore[no-any-return]
    raw = tuple(raw_satisfaction(criterion, p.facts, answers) for p in catalogue.platforms)
    column = _Column(
        raw,
        tuple(s if isinstance(s, float) else 0.0 for s in raw),
        tuple(i for i, s in enumerate(raw) if s is None),
        tuple(i for i, s in enumerate(raw) if s is NA),
    )
    if not depends:
        catalogue.cache[key] = column
    return column


def _weighted_sums(
    questionnaire: Questionnaire,
    n: int,
    active: tuple[ActiveCriterion, ...],
    columns: list[_Column],
) -> list[Scores]:
    """Weighted sums for every platform: column-wise, with sparse corrections."""
    achieved = [0.0] * n
    unknown = [0.0] * n
    skipped = [0.0] * n
    weight_sum = 0.0
    for ac, column in zip(active, columns, strict=True):
        w = ac.weight
        if w <= 0:
            continue
        weight_sum += w
        achieved = [a + w * s for a, s in zip(achieved, column.values, strict=True)]
        for i in column.unknown:
            unknown[i] += w
        rule = questionnaire.criteria[ac.id].not_applicable
        # Not applicable never earns points: it is skipped, or counts as not met ('unmet').
        if rule == "skip":
            for i in column.not_applicable:
                skipped[i] += w
    return [
        Scores(achieved[i], weight_sum - skipped[i] - unknown[i], weight_sum - skipped[i])
        for i in range(n)
    ]


def _must_outcomes(
    questionnaire: Questionnaire,
    n: int,
    active: tuple[ActiveCriterion, ...],
    columns: list[_Column],
) -> dict[int, tuple[list[int], list[int]]]:
    """Per platform: the must-haves it fails and the ones still to verify (by active index)."""
    outcomes: dict[int, tuple[list[int], list[int]]] = {}
    for j, (ac, column) in enumerate(zip(active, columns, strict=True)):
        if not ac.must:
            continue
        rule = questionnaire.criteria[ac.id].not_applicable
        for i, raw in enumerate(column.raw):
            if raw is NA:
                if rule == "skip":
                    continue
                raw = 0.0
            if raw == 0.0:
                outcomes.setdefault(i, ([], []))[0].append(j)
            elif raw is None or raw < 1.0:  # type: ignore[operator]
                outcomes.setdefault(i, ([], []))[1].append(j)
    return outcomes


def _result(
    questionnaire: Questionnaire,
    catalogue: Catalogue,
    index: int,
    active: tuple[ActiveCriterion, ...],
    columns: list[_Column],
    scores: Scores,
    rank: int | None,
    failed: Any,
    unsure: Any,
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
            )
            for j in chosen
        )

    excluded_by = explain(failed) if failed else ()
    to_verify = explain(unsure) if unsure else ()
    notes = tuple(
        questionnaire.text(key, platform=platform.name, criterion=r.label)
        for key, group in (("excluded", excluded_by), ("verify", to_verify))
        for r in group
    )
    coverage = scores.coverage
    if coverage is not None and coverage < questionnaire.min_coverage:
        notes += (
            questionnaire.text(
                "low_coverage", platform=platform.name, min=f"{questionnaire.min_coverage:g}"
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
            for cid, level, _label in _activations(
                question, answers.get(question.id), questionnaire.texts
            )
        ]
        for question in questionnaire.questions
        if question.id in answers
    }


def active_criteria(questionnaire: Questionnaire, answers: Answers) -> tuple[ActiveCriterion, ...]:
    """The criteria the answers switch on, each with its strongest importance and the answers why."""
    importance: dict[str, Any] = {}
    because: dict[str, list[AnswerRef]] = {}
    for question in questionnaire.questions:
        if question.id not in answers:
            continue
        value = answers.get(question.id)
        for criterion_id, level, label in _activations(question, value, questionnaire.texts):
            ref = AnswerRef(question.id, localise(question.text), localise(label))
            because.setdefault(criterion_id, []).append(ref)
            importance[criterion_id] = stronger(importance.get(criterion_id), level)
    active = []
    for criterion_id, level in importance.items():
        criterion = questionnaire.criteria[criterion_id]
        needed = criterion.condition.answers() if criterion.condition else frozenset()
        if any(q not in answers for q in needed):
            continue
        must = level == MUST
        weight = MUST_WEIGHT if must else float(level)
        active.append(
            ActiveCriterion(
                criterion_id,
                localise(criterion.label),
                level,
                weight,
                must,
                tuple(because[criterion_id]),
            )
        )
    order = {cid: i for i, cid in enumerate(questionnaire.criteria)}
    return tuple(sorted(active, key=lambda a: order[a.id]))


def stronger(current: Any, new: Any) -> Any:
    """The stronger of two importances: must beats every number."""
    if current is None:
        return new
    if MUST in (current, new):
        return MUST
    return max(current, new)


def _activations(
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
    """A criterion's satisfaction for one platform, after its not-applicable rule."""
    value = raw_satisfaction(criterion, facts, answers)
    if value is NA:
        return 0.0 if criterion.not_applicable == "unmet" else NA
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
            satisfaction = 0.0
            key = f"not_applicable_{criterion.not_applicable}"
    else:
        satisfaction = raw  # type: ignore[assignment]
    facts = tuple(
        fact_ref(catalogue.facts[f], platform.fact(f), questionnaire.texts)
        for f in sorted(criterion.facts())
    )
    template = localise(criterion.explain.get(key) or questionnaire.texts.get(key, ""))
    text = format_text(
        template,
        {
            "platform": platform.name,
            "criterion": localise(criterion.label),
            "value": "; ".join(f.value for f in facts if f.status == "known"),
        },
    )
    counted = (state != "not_applicable" or satisfaction is not None) and ac.weight > 0
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


def fact_ref(spec: FactDef, fact: Fact, texts: Mapping[str, str]) -> FactRef:
    """A fact with its value written out in the current language's labels."""
    return FactRef(
        spec.id,
        localise(spec.label),
        fact.status,
        describe_value(spec, fact, texts),
        fact.source,
        fact.checked,
        localise(fact.note),
    )


def describe_value(spec: FactDef, fact: Fact, texts: Mapping[str, str]) -> str:
    """The value of a fact as text for people (empty when unknown or not applicable)."""
    if not fact.known:
        return ""
    value = fact.value
    if spec.type == "bool":
        return localise(texts["yes"] if value else texts["no"])
    if spec.type == "choice":
        return localise(spec.value_label(value))
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


def format_number(value: float) -> str:
    """A number written the Dutch way: 12.500 and 2,5."""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    return (
        f"{value:,.2f}".replace(",", "_")
        .replace(".", ",")
        .replace("_", ".")
        .rstrip("0")
        .rstrip(",")
    )
