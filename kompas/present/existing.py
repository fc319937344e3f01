"""Build on what exists: the chosen answer options that name something already there (a
WhatsApp group, a village website) come back as something to connect or keep.

The sentences are data (`builds_on:` on an option in questions.yaml); this module only
picks the ones the answers chose, in questionnaire order.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kompas.engine.model import Questionnaire
from kompas.i18n import localise


def builds_on_lines(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> tuple[str, ...]:
    """One sentence per chosen option that names something already there."""
    lines: list[str] = []
    for question in questionnaire.questions:
        value = answers.get(question.id)
        if question.type not in ("single", "multiple") or value is None:
            continue
        chosen = {value} if isinstance(value, str) else set(value)
        lines += [localise(o.builds_on) for o in question.options if o.id in chosen and o.builds_on]
    return tuple(lines)
