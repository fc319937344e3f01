"""Building the story: one call that turns the advice and its analysis into the presentation model."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace

from kompas.engine.analysis import Analysis
from kompas.engine.kernel import shortlist
from kompas.engine.matrix import Matrix
from kompas.engine.model import Catalogue
from kompas.engine.model import Questionnaire
from kompas.engine.probable import probable as rank_acceptability
from kompas.engine.result import Advice
from kompas.engine.result import PlatformResult
from kompas.i18n import _
from kompas.present.below import below_line
from kompas.present.below import below_note
from kompas.present.below import complement_lines
from kompas.present.below import complements_note
from kompas.present.below import goals_rule
from kompas.present.combinations import combinations_story
from kompas.present.cost import cost_story
from kompas.present.existing import builds_on_lines
from kompas.present.flags import leader_warning
from kompas.present.flags import with_warning
from kompas.present.headline import headline_lines
from kompas.present.headline import next_step_line
from kompas.present.headline import rests_on_lines
from kompas.present.headline import summary_lines
from kompas.present.headline import weight_lines
from kompas.present.model import Aside
from kompas.present.model import Story
from kompas.present.notices import notices
from kompas.present.notices import open_decisive
from kompas.present.platforms import exclusion_of
from kompas.present.platforms import platform_story
from kompas.present.platforms import rank_row
from kompas.present.robustness import robustness_story
from kompas.present.shortlist import reader_shortlist
from kompas.present.shortlist import shortlist_aside
from kompas.present.shortlist import shortlist_note
from kompas.present.vendor import deciding_facts
from kompas.present.vendor import vendor_topics


def _rank_counts(advice: Advice) -> dict[int, int]:
    """How many platforms share each rank (a count over 1 is a tie)."""
    counts: dict[int, int] = {}
    for r in advice.ranking:
        if r.rank is not None:
            counts[r.rank] = counts.get(r.rank, 0) + 1
    return counts


def _ties(advice: Advice, rank_counts: dict[int, int]) -> tuple[tuple[str, ...], ...]:
    """The names on each shared rank, best rank first."""
    return tuple(
        tuple(r.platform.name for r in advice.ranking if r.rank == rank)
        for rank, n in sorted(rank_counts.items())
        if n > 1
    )


def _examples(advice: Advice) -> tuple[Aside, ...]:
    """Another municipality's own platform: named to learn from, never as a candidate."""
    return tuple(
        Aside(
            r.platform.id,
            r.platform.name,
            _(
                "{p} is het eigen platform van een andere gemeente: een voorbeeld om van te "
                "leren, geen kandidaat."
            ).format(p=r.platform.name),
        )
        for r in advice.examples
    )


def _withdrawn(advice: Advice) -> tuple[Aside, ...]:
    """A platform that stopped: said why it is not in the ranking."""
    return tuple(
        Aside(
            r.platform.id,
            r.platform.name,
            _("{p} is gestopt en staat daarom niet in de rangorde.").format(p=r.platform.name),
        )
        for r in advice.withdrawn
    )


def _asked(advice: Advice, readers: tuple[PlatformResult, ...]) -> tuple[PlatformResult, ...]:
    """Whose vendors get questions: the shortlist's, and the ranking's leader when it is off it
    (its unknown must-haves are what could put it back, so they must be asked)."""
    top = next((r for r in advice.ranking if r.score is not None), None)
    if top is None or not readers or top in readers:
        return readers
    return (top, *readers)


def present(
    advice: Advice,
    analysis: Analysis,
    questionnaire: Questionnaire,
    catalogue: Catalogue,
    matrix: Matrix | None = None,
    probable: Collection[str] | None = None,
) -> Story:
    """What the advice says, from the advice and the analysis of how sure it is.

    `probable` is the probable shortlist (ids) the pipeline computed under its stance; without
    it the neutral stance's is computed here, so every Story has the reader's shortlist.
    """
    # long: one Story call, a field a line; this is the one place that assembles it.
    has_advice = bool(advice.active) and any(r.score is not None for r in advice.ranking)
    if probable is None:
        found = rank_acceptability(questionnaire, catalogue, advice.answers, questions=0)
        probable = found.acceptability.shortlist
    short = shortlist(advice) if has_advice else ()  # the contenders (internal)
    readers = reader_shortlist(advice, probable) if has_advice else ()
    short_ids = {r.platform.id for r in short}
    rank_counts = _rank_counts(advice)
    rows = tuple(
        rank_row(r, advice, short, short_ids, rank_counts, questionnaire) for r in advice.ranking
    )
    # The vendor questions ask the vendors of the shortlist the reader sees, no others.
    deciding = deciding_facts(advice, _asked(advice, readers), questionnaire.offline_category)
    completeness = advice.completeness
    provisional = bool(completeness and completeness.provisional)
    story = Story(
        has_advice=has_advice,
        provisional=provisional,
        headline=with_warning(
            headline_lines(
                advice,
                short,
                has_advice,
                tuple(r for r in readers if r.platform.id in probable),
                asked=bool(deciding),
            ),
            leader_warning(advice) if has_advice else "",
        ),
        summary=tuple(summary_lines(advice, short, has_advice)),
        shortlist=tuple(row for r in readers for row in rows if row.platform_id == r.platform.id),
        contenders=tuple(row for row in rows if row.contender),
        deciding=deciding[:3],
        ranking=rows,
        ties=_ties(advice, rank_counts),
        warnings=tuple(notices(advice, questionnaire, short)),
        decisive_open=open_decisive(advice, questionnaire),
        platforms=tuple(platform_story(r, questionnaire, advice.answers) for r in advice.ranking),
        exclusions=tuple(exclusion_of(r) for r in advice.excluded),
        examples=_examples(advice),
        withdrawn=_withdrawn(advice),
        vendor_topics=vendor_topics(deciding),
        robustness=robustness_story(advice, analysis, questionnaire, catalogue, matrix),
        combinations=combinations_story(analysis.combinations, questionnaire, catalogue),
        next_step=next_step_line(
            advice, readers, provisional, vendor_topics(deciding), questionnaire.offline_category
        ),
        rests_on=rests_on_lines(advice, short, questionnaire),
        weights=weight_lines(advice),
        below=below_line(advice, questionnaire),
        below_note=below_note(advice, questionnaire),
        complements=complement_lines(advice),
        complements_note=complements_note(advice),
        goals_rule=goals_rule(advice, questionnaire),
        builds_on=builds_on_lines(questionnaire, advice.answers),
        shortlist_note=shortlist_note(readers, probable),
        shortlist_aside=shortlist_aside(advice, readers, probable),
    )
    # Priced: the shortlist the reader sees (one place for page 1 and the record).
    costs = cost_story(advice, story.combinations, readers, questionnaire, catalogue)
    return replace(story, costs=costs)
