"""What the workshop pages share: the app's data, the session's questions, the group's answers
in words, and the adopted workshop as the advice page and report state it."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import segno
from flask import abort
from flask import current_app
from markupsafe import Markup

from kompas.engine import workshop_policy as ew
from kompas.engine.answers import check_answers
from kompas.engine.model import MUST
from kompas.engine.model import Catalogue
from kompas.engine.model import Question
from kompas.engine.model import Questionnaire
from kompas.engine.workshop import Aggregate
from kompas.engine.workshop import QuestionAggregate
from kompas.engine.workshop import aggregate
from kompas.i18n import _
from kompas.narrative import describe_answer
from kompas.narrative import importance_choices
from kompas.numbers import format_number
from kompas.store import workshop as workshop_store

NAME_FIELD = "naam_of_rol"  # the participant's name or role; never a question id


# -- what other pages use -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Disagreement:
    """A question the participants disagreed on, and how the facilitator settled it."""

    question_id: str
    label: str  # the question text at the time of adoption
    spread: float  # disagreement 0..1 (see kompas.engine.workshop)
    group: str  # the group's answer in words ("" on a tie)
    settled: str  # the answer taken over into the dossier, in words


@dataclass(frozen=True, slots=True)
class WorkshopSummary:
    """What the advice page and the report state about an adopted workshop."""

    participants: int
    roles: tuple[str, ...]
    disagreements: tuple[Disagreement, ...]  # the main ones, most disagreement first
    adopted_at: dt.datetime
    changed: tuple[str, ...]  # question ids whose stored answer the adoption changed
    open: bool  # the session still takes input (the adopted numbers may be outdated)


def workshop_summary(dossier_id: int) -> WorkshopSummary | None:
    """The adopted workshop of a dossier (None when there is none or nothing was adopted).

    Reads the snapshot taken at adoption: participants who joined later do not change it.
    Needs an app context (it reads the database)."""
    workshop = workshop_store.workshop_for_dossier(dossier_id)
    if workshop is None or workshop.adopted_at is None or not workshop.adopted_summary:
        return None
    snap = workshop.adopted_summary
    questions = {q.id: q for q in questionnaire().questions}
    disagreements = tuple(
        Disagreement(
            str(d.get("question", "")),
            # The question in today's words and language; the stored label if it is gone.
            f"{questions[q].text}"
            if (q := str(d.get("question", ""))) in questions
            else str(d.get("label", "")),
            float(d.get("spread", 0.0)),
            str(d.get("group", "")),
            str(d.get("settled", "")),
        )
        for d in ew.main_disagreements(snap.get("disagreements", []))
    )
    return WorkshopSummary(
        int(snap.get("participants", 0)),
        tuple(str(r) for r in snap.get("roles", [])),
        disagreements,
        workshop.adopted_at,
        tuple(str(q) for q in snap.get("changed", [])),
        workshop.open,
    )


# -- helpers --------------------------------------------------------------------------------


def questionnaire() -> Questionnaire:
    """The questionnaire the app was started with."""
    return current_app.extensions["kompas"]["questionnaire"]  # type: ignore[no-any-return]


def catalogue() -> Catalogue:
    """The catalogue the app was started with."""
    return current_app.extensions["kompas"]["catalogue"]  # type: ignore[no-any-return]


def workshop_or_404(link: str) -> workshop_store.Workshop:
    """The session behind a participant link, or the friendly 404."""
    workshop = workshop_store.find_workshop(link)
    if workshop is None:
        abort(404)
    return workshop


def session_questions(workshop: workshop_store.Workshop) -> tuple[Question, ...]:
    """The questions of the sections participants see (priority questions only)."""
    return ew.session_questions(questionnaire(), workshop.sections, reserved=(NAME_FIELD,))


def stored_values(stored: dict[str, Any]) -> dict[str, Any]:
    """The stored answers that count (stale, invalid and hidden ones set aside)."""
    return dict(check_answers(questionnaire(), stored, strict=False).values)


def own_answers(questions: tuple[Question, ...], raw: dict[str, Any]) -> dict[str, Any]:
    """A participant's stored answers to the session's questions, normalised."""
    return ew.own_answers(questions, raw)


def shown_to_participant(
    workshop: workshop_store.Workshop, base: dict[str, Any], own: dict[str, Any]
) -> list[Question]:
    """The session's questions a participant sees: show_if on their own answers (and on the
    dossier's answers to questions participants are not asked, such as the budget)."""
    return ew.shown_to_participant(questionnaire(), session_questions(workshop), base, own)


def group_aggregate(
    workshop: workshop_store.Workshop,
) -> tuple[list[workshop_store.Participant], Aggregate]:
    """The participants who answered something, and their aggregate."""
    questions = session_questions(workshop)
    people = [p for p in workshop_store.participants(workshop.id)]
    answered = [people[i] for i in ew.respondents(questions, [p.answers for p in people])]
    return answered, aggregate(
        questionnaire(), [own_answers(questions, p.answers) for p in answered]
    )


def roles(people: list[workshop_store.Participant]) -> list[str]:
    """The names or roles, each once (first spelling kept), in the order they joined."""
    seen: dict[str, str] = {}
    for person in people:
        seen.setdefault(person.name.casefold(), person.name)
    return list(seen.values())


def level_word(disagreement: float) -> str:
    """Disagreement in a word, so nothing depends on colour or a number alone."""
    words = {"groot": _("groot"), "matig": _("matig"), "klein": _("klein"), "geen": _("geen")}
    return words[ew.disagreement_level(disagreement)]


def value_label(question: Question, value: Any) -> str:
    """One counted answer (an option, importance level or yes/no) in words."""
    if question.type in ("single", "multiple"):
        option = question.option(value)
        # f-string: the label in the current language (str.join would take the Dutch one).
        return f"{option.label}" if option else str(value)
    if question.type == "importance":
        key = MUST if value == MUST else str(value)
        return dict(importance_choices()).get(key, str(value))
    if question.type == "yesno":
        return _("Ja") if value else _("Nee")
    return str(value)


def group_answer(item: QuestionAggregate) -> str:
    """The group's answer in words, or what stands in its way."""
    question = item.question
    if item.tied:
        return _("gelijke stand tussen {options}").format(
            options=" / ".join(value_label(question, v) for v in item.tied)
        )
    if question.type == "multiple" and not item.value:
        return _("geen optie door de helft gekozen")
    return describe_answer(question, item.value)


def counts_text(item: QuestionAggregate) -> str:
    """How many chose what: "Belangrijk 2, Zeer belangrijk 1"."""
    return ", ".join(f"{value_label(item.question, v)}: {c}" for v, c in item.counts if c)


def question_row(item: QuestionAggregate) -> dict[str, Any]:
    """One aggregated question as the facilitator page shows it."""
    question = item.question
    detail = ""
    if (
        question.type == "importance"
        and item.low is not None
        and item.high is not None
        and item.median is not None
    ):
        detail = _(
            "mediaan {median} op de schaal 0 (maakt niet uit) tot 4 (eis); "
            "antwoorden van {low} tot {high}"
        ).format(
            median=format_number(item.median),
            low=value_label(question, item.low),
            high=value_label(question, item.high),
        )
    elif question.type == "multiple" and item.contested:
        chosen = dict(item.counts)[item.contested]
        detail = _("meest verdeeld over: {option} ({c} van {n})").format(
            option=value_label(question, item.contested), c=chosen, n=item.respondents
        )
    criteria = questionnaire().criteria
    return {
        "question": question,
        "item": item,
        "group": group_answer(item),
        "counts": counts_text(item),
        "detail": detail,
        "criteria": [criteria[c].label for c in item.criteria if c in criteria],
        "percent": round(item.disagreement * 100),
        "level": level_word(item.disagreement),
    }


def qr_svg(link: str) -> Markup:
    """The participant link as an inline SVG QR code (segno, offline), without style
    attributes so the strict Content-Security-Policy holds."""
    code = segno.make(link, error="m", micro=False)
    svg = code.svg_inline(
        scale=1,
        border=4,
        dark="#000",
        light="#fff",
        svgclass="qr-code",
        lineclass="qr-dark",
        omitsize=True,
        title=_("QR-code met de link voor deelnemers"),
    )
    svg = re.sub(r"\sstyle=\"[^\"]*\"", "", svg)
    svg = svg.replace("<svg ", '<svg role="img" focusable="false" ', 1)
    return Markup(svg)
