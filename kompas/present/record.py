"""The story's part of the JSON decision record."""

from __future__ import annotations

from typing import Any

from kompas.present.model import CostStory
from kompas.present.model import Story


def summary_record(story: Story) -> dict[str, Any]:
    """The story's headline, shortlist and warnings for the JSON decision record."""
    return {
        "headline": list(story.headline),
        "provisional": story.provisional,
        # Kept in its first meaning (records are compared across versions): the contenders.
        "shortlist": [row.platform_id for row in story.contenders],
        # The shortlist a reader sees on every page: the probable shortlist in ranking order.
        "reader_shortlist": [row.platform_id for row in story.shortlist],
        "ties": [list(names) for names in story.ties],
        "deciding": [
            {
                "platform": f.platform_id,
                "criterion": f.criterion_id,
                "must": f.must,
                "points": round(f.value, 2),
                "changes_top": f.changes_top,
            }
            for f in story.deciding
        ],
        "warnings": [w.text for w in story.warnings],
        # Known drawbacks per ranked platform, said whether or not the advisor asked.
        "red_flags": {p.platform_id: list(p.flags) for p in story.platforms if p.flags},
        "costs": costs_record(story.costs),
        "builds_on": list(story.builds_on),
    }


def costs_record(costs: CostStory | None) -> dict[str, Any] | None:
    """The budget, the shortlist's prices and a proposed combination, as page 1 states them."""
    if costs is None:
        return None
    return {
        "budget_per_year": costs.budget,
        "budget": costs.budget_text,
        "prices": [
            {
                "platform": p.platform_id,
                "price": p.text,
                "status": p.status,
                "per_year_low": p.low,
                "per_year_high": p.high,
                "source": p.source,
                "source_date": p.source_date.isoformat() if p.source_date else None,
            }
            for p in costs.prices
        ],
        "combination": costs.combination,
    }
