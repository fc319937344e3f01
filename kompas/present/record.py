"""The story's part of the JSON decision record."""

from __future__ import annotations

from typing import Any

from kompas.present.model import Story


def summary_record(story: Story) -> dict[str, Any]:
    """The story's headline, shortlist and warnings for the JSON decision record."""
    return {
        "headline": list(story.headline),
        "provisional": story.provisional,
        "shortlist": [row.platform_id for row in story.shortlist],
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
    }
