"""What the advice costs, for page 1: the budget, each shortlisted price, a combination's cost."""

from __future__ import annotations

from dataclasses import dataclass

from kompas.engine.criterion_results import describe_value
from kompas.engine.model import Catalogue
from kompas.engine.model import Questionnaire
from kompas.engine.result import Advice
from kompas.engine.result import PlatformResult
from kompas.i18n import _
from kompas.numbers import format_amount
from kompas.numbers import format_month
from kompas.numbers import read_number
from kompas.present.model import Story
from kompas.report.parts import cost_fact


@dataclass(frozen=True, slots=True)
class Costs:
    """The cost lines of page 1 ("" where there is nothing to say)."""

    budget: str  # "Budget: € 20.000 per jaar."
    prices: tuple[str, ...]  # one per platform asked for: its price and source date, or unknown
    combination: str  # the proposed combination and its combined cost


def budget_question(questionnaire: Questionnaire) -> str:
    """The question whose answer the costs are compared with ("" when there is none)."""
    for criterion in questionnaire.criteria.values():
        if criterion.combine == "sum" and criterion.condition is not None:
            for qid in sorted(criterion.condition.answers()):
                if questionnaire.index.get(qid) is not None:
                    return qid
    return ""


def price_text(r: PlatformResult, questionnaire: Questionnaire, catalogue: Catalogue) -> str:
    """A platform's known yearly price with its source date, or 'prijs onbekend'."""
    spec = cost_fact(questionnaire, catalogue)
    if spec is None:
        return _("prijs onbekend")
    fact = r.platform.fact(spec.id)
    if fact.status == "not_applicable":
        return _("geen prijs (n.v.t.)")
    if not fact.known:
        return _("prijs onbekend")
    value = describe_value(spec, fact, questionnaire.texts)
    day = fact.source_date or fact.checked
    if day is None:
        return _("{price} (bron zonder datum)").format(price=value)
    return _("{price} (bron {month})").format(price=value, month=format_month(day))


def costs(
    advice: Advice,
    story: Story,
    shown: tuple[PlatformResult, ...],
    questionnaire: Questionnaire,
    catalogue: Catalogue,
) -> Costs:
    """The budget when answered, the price of each shown platform, and a proposed combination."""
    qid = budget_question(questionnaire)
    amount = read_number(advice.answers.get(qid)) if qid else None
    budget = (
        _("Budget: {amount} per jaar.").format(amount=format_amount(float(amount)))
        if amount is not None
        else ""
    )
    combos = story.combinations
    combination = ""
    if combos.status == "better" and combos.shown:
        best = combos.shown[0]
        combination = _("Voorgestelde combinatie {names}: {cost}").format(
            names=best.names, cost=best.cost or _("de gezamenlijke kosten zijn niet bekend.")
        )
    prices = tuple(price_text(r, questionnaire, catalogue) for r in shown)
    return Costs(budget, prices, combination)
