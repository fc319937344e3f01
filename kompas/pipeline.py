"""One pipeline: answers -> advice -> analysis -> story, with local facts overlaid once.

Every skin (the advice page, the comparison against a dossier, the PDF, `kompas advise`
and the JSON decision record) calls `explain`; nothing else assembles these steps, so
they cannot disagree.

>>> import kompas
>>> q, c = kompas.load()
>>> explanation = kompas.explain(q, c, {"doelen": ["burenhulp"]})
>>> explanation.story.headline
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kompas.engine.analysis import Analysis
from kompas.engine.analysis import analyse
from kompas.engine.answers import Answers
from kompas.engine.catalogue import with_facts
from kompas.engine.model import Catalogue
from kompas.engine.model import Fact
from kompas.engine.model import Questionnaire
from kompas.engine.probable import Probable
from kompas.engine.probable import probable
from kompas.engine.probable import probable_record
from kompas.engine.record import analysis_record
from kompas.engine.record import to_record
from kompas.engine.result import Advice
from kompas.engine.scoring import advise_on
from kompas.i18n import current_language
from kompas.i18n import language as use
from kompas.present.model import Story
from kompas.present.probable import ProbableStory
from kompas.present.probable import probable_story
from kompas.present.record import summary_record
from kompas.present.story import present


@dataclass(frozen=True, slots=True)
class Explanation:
    """Everything the advice is: the advice, how sure it is, and what it says (in `language`)."""

    advice: Advice
    analysis: Analysis
    story: Story
    language: str
    questionnaire: Questionnaire
    catalogue: Catalogue  # the catalogue the advice was computed on: local facts included
    probable: Probable  # rank acceptabilities under one stance (no vendor questions ranked)
    likely: ProbableStory  # the probable shortlist in words, the same on page, CLI and PDF

    def record(self) -> dict[str, Any]:
        """The JSON decision record: the advice, its analysis, the story's summary and the
        rank acceptabilities."""
        record = to_record(self.advice)
        record["analysis"] = analysis_record(self.analysis)
        record["summary"] = summary_record(self.story)
        record["acceptability"] = probable_record(self.probable)
        return record


def explain(
    questionnaire: Questionnaire,
    catalogue: Catalogue,
    answers: Mapping[str, Any] | Answers,
    *,
    local_facts: Mapping[str, Mapping[str, Fact]] | None = None,
    lang: str | None = None,
    strict: bool = True,
    now: dt.datetime | None = None,
    stance: str = "neutraal",
) -> Explanation:
    """The advice for the answers, analysed and worded, with `local_facts` overlaid once.

    `local_facts` (platform id -> fact id -> fact) are what vendors told this advisor; the
    advice, the analysis and the story all read the same overlaid catalogue. Written in
    `lang` (default: the current language). strict=False sets invalid answers aside. The
    probable shortlist assumes `stance` about unknown facts (see kompas.engine.uncertainty).
    """
    local = local_facts or {}
    facts = with_facts(catalogue, local) if local else catalogue
    lang = lang or current_language()
    with use(lang):
        advice = advise_on(questionnaire, facts, answers, local, strict=strict, now=now)
        analysis = analyse(questionnaire, facts, dict(advice.answers))
        # The shares only: ranking the vendor questions costs ten times more (the CLI asks).
        likely = probable(questionnaire, facts, advice.answers, stance=stance, questions=0)
        story = present(advice, analysis, questionnaire, facts, probable=_ids(likely))
        words = probable_story(likely, questionnaire, facts)
    return Explanation(advice, analysis, story, lang, questionnaire, facts, likely, words)


def explain_advice(
    advice: Advice, questionnaire: Questionnaire, catalogue: Catalogue, lang: str | None = None
) -> Explanation:
    """The explanation of an advice computed earlier on `catalogue` (its local facts in it).

    For callers that hold only an Advice (the report's older entry points, notebooks).
    """
    lang = lang or current_language()
    with use(lang):
        analysis = analyse(questionnaire, catalogue, dict(advice.answers))
        likely = probable(questionnaire, catalogue, advice.answers, questions=0)
        story = present(advice, analysis, questionnaire, catalogue, probable=_ids(likely))
        words = probable_story(likely, questionnaire, catalogue)
    return Explanation(advice, analysis, story, lang, questionnaire, catalogue, likely, words)


def _ids(likely: Probable) -> tuple[str, ...]:
    """The probable shortlist's ids: the story shows the shortlist the sentence counts."""
    return likely.acceptability.shortlist
