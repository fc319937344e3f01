"""Page 1's cost lines, read from the story's costs (kompas.present.cost says them once)."""

from __future__ import annotations

from dataclasses import dataclass

from kompas.engine.result import PlatformResult
from kompas.present.cost import price_text
from kompas.present.model import Story

__all__ = ["Costs", "costs", "price_text"]


@dataclass(frozen=True, slots=True)
class Costs:
    """The cost lines of page 1 ("" where there is nothing to say)."""

    budget: str  # "Budget: € 20.000 per jaar."
    prices: tuple[str, ...]  # one per platform asked for: its price and source date, or unknown
    combination: str  # the proposed combination and its combined cost


def costs(story: Story, shown: tuple[PlatformResult, ...]) -> Costs | None:
    """The budget, the price of each shown platform and a proposed combination, as the story
    states them (None when the story has no costs)."""
    told = story.costs
    if told is None:
        return None
    prices = []
    for r in shown:
        price = told.price(r.platform.id)
        prices.append(price.text if price is not None else "")
    return Costs(told.budget_text, tuple(prices), told.combination)
