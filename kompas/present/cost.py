"""What the advice costs, said once for page 1 of the report and the JSON record: the
budget, each shortlisted platform's known price (with source and date) or 'prijs onbekend',
and a proposed combination's cost."""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
from typing import Any

from kompas.engine.criterion_results import describe_value
from kompas.engine.model import Catalogue
from kompas.engine.model import FactDef
from kompas.engine.model import Questionnaire
from kompas.engine.result import Advice
from kompas.engine.result import PlatformResult
from kompas.i18n import _
from kompas.numbers import format_amount
from kompas.numbers import format_month
from kompas.numbers import read_number
from kompas.present.model import CombinationsStory
from kompas.present.model import CostStory
from kompas.present.model import Price


def cost_fact(questionnaire: Questionnaire, catalogue: Catalogue) -> FactDef | None:
    """The cost fact: read by a criterion that adds up over platforms, else a range in euro."""
    for criterion in questionnaire.criteria.values():
        if criterion.combine != "sum":
            continue
        for fact_id in sorted(criterion.facts()):
            spec = catalogue.facts.get(fact_id)
            if spec is not None and spec.type in ("range", "number"):
                return spec
    for spec in catalogue.facts.values():
        if spec.type == "range" and spec.unit == "euro":
            return spec
    return None


def budget_question(questionnaire: Questionnaire) -> str:
    """The question whose answer the costs are compared with ("" when there is none)."""
    for criterion in questionnaire.criteria.values():
        if criterion.combine == "sum" and criterion.condition is not None:
            for qid in sorted(criterion.condition.answers()):
                if questionnaire.index.get(qid) is not None:
                    return qid
    return ""


def price_of(r: PlatformResult, questionnaire: Questionnaire, catalogue: Catalogue) -> Price:
    """A platform's known yearly price with its source date, or 'prijs onbekend'."""
    spec = cost_fact(questionnaire, catalogue)
    fact = r.platform.fact(spec.id) if spec is not None else None
    if spec is None or fact is None or fact.status == "unknown":
        return Price(
            r.platform.id, r.platform.name, _("prijs onbekend"), "unknown", None, None, "", None
        )
    if fact.status == "not_applicable":
        text = _("geen prijs (n.v.t.)")
        return Price(r.platform.id, r.platform.name, text, "not_applicable", None, None, "", None)
    value = describe_value(spec, fact, questionnaire.texts)
    day = fact.source_date or fact.checked
    if day is None:
        text = _("{price} (bron zonder datum)").format(price=value)
    else:
        text = _("{price} (bron {month})").format(price=value, month=format_month(day))
    low, high = _bounds(fact.value)
    return Price(r.platform.id, r.platform.name, text, "known", low, high, fact.source, day)


def price_text(r: PlatformResult, questionnaire: Questionnaire, catalogue: Catalogue) -> str:
    """A platform's price in words, as page 1 states it."""
    return price_of(r, questionnaire, catalogue).text


def _bounds(value: Any) -> tuple[float | None, float | None]:
    """A number or a {min, max} range as its lowest and highest amount."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value), float(value)
    if isinstance(value, Mapping):
        low, high = value.get("min"), value.get("max")
        return (
            float(low) if isinstance(low, int | float) else None,
            float(high) if isinstance(high, int | float) else None,
        )
    return None, None


def cost_story(
    advice: Advice,
    combinations: CombinationsStory,
    shown: Sequence[PlatformResult],
    questionnaire: Questionnaire,
    catalogue: Catalogue,
) -> CostStory:
    """The budget when answered, the price of each shown platform, and a proposed combination."""
    qid = budget_question(questionnaire)
    amount = read_number(advice.answers.get(qid)) if qid else None
    budget = float(amount) if amount is not None else None
    budget_text = (
        _("Budget: {amount} per jaar.").format(amount=format_amount(budget))
        if budget is not None
        else ""
    )
    combination = ""
    if combinations.status == "better" and combinations.shown:
        best = combinations.shown[0]
        combination = _("Voorgestelde combinatie {names}: {cost}").format(
            names=best.names, cost=best.cost or _("de gezamenlijke kosten zijn niet bekend.")
        )
    prices = tuple(price_of(r, questionnaire, catalogue) for r in shown)
    return CostStory(budget, budget_text, prices, combination)
