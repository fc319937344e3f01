"""Red flags: known drawbacks said next to a platform whether or not the advisor asked.

Which criteria are red flags is data (`red_flag:` in questions.yaml); this module only
decides, for one platform, which of them it is known not to meet.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kompas.engine.criterion_results import satisfy
from kompas.engine.model import Criterion
from kompas.engine.model import Questionnaire
from kompas.engine.result import PlatformResult


def red_flags(
    r: PlatformResult, questionnaire: Questionnaire, answers: Mapping[str, Any]
) -> tuple[Criterion, ...]:
    """The red-flag criteria a platform is known not to meet, in questionnaire order.

    A flag its cons already state (the advisor asked, and it weighs) is left out, so the
    drawback is said once.
    """
    said = {c.criterion_id for c in r.cons}
    return tuple(
        c
        for c in questionnaire.criteria.values()
        if c.red_flag and c.id not in said and satisfy(c, r.platform.facts, answers) == 0.0
    )
