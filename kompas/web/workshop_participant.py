"""A workshop participant's pages: join with a name or role, answer one section at a time,
then see what their own priorities would put on top (routes on the workshop blueprint)."""

from __future__ import annotations

from typing import Any

from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for

from kompas.engine.model import Question
from kompas.engine.model import Section
from kompas.engine.workshop import compare_participant
from kompas.i18n import _
from kompas.store import dossier as dossier_store
from kompas.store import workshop as workshop_store
from kompas.web.forms import answer_value
from kompas.web.forms import flashed_messages
from kompas.web.forms import form_value
from kompas.web.workshop import bp
from kompas.web.workshop_forms import JoinForm
from kompas.web.workshop_forms import answer_form_class
from kompas.web.workshop_shared import NAME_FIELD
from kompas.web.workshop_shared import catalogue
from kompas.web.workshop_shared import group_aggregate
from kompas.web.workshop_shared import own_answers
from kompas.web.workshop_shared import questionnaire
from kompas.web.workshop_shared import session_questions
from kompas.web.workshop_shared import shown_to_participant
from kompas.web.workshop_shared import stored_values
from kompas.web.workshop_shared import workshop_or_404

PART = "deel"  # the section a participant's page shows (one section per page)
FOLLOW_UP = "vervolg:"  # + question id: flash category shown inside that new question


def _closed(
    workshop: workshop_store.Workshop, status: int, link: str, personal: str = ""
) -> tuple[str, int]:
    return render_template(
        "workshop/closed.html",
        municipality=workshop_store.municipality(workshop.dossier_id),
        link=link,
        personal=personal,
    ), status


@bp.route("/w/<link>/", methods=["GET", "POST"])
def join(link: str) -> Any:
    """A participant says who they are (no account): their personal page follows."""
    workshop = workshop_or_404(link)
    if not workshop.open:
        return _closed(workshop, 409 if request.method == "POST" else 200, link)
    form = JoinForm()
    if form.validate_on_submit():
        try:
            personal, _person = workshop_store.add_participant(workshop.id, form.naam_of_rol.data)
        except workshop_store.WorkshopClosed:
            return _closed(workshop, 409, link)
        return redirect(url_for(".answer", link=link, personal=personal), 303)
    return render_template(
        "workshop/join.html",
        municipality=workshop_store.municipality(workshop.dossier_id),
        link=link,
        form=form,
        sections=_section_titles(workshop),
    ), 400 if form.errors else 200


def _section_titles(workshop: workshop_store.Workshop) -> list[str]:
    titles = {s.id: s.title for s in questionnaire().sections}
    return [titles[s] for s in workshop.sections if s in titles]


def _participant_or_404(
    link: str, personal: str
) -> tuple[workshop_store.Workshop, workshop_store.Participant]:
    workshop = workshop_or_404(link)
    person = workshop_store.find_participant(workshop.id, personal)
    if person is None:
        abort(404)
    return workshop, person


def _parts(shown: list[Question]) -> list[Section]:
    """The sections of a participant's questions: one page each."""
    return [s for s in questionnaire().sections if any(q in s.questions for q in shown)]


@bp.route("/w/<link>/p/<personal>", methods=["GET", "POST"])
def answer(link: str, personal: str) -> Any:
    """A participant's own page, one section at a time, saved as their own row.

    A POST without a part (an older page that held every section) saves every shown
    question, as that page did."""
    workshop, person = _participant_or_404(link, personal)
    if not workshop.open:
        return _closed(workshop, 409 if request.method == "POST" else 200, link, personal)
    base = stored_values(dossier_store.load_answers(workshop.dossier_id))
    questions = session_questions(workshop)
    own = own_answers(questions, person.answers)
    shown = shown_to_participant(workshop, base, own)
    parts = _parts(shown)
    source = request.form if request.method == "POST" else request.args
    part_id = source.get(PART)
    index: int | None = next((i for i, s in enumerate(parts) if s.id == part_id), None)
    if part_id is None and request.method == "GET":
        index = 0
    if part_id is not None and index is None and request.method == "GET":
        abort(404)
    asked = shown if index is None else [q for q in shown if q in parts[index].questions]
    with_name = index is None or index == 0
    form_class = answer_form_class(asked, with_name)
    if request.method == "GET":
        data: dict[str, Any] = {q.id: form_value(q, own.get(q.id)) for q in asked}
        data[NAME_FIELD] = person.name
        form = form_class(formdata=None, data=data)
        return _render_answer(workshop, link, personal, form, asked, parts, index, person.name)
    form = form_class()
    unknown = set(request.form) - {f.name for f in form} - {PART, "ga"}
    if unknown or (part_id is not None and index is None):
        problem = _(
            "Dit formulier past niet (meer) bij de werksessie. Er is niets opgeslagen; "
            "de vragen hieronder zijn opnieuw geladen."
        )
        args = (workshop, link, personal, form, asked, parts, index, person.name)
        return _render_answer(*args, 400, problem)
    if not form.validate():
        return _render_answer(workshop, link, personal, form, asked, parts, index, person.name, 400)
    values = _form_values(asked, form)
    # The other parts' answers stay: this page replaces only its own questions.
    merged = {k: v for k, v in own.items() if k not in {q.id for q in asked}} | values
    new_own = own_answers(questions, merged)
    now_shown = shown_to_participant(workshop, base, new_own)
    kept = {q.id: merged[q.id] for q in now_shown if q.id in merged}
    name = form[NAME_FIELD].data if with_name else person.name
    try:
        workshop_store.save_participant(workshop.id, person.id, name, kept)
    except workshop_store.WorkshopClosed:
        return _closed(workshop, 409, link, personal)
    return _next_page(link, personal, shown, now_shown, kept, parts, index)


def _form_values(asked: list[Question], form: Any) -> dict[str, Any]:
    """The submitted answers of a participant's page (questions left empty are left out)."""
    values = {}
    for question in asked:
        value = answer_value(question, form[question.id].data)
        if value is not None:
            values[question.id] = value
    return values


def _next_page(
    link: str,
    personal: str,
    shown: list[Question],
    now_shown: list[Question],
    kept: dict[str, Any],
    parts: list[Section],
    index: int | None,
) -> Any:
    """After a save: to a follow-up question the answer brought up, else the next (or the
    previous) part, else the thank-you page."""
    new_parts = _parts(now_shown)
    saved = (
        _("Uw antwoorden zijn opgeslagen.")
        if index is None
        else _("Deel {i} van {n} opgeslagen: {title}.").format(
            i=index + 1, n=len(parts), title=parts[index].title
        )
    )
    follow_ups = [q for q in now_shown if q not in shown and q.id not in kept]
    # A follow-up in a later part comes when the participant gets there: jumping to it would
    # skip the parts in between (where participants disagree most).
    later = {s.id for s in new_parts[_after(new_parts, parts, index) :]}
    follow_ups = [q for q in follow_ups if q.section not in later]
    if follow_ups:
        first = follow_ups[0]
        flash(
            saved + " " + _("Door uw antwoord is deze vervolgvraag bijgekomen."),
            FOLLOW_UP + first.id,
        )
        return redirect(
            url_for(
                ".answer",
                link=link,
                personal=personal,
                deel=first.section,
                _anchor=f"vraag-{first.id}",
            ),
            303,
        )
    here = next(
        (i for i, s in enumerate(new_parts) if index is not None and s.id == parts[index].id), None
    )
    step = -1 if request.form.get("ga") == "vorige" else 1
    if here is not None and 0 <= here + step < len(new_parts):
        flash(saved, "saved")
        return redirect(
            url_for(".answer", link=link, personal=personal, deel=new_parts[here + step].id), 303
        )
    flash(saved, "saved")
    return redirect(url_for(".thanks", link=link, personal=personal), 303)


def _after(new_parts: list[Section], parts: list[Section], index: int | None) -> int:
    """Where the parts after the saved one start in the new list (all of it for an old
    single-page form, which has no parts after it)."""
    if index is None:
        return len(new_parts)
    ids = [s.id for s in new_parts]
    current = parts[index].id
    return ids.index(current) + 1 if current in ids else len(new_parts)


def _render_answer(
    workshop: workshop_store.Workshop,
    link: str,
    personal: str,
    form: Any,
    questions: list[Question],
    parts: list[Section],
    index: int | None,
    name: str,
    status: int = 200,
    problem: str = "",
) -> tuple[str, int]:
    ids = {q.id for q in questions}
    flashed = flashed_messages()
    return render_template(
        "workshop/answer.html",
        municipality=workshop_store.municipality(workshop.dossier_id),
        link=link,
        personal=personal,
        form=form,
        questions=questions,
        sections=parts if index is None else [parts[index]],
        parts=parts,
        index=index,
        name=name,
        flashes=[(c, m) for c, m in flashed if c.removeprefix(FOLLOW_UP) not in ids],
        follow_up={c.removeprefix(FOLLOW_UP): m for c, m in flashed if c.startswith(FOLLOW_UP)},
        problem=problem,
    ), status


@bp.get("/w/<link>/p/<personal>/klaar")
def thanks(link: str, personal: str) -> Any:
    """Thank you, with what the participant's own priorities would put on top."""
    workshop, person = _participant_or_404(link, personal)
    questions = session_questions(workshop)
    own = own_answers(questions, person.answers)
    comparison = None
    if own:
        base = stored_values(dossier_store.load_answers(workshop.dossier_id))
        _answered, agg = group_aggregate(workshop)
        comparison = compare_participant(questionnaire(), catalogue(), base, own, dict(agg.answers))
    return render_template(
        "workshop/thanks.html",
        municipality=workshop_store.municipality(workshop.dossier_id),
        link=link,
        personal=personal,
        person=person,
        workshop=workshop,
        comparison=comparison,
        mine=_names(comparison.mine) if comparison else "",
        group=_names(comparison.group) if comparison else "",
        answered=len(own),
    )


def _names(results: Any, limit: int = 3) -> str:
    names = [r.platform.name for r in results]
    if not names:
        return _("geen enkel platform (alle platforms vallen af op een eis)")
    if len(names) == 1:
        return names[0]
    if len(names) > limit:
        return _("{names} en {n} andere (gedeelde eerste plaats)").format(
            names=", ".join(names[:limit]), n=len(names) - limit
        )
    return _("{names} en {last} (gedeelde eerste plaats)").format(
        names=", ".join(names[:-1]), last=names[-1]
    )
