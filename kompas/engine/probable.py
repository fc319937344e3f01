"""The probable shortlist and the vendor questions by worth, in one call, and as record data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kompas.engine.acceptability import CAP
from kompas.engine.acceptability import FLOOR
from kompas.engine.acceptability import PROBABLE
from kompas.engine.acceptability import Acceptability
from kompas.engine.acceptability import distribution
from kompas.engine.acceptability import exact_result
from kompas.engine.acceptability import models
from kompas.engine.activation import active_criteria
from kompas.engine.answers import Answers
from kompas.engine.answers import check_answers
from kompas.engine.model import Catalogue
from kompas.engine.model import Questionnaire
from kompas.engine.uncertainty import STANCES
from kompas.engine.uncertainty import PlatformModel
from kompas.engine.worth import WorthyQuestion
from kompas.engine.worth import rank_questions

QUESTIONS = 10  # vendor questions kept in the record and shown, most worth first


@dataclass(frozen=True, slots=True)
class Probable:
    """Rank acceptabilities under one stance, and the vendor questions most worth asking."""

    acceptability: Acceptability
    questions: tuple[WorthyQuestion, ...]


def probable(
    questionnaire: Questionnaire,
    catalogue: Catalogue,
    answers: Mapping[str, Any] | Answers,
    *,
    stance: str = "neutraal",
    questions: int = QUESTIONS,
) -> Probable:
    """The probable shortlist and the best vendor questions about its platforms."""
    if stance not in STANCES:
        raise ValueError(f"unknown stance {stance!r}; expected one of {', '.join(STANCES)}")
    if not isinstance(answers, Answers):
        answers = check_answers(questionnaire, answers, strict=False)
    items, *_rest = models(questionnaire, catalogue, answers, stance, 0)
    dists = [distribution(m) for m in items]
    shares = exact_result(items, dists, stance, 0)
    if questions <= 0:  # the shares alone: the question ranking costs about ten times more
        return Probable(shares, ())
    return _ranked(questionnaire, answers, items, dists, shares, questions)


def ask(
    questionnaire: Questionnaire,
    catalogue: Catalogue,
    answers: Mapping[str, Any] | Answers,
    shares: Probable,
    *,
    questions: int = QUESTIONS,
) -> Probable:
    """`shares` (computed earlier, e.g. by the pipeline) with the best vendor questions added."""
    if not isinstance(answers, Answers):
        answers = check_answers(questionnaire, answers, strict=False)
    stance = shares.acceptability.stance
    items, *_rest = models(questionnaire, catalogue, answers, stance, 0)
    dists = [distribution(m) for m in items]
    return _ranked(questionnaire, answers, items, dists, shares.acceptability, questions)


def _ranked(
    questionnaire: Questionnaire,
    answers: Answers,
    items: list[PlatformModel],
    dists: list[dict[float, float]],
    shares: Acceptability,
    questions: int,
) -> Probable:
    live = [k for k, m in enumerate(items) if shares.share(m.platform_id).first > 0]  # type: ignore[union-attr]
    ids = [a.id for a in active_criteria(questionnaire, answers, explain=False)]
    asked = rank_questions(
        [items[k] for k in live], [dists[k] for k in live], ids, questions, shares.shortlist
    )
    return Probable(shares, asked)


def _r(value: float) -> float:
    return round(float(value), 6)


def probable_record(result: Probable) -> dict[str, Any]:
    """Rank acceptabilities, the assumption, the sampling and the questions as plain data."""
    acc = result.acceptability
    return {
        "stance": acc.stance,
        # An unknown fact's favourable values weigh `favourable_odds` against 1 for the others;
        # a yes/no fact is then favourable with chance `yes_no_favourable` (docs/design.md).
        "assumption": {
            "favourable_odds": _r(STANCES[acc.stance]),
            "yes_no_favourable": _r(acc.favourable),
        },
        "method": acc.method,
        "samples": acc.samples,
        "sampling_error": _r(acc.error),
        "seed": acc.seed,
        "no_platform_passes": _r(acc.none),  # the first shares plus this sum to 1
        "probable_shortlist": list(acc.shortlist),
        # The rule (docs/design.md): first in PROBABLE of the outcomes with a first place,
        # no platform under FLOOR but the leader, at most CAP platforms (a group of equal shares
        # straddling it joins whole); `probable_shortlist_first` is what the list covers, and
        # `probable_shortlist_capped` says it stopped at the cap with a platform over FLOOR off.
        "probable_shortlist_rule": {"covers": PROBABLE, "floor": FLOOR, "cap": CAP},
        "probable_shortlist_first": _r(acc.covered),
        "probable_shortlist_capped": acc.capped,
        "left_off": {
            "platforms": len(acc.left_off),
            "first": _r(sum(s.first for s in acc.left_off)),
        },
        "platforms": [
            {"platform": s.platform_id, "first": _r(s.first), "top_three": _r(s.top_three)}
            for s in acc.shares
        ],
        "questions": [
            {
                "platform": q.platform_id,
                "fact": q.fact,
                "worth_bits": _r(q.worth),
                "answers": [
                    {
                        "value": a.value,
                        "probability": _r(a.probability),
                        "met": list(a.met),
                        "unmet": list(a.unmet),
                        "excluded": a.excluded,
                        "first_share": _r(a.share),
                        "leader": a.leader,
                        "leader_share": _r(a.leader_share),
                        "probable_shortlist": list(a.shortlist),
                    }
                    for a in q.answers
                ],
            }
            for q in result.questions
        ],
    }
