"""One wizard step: show a section's questions, save them (with conflict handling when the
dossier changed meanwhile) and go on (routes on the wizard blueprint)."""

from __future__ import annotations

from typing import Any

from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from kompas.engine.answers import normalise_answer
from kompas.engine.model import Question
from kompas.engine.model import Section
from kompas.errors import AnswerError
from kompas.i18n import _
from kompas.narrative import describe_answer
from kompas.numbers import parse_whole
from kompas.store import dossier as dossier_store
from kompas.web.forms import ConfirmForm
from kompas.web.forms import build_step_form
from kompas.web.forms import flashed_messages
from kompas.web.forms import form_value
from kompas.web.forms import submitted_answers
from kompas.web.wizard import bp
from kompas.web.wizard import open_or_404
from kompas.web.wizard import questionnaire
from kompas.web.wizard import section_status
from kompas.web.wizard import visible

ACTIONS = ("vorige", "volgende", "opslaan")


def _section(section_id: str) -> tuple[int, Section]:
    for i, section in enumerate(questionnaire().sections):
        if section.id == section_id:
            return i, section
    abort(404)


@bp.route("/d/<token>/stap/<section_id>", methods=["GET", "POST"])
def step(token: str, section_id: str) -> Any:
    """One wizard step: the shown questions of one section, saved on every submit."""
    index, section = _section(section_id)
    dossier, stored = open_or_404(token)
    shown, _answers = visible(stored)
    questions = [q for q in section.questions if q in shown]
    form_class = build_step_form(questions)
    if request.method == "GET":
        return _show_step(token, dossier, index, section, questions, stored, form_class)
    base, choices = _revision(request.form.get(REVISION)), _choices(questions)
    form = form_class(formdata=_with_choices(questions, stored, choices))
    unknown_fields = (
        set(request.form) - {f.name for f in form} - {"actie", REVISION} - set(_choice_names())
    )
    action = request.form.get("actie", "volgende")
    if unknown_fields or not _valid_action(action) or base is False or choices is None:
        return _render_step(
            token,
            dossier,
            index,
            section,
            form,
            questions,
            stored,
            status=400,
            problem=_(
                "Dit formulier past niet (meer) bij de vragenlijst. Er is niets opgeslagen; "
                "de vragen hieronder zijn opnieuw geladen."
            ),
            revision=dossier.revision,
        )
    if not form.validate():
        return _render_step(
            token,
            dossier,
            index,
            section,
            form,
            questions,
            stored,
            status=400,
            revision=dossier.revision if base is None else base,
        )
    values, cleared = submitted_answers(questions, form)
    try:
        dossier_store.save_answers(dossier.id, values, cleared, base_revision=base)
    except dossier_store.Conflict as conflict:
        return _render_conflict(token, dossier, section, questions, values, conflict, action)
    # What is stored now, without reading it back: this step's answers replaced.
    after = {k: v for k, v in stored.items() if k not in cleared} | values
    return _after_save(token, index, section, questions, action, after)


def _show_step(
    token: str,
    dossier: dossier_store.Dossier,
    index: int,
    section: Section,
    questions: list[Question],
    stored: dict[str, Any],
    form_class: Any,
) -> Any:
    """A step as stored, a number question prefilled from what the new dossier asked."""
    prefilled = {q.id: dossier.inhabitants for q in questions if _prefills(q, dossier, stored)}
    form = form_class(
        formdata=None,
        data={q.id: form_value(q, prefilled.get(q.id, stored.get(q.id))) for q in questions},
    )
    return _render_step(
        token,
        dossier,
        index,
        section,
        form,
        questions,
        stored,
        revision=dossier.revision,
        prefilled=set(prefilled),
    )


FOLLOW_UP = "vervolg:"  # + question id: flash category of a save that added that question


GO_TO = "naar:"  # + section id, "overzicht" or "advies": a step button of the step list


BACK = "terug"  # query: "overzicht" when the step was opened with 'wijzigen' on the overview


def _prefills(question: Question, dossier: dossier_store.Dossier, stored: dict[str, Any]) -> bool:
    """Whether an open question starts from what was given when the dossier was made."""
    return (
        question.prefill == "inhabitants"
        and question.id not in stored
        and dossier.inhabitants is not None
    )


def _valid_action(action: str) -> bool:
    """A button of the step form: next, previous, save, or a step of the step list."""
    if action in ACTIONS:
        return True
    target = action.removeprefix(GO_TO)
    return action.startswith(GO_TO) and (
        target in ("overzicht", "advies") or any(s.id == target for s in questionnaire().sections)
    )


REVISION = "revisie"  # the dossier's revision when the form was loaded


CHOICE = "keuze_"  # + question id: on the conflict page, which answer to keep
THEIRS, MINE = "opgeslagen", "mijn"


def _revision(raw: str | None) -> int | bool | None:
    """The form's revision; None when it has none (an old page), False when it is bad."""
    if raw is None:
        return None
    number = parse_whole(raw)
    return False if number is None else number


def _choice_names() -> list[str]:
    return [name for name in request.form if name.startswith(CHOICE)]


def _choices(questions: list[Question]) -> dict[str, str] | None:
    """The choices made on a conflict page (question id -> THEIRS or MINE); None if bad."""
    ids = {q.id for q in questions}
    choices = {}
    for name in _choice_names():
        qid, value = name.removeprefix(CHOICE), request.form.get(name)
        if qid not in ids or value not in (THEIRS, MINE):
            return None
        choices[qid] = value
    return choices


def _with_choices(
    questions: list[Question], stored: dict[str, Any], choices: dict[str, str] | None
) -> Any:
    """The posted form, with the stored answer where the advisor chose to keep it."""
    if not choices or THEIRS not in choices.values():
        return request.form
    data = request.form.copy()
    for question in questions:
        if choices.get(question.id) == THEIRS:
            value = form_value(question, stored.get(question.id))
            data.setlist(question.id, value if isinstance(value, list) else [value])
    return data


def _render_conflict(
    token: str,
    dossier: dossier_store.Dossier,
    section: Section,
    questions: list[Question],
    mine: dict[str, Any],
    conflict: dossier_store.Conflict,
    action: str,
) -> tuple[str, int]:
    """Questions changed elsewhere since the form was loaded: both answers, and a choice."""
    rows = [
        {
            "question": q,
            "theirs": describe_answer(q, _shown(q, conflict.theirs.get(q.id)))
            or _("geen antwoord"),
            "mine": describe_answer(q, _shown(q, mine.get(q.id))) or _("geen antwoord"),
        }
        for q in questions
        if q.id in conflict.theirs
    ]
    posted = [
        (name, value)
        for name, values in request.form.lists()
        if name not in ("csrf_token", "actie", REVISION) and not name.startswith(CHOICE)
        for value in values
    ]
    return render_template(
        "wizard/conflict.html",
        token=token,
        dossier=dossier,
        section=section,
        rows=rows,
        posted=posted,
        revision=conflict.revision,
        action=action,
        choice=CHOICE,
        theirs=THEIRS,
        mine=MINE,
        form=ConfirmForm(),
    ), 409


def _shown(question: Question, value: Any) -> Any:
    """A stored or submitted answer as describe_answer reads it (None stays None)."""
    if value is None:
        return None
    try:
        return normalise_answer(question, value)
    except AnswerError:
        return None


def _after_save(
    token: str,
    index: int,
    section: Section,
    asked: list[Question],
    action: str,
    stored: dict[str, Any],
) -> WerkzeugResponse:
    shown, answers = visible(stored)
    follow_ups = [
        q for q in section.questions if q in shown and q not in asked and q.id not in answers
    ]
    saved = _("Stap {i} opgeslagen: {title}.").format(i=index + 1, title=section.title)
    if follow_ups:
        # The confirmation stands right above the new question (see step.html), so both
        # are in view after the jump.
        flash(
            saved + " " + _("Door uw antwoord is deze vervolgvraag bijgekomen."),
            FOLLOW_UP + follow_ups[0].id,
        )
        # Came from 'wijzigen' on the overview: the reloaded step still leads back there.
        back = "overzicht" if action == GO_TO + "overzicht" else None
        return redirect(
            url_for(
                ".step",
                token=token,
                section_id=section.id,
                terug=back,
                _anchor=f"vraag-{follow_ups[0].id}",
            )
        )
    sections = questionnaire().sections
    if action == "opslaan":
        flash(saved + " " + _("Met de link van dit dossier gaat u later verder."), "saved")
        return redirect(url_for(".dossier", token=token))
    flash(saved, "saved")
    target = action.removeprefix(GO_TO) if action.startswith(GO_TO) else None
    if target == "overzicht":
        return redirect(url_for(".overview", token=token))
    if target == "advies":
        return redirect(url_for(".advice", token=token))
    if target:
        return redirect(url_for(".step", token=token, section_id=target))
    if action == "vorige" and index > 0:
        return redirect(url_for(".step", token=token, section_id=sections[index - 1].id))
    if action == "volgende" and index + 1 < len(sections):
        return redirect(url_for(".step", token=token, section_id=sections[index + 1].id))
    if action == "volgende":
        return redirect(url_for(".overview", token=token))
    return redirect(url_for(".dossier", token=token))


def _render_step(
    token: str,
    dossier: dossier_store.Dossier,
    index: int,
    section: Section,
    form: Any,
    questions: list[Question],
    stored: dict[str, Any],
    status: int = 200,
    problem: str = "",
    revision: int | None = None,
    prefilled: set[str] | None = None,
) -> tuple[str, int]:
    shown = section_status(stored)
    # A save that brought up a follow-up question: its confirmation goes inside that
    # question, which the redirect scrolls to, so both are in view.
    flashed = [
        (category, message)
        for category, message in flashed_messages()
        if category.removeprefix(FOLLOW_UP) not in {q.id for q in questions}
    ]
    follow_up = {
        category.removeprefix(FOLLOW_UP): message
        for category, message in flashed_messages()
        if category.startswith(FOLLOW_UP)
    }
    return render_template(
        "wizard/step.html",
        prefilled=prefilled or set(),
        flashes=flashed,
        follow_up=follow_up,
        answered=sum(s["answered"] for s in shown),
        shown=sum(s["shown"] for s in shown),
        form_id="stap-formulier",
        back_to_overview=request.args.get(BACK) == "overzicht",
        revision=revision,
        token=token,
        dossier=dossier,
        index=index,
        section=section,
        sections=questionnaire().sections,
        form=form,
        questions=questions,
        status=shown,
        problem=problem,
    ), status
