"""One call for everything that says how sure an advice is (for the web page and report)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kompas.engine.answers import Answers
from kompas.engine.answers import check_answers
from kompas.engine.combinations import Combinations
from kompas.engine.combinations import combinations
from kompas.engine.matrix import decision_matrix
from kompas.engine.model import Catalogue
from kompas.engine.model import Questionnaire
from kompas.engine.robustness import Robustness
from kompas.engine.robustness import robustness
from kompas.engine.tiebreak import Separator
from kompas.engine.tiebreak import tie_break


@dataclass(frozen=True, slots=True)
class Analysis:
    """Robustness, tie-break and combinations for one set of answers."""

    robustness: Robustness
    tied: tuple[str, str] | None
    separators: tuple[Separator, ...]
    combinations: Combinations


def analyse(
    questionnaire: Questionnaire, catalogue: Catalogue, answers: Mapping[str, Any] | Answers
) -> Analysis:
    """Everything that says how sure the advice is, from one decision matrix."""
    if not isinstance(answers, Answers):
        answers = check_answers(questionnaire, answers, strict=False)
    matrix = decision_matrix(questionnaire, catalogue, answers)
    tied, separators = tie_break(questionnaire, catalogue, answers, matrix=matrix)
    return Analysis(
        robustness(questionnaire, catalogue, answers, matrix=matrix),
        tied,
        separators,
        combinations(questionnaire, catalogue, answers, matrix=matrix),
    )
