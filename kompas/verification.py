"""Starting a dossier's verification round and reading where it stands, for the web and the CLI.

Both go through the one pipeline (kompas.pipeline.explain) with the dossier's local facts, so
the round asks about the shortlist the advice page shows and judges the answers the same way.
Storage is kompas.store.round; the words are kompas.present.round.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from typing import Any

from kompas.engine.model import Catalogue
from kompas.engine.model import Questionnaire
from kompas.engine.probable import Probable
from kompas.engine.round import snapshot
from kompas.pipeline import Explanation
from kompas.pipeline import explain
from kompas.present.round import RoundStory
from kompas.present.round import next_questions
from kompas.present.round import round_plan
from kompas.present.round import round_story
from kompas.store import curator as curator_store
from kompas.store import local as local_store
from kompas.store import round as round_store
from kompas.store.vendor import LINK_DAYS

# The advice under a stance and its vendor questions ranked by worth; the web passes its cached
# pair (the advice page's explanation), the CLI computes them afresh.
Advice = Callable[[str], tuple[Explanation, Probable]]


def explain_dossier(
    dossier_id: int,
    answers: Mapping[str, Any],
    questionnaire: Questionnaire,
    catalogue: Catalogue,
    stance: str = "neutraal",
) -> Explanation:
    """The dossier's advice now: its answers on the catalogue with its local facts."""
    local = local_store.local_facts(dossier_id, catalogue)
    return explain(
        questionnaire, catalogue, answers, local_facts=local, strict=False, stance=stance
    )


def start(
    dossier_id: int,
    answers: Mapping[str, Any],
    questionnaire: Questionnaire,
    catalogue: Catalogue,
    *,
    days: int = LINK_DAYS,
    created_by: str = "",
    explanation: Explanation | None = None,
) -> tuple[int, dict[str, str]]:
    """Start a round for the dossier; returns its id and platform id -> link token (shown once).

    `explanation` is the dossier's advice now when the caller has it (the web's cache). No
    platform to ask (every shortlisted approach lacks a supplier) still stores the round: its
    page then says so, and the advice is unchanged."""
    if explanation is None:
        explanation = explain_dossier(dossier_id, answers, questionnaire, catalogue)
    plan = round_plan(explanation)
    start_shares = snapshot(explanation.probable.acceptability)
    return round_store.start_round(dossier_id, plan, start_shares, days=days, created_by=created_by)


def status(
    dossier_id: int,
    answers: Mapping[str, Any],
    questionnaire: Questionnaire,
    catalogue: Catalogue,
    advice: Advice | None = None,
) -> RoundStory | None:
    """The dossier's newest round in words, or None when it has none.

    `advice` gives the advice and its ranked questions under a stance (the web's cached pair);
    without it they are computed here."""
    rnd = round_store.latest_round(dossier_id)
    if rnd is None:
        return None
    stance = str(rnd.snapshot.get("stance", "neutraal"))
    if advice is None:
        explanation = explain_dossier(dossier_id, answers, questionnaire, catalogue, stance)
        ranked = next_questions(explanation)
    else:
        explanation, ranked = advice(stance)
    given = local_store.answers_by_submission(dossier_id, catalogue)
    # The same list the vendor-facts page asks the advisor to settle (one line per answer).
    differing = curator_store.waiting(dossier_id, catalogue)
    return round_story(explanation, rnd, catalogue, given, ranked, differing)
