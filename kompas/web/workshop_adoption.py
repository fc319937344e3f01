"""Adopting the group's priorities into the dossier: the proposals, what they would change or
drop, and the snapshot recorded with an adoption."""

from __future__ import annotations

from typing import Any

from kompas.engine import workshop_policy as ew
from kompas.engine.model import Question
from kompas.engine.workshop import Aggregate
from kompas.i18n import _
from kompas.narrative import describe_answer
from kompas.store import workshop as workshop_store
from kompas.web.forms import build_step_form
from kompas.web.forms import form_value
from kompas.web.workshop_shared import group_aggregate
from kompas.web.workshop_shared import group_answer
from kompas.web.workshop_shared import questionnaire
from kompas.web.workshop_shared import roles
from kompas.web.workshop_shared import value_label


def adoption_view(
    workshop: workshop_store.Workshop,
    questions: tuple[Question, ...],
    agg: Aggregate,
    stored: dict[str, Any],
    adopt_form: Any,
    dropped: list[str] | None,
) -> dict[str, Any]:
    """The 'Overnemen' section: the form with the group's proposals, what each would change
    and what adopting would drop from the dossier."""
    adopt_questions, defaults = adoption_plan(questions, agg, stored)
    snapshot = workshop.adopted_summary or {}
    if isinstance(snapshot.get("proposed"), dict):
        defaults = ew.keep_decisions(adopt_questions, defaults, stored, snapshot["proposed"])
    if adopt_form is None:
        adopt_form = build_step_form(adopt_questions)(
            formdata=None,
            data={q.id: form_value(q, defaults.get(q.id)) for q in adopt_questions},
        )
    changes = [
        {
            "question": q,
            "current": describe_answer(q, stored.get(q.id)) or _("geen antwoord"),
            "group": group_answer(agg.question(q.id)),  # type: ignore[arg-type]
            "changes": defaults.get(q.id) != stored.get(q.id),
        }
        for q in adopt_questions
    ]
    if dropped is None:
        dropped = dropped_words(ew.dropped_options(adopt_questions, stored, defaults))
    return {
        "adopt_form": adopt_form,
        "adopt_questions": adopt_questions,
        "changes": changes,
        "n_changes": sum(c["changes"] for c in changes),
        "kept_decisions": bool(snapshot.get("proposed")),
        "dropped": dropped,
        "confirm_drop": CONFIRM_DROP,
    }


CONFIRM_DROP = "weglaten"  # ticked: adopt even though options the dossier has go


def dropped_words(dropped: dict[str, tuple[str, ...]]) -> list[str]:
    """What adoption would drop, per question: "Doelen: Burenhulp, Mantelzorg"."""
    lines = []
    for qid, options in dropped.items():
        question = questionnaire().question(qid)
        labels = ", ".join(value_label(question, o) for o in options)
        lines.append(f"{question.text}: {labels}")
    return lines


def adoption_plan(
    questions: tuple[Question, ...], agg: Aggregate, stored: dict[str, Any]
) -> tuple[list[Question], dict[str, Any]]:
    """The questions to adopt (answered by someone, shown with the group's answers) and
    their proposed answers: the group's, or the dossier's own on a tie."""
    return ew.adoption_plan(questionnaire(), questions, agg, stored)


def adoption_snapshot(
    workshop: workshop_store.Workshop,
    questions: tuple[Question, ...],
    stored: dict[str, Any],
    after: dict[str, Any],
    changed: list[str],
) -> dict[str, Any]:
    """What is recorded with an adoption: who took part, the main disagreements and how they
    were settled, what changed, and the group's proposals as they stood."""
    answered, agg = group_aggregate(workshop)
    plan, proposed = adoption_plan(questions, agg, stored)
    return {
        "participants": len(answered),
        "roles": roles(answered),
        "disagreements": [
            {
                "question": item.question.id,
                "label": item.question.text,
                "spread": item.disagreement,
                "group": "" if item.tied else group_answer(item),
                "settled": describe_answer(item.question, after.get(item.question.id))
                or _("geen antwoord"),
            }
            for item in agg.agenda[: ew.SNAPSHOT_LIMIT]
        ],
        "changed": changed,
        # The group's proposals as they stood, so the page afterwards does not offer to undo
        # the facilitator's edits (ew.keep_decisions).
        "proposed": ew.proposals(plan, proposed),
        "questionnaire": questionnaire().version,
    }
