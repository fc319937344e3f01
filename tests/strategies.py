"""Hypothesis strategies that draw valid answer sets for any questionnaire."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from kompas.engine.model import Question
from kompas.engine.model import Questionnaire


def answer_for(question: Question) -> st.SearchStrategy[Any]:
    """A valid answer to one question."""
    ids = [o.id for o in question.options]
    if question.type == "single":
        return st.sampled_from(ids)
    if question.type == "multiple":
        return st.lists(st.sampled_from(ids), unique=True)
    if question.type == "importance":
        return st.sampled_from([0, 1, 2, 3, "must"])
    if question.type == "yesno":
        return st.booleans()
    if question.type == "number":
        low = question.minimum if question.minimum is not None else 0
        high = question.maximum if question.maximum is not None else 1_000_000
        return st.integers(int(low), int(high))
    return st.text(max_size=30)


def answers_for(questionnaire: Questionnaire) -> st.SearchStrategy[dict[str, Any]]:
    """A dict of answers to a random subset of the questions."""
    return st.fixed_dictionaries(
        {}, optional={q.id: answer_for(q) for q in questionnaire.questions}
    )
