"""Per platform and criterion: how far it is met, the sentence explaining it, the facts it rests on."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kompas.engine.conditions import NA
from kompas.engine.conditions import Satisfaction
from kompas.engine.kernel import MUST_WEIGHT  # noqa: F401 (re-exported)
from kompas.engine.kernel import bounds
from kompas.engine.kernel import raw_satisfaction
from kompas.engine.kernel import state_of
from kompas.engine.model import Catalogue
from kompas.engine.model import Criterion
from kompas.engine.model import Fact
from kompas.engine.model import FactDef
from kompas.engine.model import Platform
from kompas.engine.model import Questionnaire
from kompas.engine.model import format_text
from kompas.engine.result import ActiveCriterion
from kompas.engine.result import CriterionResult
from kompas.engine.result import FactRef
from kompas.i18n import localise
from kompas.numbers import format_number


def satisfy(
    criterion: Criterion, facts: Mapping[str, Fact], answers: Mapping[str, Any]
) -> Satisfaction:
    """A criterion's satisfaction for one platform alone, as the score counts it."""
    raw = raw_satisfaction(criterion, facts, answers)
    low, high = bounds(criterion, raw)
    if low is None:
        return NA
    return None if low != high else low


def criterion_result(
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
    if criterion.red_flag and satisfaction == 0.0:
        # The drawback as a con or exclusion reason claims no more than its red flag does.
        text = " ".join([text, *(localise(note) for note in flag_notes(criterion, platform))])
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


def flag_notes(criterion: Criterion, platform: Platform) -> tuple[str, ...]:
    """The qualifiers (`flag_note:`) of the facts a red flag rests on, said with the flag and
    with every unmet reason of it, so that neither claims more than the facts do."""
    return tuple(
        note for fact_id in sorted(criterion.facts()) if (note := platform.fact(fact_id).flag_note)
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
