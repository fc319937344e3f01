"""The verification round in words: per vendor its status and answers, before -> after, next.

Computed from the one pipeline's explanation (kompas.pipeline.explain with the dossier's
local facts), so the round page and `kompas round status` say the same as the advice.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kompas.engine.criterion_results import describe_value
from kompas.engine.model import Catalogue
from kompas.engine.probable import Probable
from kompas.engine.probable import ask
from kompas.engine.round import ANSWERED
from kompas.engine.round import EXPIRED
from kompas.engine.round import OPENED
from kompas.engine.round import SENT
from kompas.engine.round import compare
from kompas.engine.round import plan_round
from kompas.engine.vendor_answers import VendorAnswer
from kompas.i18n import _
from kompas.i18n import localise
from kompas.numbers import format_long_date
from kompas.present.probable import percent
from kompas.present.probable import question_sentence

if TYPE_CHECKING:
    from kompas.pipeline import Explanation
    from kompas.store.local import Waiting
    from kompas.store.round import Round

NEXT_SHOWN = 3  # next questions worth asking, shown on the round page


def round_plan(explanation: Explanation) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Whom a round asks what: the explanation's probable shortlist, questions ranked by worth."""
    catalogue = explanation.catalogue
    every = len(catalogue.facts) * max(1, len(explanation.probable.acceptability.shortlist))
    ranked = ask(
        explanation.questionnaire,
        catalogue,
        explanation.advice.answers,
        explanation.probable,
        questions=every,
    )
    return plan_round(ranked, catalogue)


def next_questions(explanation: Explanation) -> Probable:
    """The vendor questions most worth asking on this advice, for the round page."""
    return ask(
        explanation.questionnaire,
        explanation.catalogue,
        explanation.advice.answers,
        explanation.probable,
    )


def status_words(status: str) -> str:
    """A vendor's status as the round page says it."""
    words = {
        SENT: _("verstuurd, nog niet geopend"),
        OPENED: _("geopend, nog niet beantwoord"),
        ANSWERED: _("beantwoord"),
        EXPIRED: _("verlopen zonder antwoord"),
    }
    return words.get(status, status)


@dataclass(frozen=True, slots=True)
class VendorLine:
    """One vendor of the round, in words."""

    link_id: int
    platform_id: str
    name: str
    status: str  # one of kompas.engine.round.STATUSES
    status_words: str
    asked: tuple[str, ...]  # the labels of the facts asked
    changed: tuple[str, ...]  # "label: new value (was: old value)"
    differing: tuple[str, ...]  # answers that differ from the advisor's own fact (kept for now)
    expires: str  # the link's last day, in words


@dataclass(frozen=True, slots=True)
class RoundStory:
    """The round page's content, worded once for the page and the CLI."""

    started: str  # the start date in words
    vendors: tuple[VendorLine, ...]
    before: str  # the probable shortlist at the start, with shares
    after: str  # the probable shortlist now, with shares
    shifts: tuple[str, ...]  # "Platform: 41% -> 63%"
    changed: bool
    next_questions: tuple[str, ...]


def _listed(ids: Sequence[str], shares: Mapping[str, float], catalogue: Catalogue) -> str:
    names = [
        _("{name} ({share})").format(name=catalogue.platform(p).name, share=percent(shares[p]))
        for p in ids
        if p in catalogue.index and p in shares
    ]
    return ", ".join(names) if names else _("geen platform")


def _changed(
    answers: Sequence[VendorAnswer], base: Catalogue, explanation: Explanation
) -> tuple[str, ...]:
    texts = explanation.questionnaire.texts
    lines = []
    for a in answers:
        spec = base.facts.get(a.fact_id)
        if spec is None or a.platform_id not in base.index:
            continue
        old = describe_value(spec, base.platform(a.platform_id).fact(a.fact_id), texts)
        lines.append(
            _("{label}: {value} (was: {old})").format(
                label=localise(spec.label),
                value=describe_value(spec, a.fact(), texts),
                old=old or _("niet bekend"),
            )
        )
    return tuple(lines)


def _differing(
    waiting: Sequence[Waiting], submission_id: int | None, explanation: Explanation
) -> tuple[str, ...]:
    """One line per answer of this submission that differs from the advisor's own fact."""
    texts, facts = explanation.questionnaire.texts, explanation.catalogue.facts
    return tuple(
        _(
            "{label}: de leverancier zegt {vendor}, u vulde {mine} in; uw eigen feit geldt tot "
            "u kiest."
        ).format(
            label=localise(facts[w.vendor.fact_id].label),
            vendor=describe_value(facts[w.vendor.fact_id], w.vendor.fact(), texts),
            mine=describe_value(facts[w.vendor.fact_id], w.advisor.fact(), texts),
        )
        for w in waiting
        if submission_id is not None
        and w.submission_id == submission_id
        and w.vendor.fact_id in facts
    )


def round_story(
    explanation: Explanation,
    rnd: Round,
    base: Catalogue,
    answers: Mapping[int, Sequence[VendorAnswer]],
    ranked: Probable,
    waiting: Sequence[Waiting] = (),
) -> RoundStory:
    """The round in words: `explanation` is the advice now (local facts in it), `base` the
    shared catalogue without them, `answers` the counted answers per submission id, `ranked`
    the next questions (`next_questions`), `waiting` the answers that differ from the
    advisor's own facts (kompas.store.curator.waiting)."""
    catalogue = explanation.catalogue
    acc = explanation.probable.acceptability
    change = compare(rnd.snapshot, acc)
    vendors = tuple(
        VendorLine(
            v.link_id,
            v.platform_id,
            catalogue.platform(v.platform_id).name,
            v.status,
            status_words(v.status),
            tuple(localise(catalogue.facts[f].label) for f in v.questions if f in catalogue.facts),
            _changed(answers.get(v.submission_id or 0, ()), base, explanation),
            _differing(waiting, v.submission_id, explanation),
            format_long_date(v.expires_at.date()),
        )
        for v in rnd.vendors
        if v.platform_id in catalogue.index
    )
    before = {str(k): float(x) for k, x in dict(rnd.snapshot.get("first", {})).items()}
    now = {s.platform_id: s.first for s in acc.shares}
    shifts = tuple(
        _("{name}: {before} → {after}").format(
            name=catalogue.platform(s.platform_id).name,
            before=percent(s.before),
            after=percent(s.after),
        )
        for s in change.shifts
        if s.platform_id in catalogue.index
    )
    return RoundStory(
        format_long_date(rnd.created_at.date()),
        vendors,
        _listed(change.before, before, catalogue),
        _listed(change.after, now, catalogue),
        shifts,
        change.changed,
        tuple(
            question_sentence(q, explanation.questionnaire, catalogue)
            for q in ranked.questions[:NEXT_SHOWN]
        ),
    )


def round_lines(story: RoundStory) -> list[str]:
    """The round as plain text lines (`kompas round status`)."""
    lines = [_("Verificatieronde van {date}").format(date=story.started)]
    for v in story.vendors:
        lines.append(f"  {v.name}: {v.status_words}")
        lines += ["    " + c for c in v.changed]
        lines += ["    " + _("Wijkt af: {line}").format(line=d) for d in v.differing]
    lines.append(_("Kortlijst bij de start: {ids}").format(ids=story.before))
    lines.append(_("Kortlijst nu: {ids}").format(ids=story.after))
    if story.next_questions:
        lines.append(_("Vragen die nu het meest opleveren:"))
        lines += ["  - " + q for q in story.next_questions]
    return lines
