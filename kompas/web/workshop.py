"""Workshop mode (werksessie): participants give their priorities, the facilitator adopts them.

Facilitator pages hang under the dossier link (/d/<dossier token>/werksessie...); only the
dossier token reaches them. Participants get another link (/w/<link token>/), derived from
the dossier token (see kompas.web.workshop_db), that reaches only the participant pages of
that one session. After their first submit a participant gets a personal edit link
(/w/<link token>/p/<personal token>): no account and no cookie identifies them, so one
laptop passed around the table works as well as thirty phones.

Aggregation and comparison are the engine's (kompas.engine.workshop); this module only
stores, shows and adopts.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import segno
from flask import Blueprint
from flask import abort
from flask import current_app
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from markupsafe import Markup
from wtforms import SelectChoice
from wtforms import StringField
from wtforms.validators import DataRequired
from wtforms.validators import Length

from kompas.engine import workshop as ew
from kompas.engine.answers import check_answers
from kompas.engine.model import MUST
from kompas.engine.model import Catalogue
from kompas.engine.model import Question
from kompas.engine.model import Questionnaire
from kompas.engine.model import Section
from kompas.engine.workshop import Aggregate
from kompas.engine.workshop import QuestionAggregate
from kompas.engine.workshop import aggregate
from kompas.engine.workshop import compare_participant
from kompas.engine.workshop import default_sections
from kompas.engine.workshop import priority_sections
from kompas.i18n import _
from kompas.i18n import lazy_gettext
from kompas.i18n import ngettext
from kompas.narrative import describe_answer
from kompas.narrative import importance_choices
from kompas.numbers import format_number
from kompas.web import db
from kompas.web import workshop_db as wdb
from kompas.web.forms import CheckboxListField
from kompas.web.forms import ConfirmForm
from kompas.web.forms import KompasForm
from kompas.web.forms import answer_value
from kompas.web.forms import build_step_form
from kompas.web.forms import flashed_messages
from kompas.web.forms import form_value
from kompas.web.forms import one_line
from kompas.web.forms import submitted_answers
from kompas.web.lookup import dossier_or_404
from kompas.web.security import external_url

bp = Blueprint("workshop", __name__)

NAME_FIELD = "naam_of_rol"  # the participant's name or role; never a question id
PART = "deel"  # the section a participant's page shows (one section per page)
ADOPTED = "overgenomen"  # flash category: shown in the 'Overnemen' section, where it lands
FOLLOW_UP = "vervolg:"  # + question id: flash category shown inside that new question
# Workshop policy (thresholds, respondents, adoption, what a participant sees) lives in
# kompas.engine.workshop; this module only renders it.


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
    workshop = wdb.workshop_for_dossier(dossier_id)
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


def workshop_or_404(link: str) -> wdb.Workshop:
    """The session behind a participant link, or the friendly 404."""
    workshop = wdb.find_workshop(link)
    if workshop is None:
        abort(404)
    return workshop


def session_questions(workshop: wdb.Workshop) -> tuple[Question, ...]:
    """The questions of the sections participants see (priority questions only)."""
    return ew.session_questions(questionnaire(), workshop.sections, reserved=(NAME_FIELD,))


def stored_values(stored: dict[str, Any]) -> dict[str, Any]:
    """The stored answers that count (stale, invalid and hidden ones set aside)."""
    return dict(check_answers(questionnaire(), stored, strict=False).values)


def own_answers(questions: tuple[Question, ...], raw: dict[str, Any]) -> dict[str, Any]:
    """A participant's stored answers to the session's questions, normalised."""
    return ew.own_answers(questions, raw)


def shown_to_participant(
    workshop: wdb.Workshop, base: dict[str, Any], own: dict[str, Any]
) -> list[Question]:
    """The session's questions a participant sees: show_if on their own answers (and on the
    dossier's answers to questions participants are not asked, such as the budget)."""
    return ew.shown_to_participant(questionnaire(), session_questions(workshop), base, own)


def group_aggregate(workshop: wdb.Workshop) -> tuple[list[wdb.Participant], Aggregate]:
    """The participants who answered something, and their aggregate."""
    questions = session_questions(workshop)
    people = [p for p in wdb.participants(workshop.id)]
    answered = [people[i] for i in ew.respondents(questions, [p.answers for p in people])]
    return answered, aggregate(
        questionnaire(), [own_answers(questions, p.answers) for p in answered]
    )


def roles(people: list[wdb.Participant]) -> list[str]:
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


# -- forms ----------------------------------------------------------------------------------


def sections_form(selected: list[str] | None = None, formdata: Any = None) -> KompasForm:
    """Which sections participants see: the priority sections, as checkboxes."""

    class SectionsForm(KompasForm):
        onderdelen = CheckboxListField(
            _("Onderdelen die deelnemers beantwoorden"),
            choices=[SelectChoice(s.id, s.title) for s in priority_sections(questionnaire())],
        )

    if formdata is not None:
        return SectionsForm(formdata=formdata)
    return SectionsForm(formdata=None, data={"onderdelen": selected or []})


def _name_field() -> StringField:
    return StringField(
        lazy_gettext("Uw naam of rol"),
        description=lazy_gettext("Bijvoorbeeld ‘wethouder’, ‘welzijn’ of ‘woningcorporatie’."),
        validators=[
            DataRequired(lazy_gettext("Vul uw naam of rol in.")),
            Length(max=wdb.NAME_MAX, message=lazy_gettext("Gebruik ten hoogste 80 tekens.")),
            one_line,
        ],
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
    )


class JoinForm(KompasForm):
    """A participant's first step: who they are (a name or a role)."""

    naam_of_rol = _name_field()


def answer_form_class(questions: list[Question], with_name: bool = True) -> type[KompasForm]:
    """The participant's form: name or role (on the first part), then the shown questions."""
    step = build_step_form(questions)
    if not with_name:
        return step  # type: ignore[no-any-return]

    class ParticipantForm(step):  # type: ignore[misc, valid-type]
        naam_of_rol = _name_field()

    return ParticipantForm


# -- facilitator ----------------------------------------------------------------------------


@bp.get("/d/<token>/werksessie")
def facilitator(token: str) -> Any:
    """Start a session, or follow it: who answered, the group's priorities, the agenda."""
    dossier = dossier_or_404(token)
    workshop = wdb.workshop_for_dossier(dossier.id)
    if workshop is None:
        form = sections_form([s.id for s in default_sections(questionnaire())])
        return render_template(
            "workshop/start.html",
            dossier=dossier,
            token=token,
            form=form,
            sections=priority_sections(questionnaire()),
        )
    return _render_facilitator(token, dossier, workshop)


def _render_facilitator(
    token: str,
    dossier: db.Dossier,
    workshop: wdb.Workshop,
    adopt_form: Any = None,
    status: int = 200,
    problem: str = "",
    dropped: list[str] | None = None,
) -> tuple[str, int]:
    link = external_url("workshop.join", link=wdb.link_token(token, workshop.link_salt))
    everyone = wdb.participants(workshop.id)
    questions = session_questions(workshop)
    answered, agg = group_aggregate(workshop)
    rows = [question_row(item) for item in agg.questions]
    by_section = []
    for section in questionnaire().sections:
        items = [r for r in rows if r["question"] in section.questions]
        if items:
            by_section.append({"section": section, "rows": items})
    agenda = [question_row(item) for item in agg.agenda]
    stored = stored_values(db.load_answers(dossier.id))
    adopt_questions, defaults = _adoption_plan(questions, agg, stored)
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
    section_titles = {s.id: s.title for s in questionnaire().sections}
    flashed = flashed_messages()
    return render_template(
        "workshop/facilitator.html",
        group=ew.group_summary(questionnaire(), catalogue(), stored, agg),
        flashes=[(c, m) for c, m in flashed if c != ADOPTED],
        adopted=[m for c, m in flashed if c == ADOPTED],
        dossier=dossier,
        token=token,
        workshop=workshop,
        link=link,
        qr=qr_svg(link),
        everyone=everyone,
        answered_ids={p.id for p in answered},
        progress={p.id: _progress(questions, stored, p) for p in everyone},
        agg=agg,
        by_section=by_section,
        agenda=agenda,
        adopt_form=adopt_form,
        adopt_questions=adopt_questions,
        changes=changes,
        n_changes=sum(c["changes"] for c in changes),
        kept_decisions=bool(snapshot.get("proposed")),
        dropped=dropped
        if dropped is not None
        else _dropped_words(ew.dropped_options(adopt_questions, stored, defaults)),
        confirm_drop=CONFIRM_DROP,
        sections_form=sections_form(list(workshop.sections)),
        shown_sections=[section_titles[s] for s in workshop.sections if s in section_titles],
        confirm=ConfirmForm(),
        summary=workshop_summary(dossier.id),
        problem=problem,
    ), status


def _progress(
    questions: tuple[Question, ...], base: dict[str, Any], person: wdb.Participant
) -> dict[str, Any]:
    """A participant's row in the facilitator's table: answered of shown, and why not all."""
    progress = ew.participant_progress(
        questionnaire(), questions, base, own_answers(questions, person.answers)
    )
    titles = {s.id: s.title for s in questionnaire().sections}
    notes = []
    if progress.hidden:
        notes.append(
            ngettext(
                "{n} vraag niet van toepassing door de antwoorden",
                "{n} vragen niet van toepassing door de antwoorden",
                progress.hidden,
            ).format(n=progress.hidden)
        )
    if progress.open_sections and progress.answered:
        notes.append(
            _("nog open in: {sections}").format(
                sections="; ".join(f"{titles[s]}" for s in progress.open_sections)
            )
        )
    return {"answered": progress.answered, "shown": progress.shown, "notes": notes}


CONFIRM_DROP = "weglaten"  # ticked: adopt even though options the dossier has go


def _dropped_words(dropped: dict[str, tuple[str, ...]]) -> list[str]:
    """What adoption would drop, per question: "Doelen: Burenhulp, Mantelzorg"."""
    lines = []
    for qid, options in dropped.items():
        question = questionnaire().question(qid)
        labels = ", ".join(value_label(question, o) for o in options)
        lines.append(f"{question.text}: {labels}")
    return lines


def _adoption_plan(
    questions: tuple[Question, ...], agg: Aggregate, stored: dict[str, Any]
) -> tuple[list[Question], dict[str, Any]]:
    """The questions to adopt (answered by someone, shown with the group's answers) and
    their proposed answers: the group's, or the dossier's own on a tie."""
    return ew.adoption_plan(questionnaire(), questions, agg, stored)


@bp.post("/d/<token>/werksessie/starten")
def start(token: str) -> Any:
    """Open a session with the chosen sections, or change the sections of the open one."""
    dossier = dossier_or_404(token)
    form = sections_form(formdata=request.form)
    chosen = [
        s.id for s in priority_sections(questionnaire()) if s.id in (form.onderdelen.data or [])
    ]
    workshop = wdb.workshop_for_dossier(dossier.id)
    if not form.validate() or not chosen:
        if not form.errors:
            form.onderdelen.errors = [_("Kies ten minste één onderdeel.")]
        if workshop is not None:
            return _render_facilitator(
                token,
                dossier,
                workshop,
                status=400,
                problem=_("Kies ten minste één onderdeel; er is niets gewijzigd."),
            )
        return render_template(
            "workshop/start.html",
            dossier=dossier,
            token=token,
            form=form,
            sections=priority_sections(questionnaire()),
        ), 400
    if workshop is None:
        wdb.create_workshop(dossier.id, token, chosen)
        flash(_("De werksessie is geopend. Deel de link of de QR-code met de deelnemers."), "info")
    else:
        wdb.set_sections(workshop.id, chosen)
        flash(_("De onderdelen voor de deelnemers zijn gewijzigd."), "info")
    return redirect(url_for(".facilitator", token=token), 303)


@bp.post("/d/<token>/werksessie/sluiten")
def close(token: str) -> Any:
    """Close the session: participants can no longer answer."""
    return _set_open(token, False)


@bp.post("/d/<token>/werksessie/heropenen")
def reopen(token: str) -> Any:
    """Open the session again."""
    return _set_open(token, True)


def _set_open(token: str, is_open: bool) -> Any:
    dossier = dossier_or_404(token)
    workshop = wdb.workshop_for_dossier(dossier.id)
    if workshop is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    wdb.set_open(workshop.id, is_open)
    flash(
        _("De werksessie is weer open.")
        if is_open
        else _("De werksessie is gesloten: deelnemers kunnen niets meer invullen."),
        "info",
    )
    return redirect(url_for(".facilitator", token=token), 303)


@bp.post("/d/<token>/werksessie/overnemen")
def adopt(token: str) -> Any:
    """Take the group's priorities (as the facilitator edited them) into the dossier."""
    dossier = dossier_or_404(token)
    workshop = wdb.workshop_for_dossier(dossier.id)
    if workshop is None:
        abort(404)
    questions = session_questions(workshop)
    listed = set(request.form.getlist("vragen"))
    chosen = [q for q in questions if q.id in listed]
    form = build_step_form(chosen)()
    allowed = {f.name for f in form} | {"vragen", CONFIRM_DROP}
    if set(request.form) - allowed or len(listed) != len(chosen) or not chosen:
        return _render_facilitator(
            token,
            dossier,
            workshop,
            status=400,
            problem=_(
                "Dit formulier past niet (meer) bij de werksessie. Er is niets overgenomen; "
                "bekijk de voorstellen hieronder opnieuw."
            ),
        )
    if not form.validate():
        return _render_facilitator(token, dossier, workshop, adopt_form=form, status=400)
    raw = db.load_answers(dossier.id)
    stored = stored_values(raw)
    values, cleared = submitted_answers(chosen, form)
    dropped = ew.dropped_options(chosen, stored, values)
    if dropped and request.form.get(CONFIRM_DROP) != "ja":
        # Warn first: a goal the dossier has would silently disappear from the advice.
        return _render_facilitator(
            token,
            dossier,
            workshop,
            adopt_form=form,
            status=400,
            problem=_(
                "Er is nog niets overgenomen: zo verdwijnt uit het dossier wat er nu in staat "
                "({what}). Is dat de bedoeling, vink dat dan aan bij ‘Overnemen in het "
                "dossier’; anders kiest u het daar weer bij de vraag."
            ).format(what="; ".join(_dropped_words(dropped))),
            dropped=_dropped_words(dropped),
        )
    after = stored_values({k: v for k, v in raw.items() if k not in cleared} | values)
    changed = [q.id for q in chosen if after.get(q.id) != stored.get(q.id)]
    answered, agg = group_aggregate(workshop)
    _plan, proposed = _adoption_plan(questions, agg, stored)
    summary = {
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
        "proposed": ew.proposals(_plan, proposed),
        "questionnaire": questionnaire().version,
    }
    # One transaction: the answers change only together with the record of the adoption.
    db.save_answers(
        dossier.id,
        values,
        cleared,
        also=lambda session: wdb.record_adoption(workshop.id, summary, session=session),
    )
    flash(
        _(
            "De prioriteiten van de groep zijn overgenomen in het dossier ({n} antwoorden gewijzigd)."
        ).format(n=len(changed)),
        ADOPTED,
    )
    return redirect(url_for(".facilitator", token=token, _anchor="overnemen"), 303)


@bp.route("/d/<token>/werksessie/verwijderen", methods=["GET", "POST"])
def remove(token: str) -> Any:
    """Delete the session with every participant's answers (the dossier stays)."""
    dossier = dossier_or_404(token)
    workshop = wdb.workshop_for_dossier(dossier.id)
    if workshop is None:
        abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        wdb.delete_workshop(workshop.id)
        flash(_("De werksessie en alle antwoorden van de deelnemers zijn verwijderd."), "info")
        return redirect(url_for(".facilitator", token=token), 303)
    return render_template(
        "workshop/delete.html",
        dossier=dossier,
        token=token,
        form=form,
        people=len(wdb.participants(workshop.id)),
    )


# -- participants ---------------------------------------------------------------------------


def _closed(workshop: wdb.Workshop, status: int, link: str, personal: str = "") -> tuple[str, int]:
    return render_template(
        "workshop/closed.html",
        municipality=wdb.municipality(workshop.dossier_id),
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
            personal, _person = wdb.add_participant(workshop.id, form.naam_of_rol.data)
        except wdb.WorkshopClosed:
            return _closed(workshop, 409, link)
        return redirect(url_for(".answer", link=link, personal=personal), 303)
    return render_template(
        "workshop/join.html",
        municipality=wdb.municipality(workshop.dossier_id),
        link=link,
        form=form,
        sections=_section_titles(workshop),
    ), 400 if form.errors else 200


def _section_titles(workshop: wdb.Workshop) -> list[str]:
    titles = {s.id: s.title for s in questionnaire().sections}
    return [titles[s] for s in workshop.sections if s in titles]


def _participant_or_404(link: str, personal: str) -> tuple[wdb.Workshop, wdb.Participant]:
    workshop = workshop_or_404(link)
    person = wdb.find_participant(workshop.id, personal)
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
    base = stored_values(db.load_answers(workshop.dossier_id))
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
        return _render_answer(
            workshop,
            link,
            personal,
            form,
            asked,
            parts,
            index,
            person.name,
            400,
            _(
                "Dit formulier past niet (meer) bij de werksessie. Er is niets opgeslagen; "
                "de vragen hieronder zijn opnieuw geladen."
            ),
        )
    if not form.validate():
        return _render_answer(workshop, link, personal, form, asked, parts, index, person.name, 400)
    values = {}
    for question in asked:
        value = answer_value(question, form[question.id].data)
        if value is not None:
            values[question.id] = value
    # The other parts' answers stay: this page replaces only its own questions.
    merged = {k: v for k, v in own.items() if k not in {q.id for q in asked}} | values
    new_own = own_answers(questions, merged)
    now_shown = shown_to_participant(workshop, base, new_own)
    kept = {q.id: merged[q.id] for q in now_shown if q.id in merged}
    name = form[NAME_FIELD].data if with_name else person.name
    try:
        wdb.save_participant(workshop.id, person.id, name, kept)
    except wdb.WorkshopClosed:
        return _closed(workshop, 409, link, personal)
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
    workshop: wdb.Workshop,
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
        municipality=wdb.municipality(workshop.dossier_id),
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
        base = stored_values(db.load_answers(workshop.dossier_id))
        _answered, agg = group_aggregate(workshop)
        comparison = compare_participant(questionnaire(), catalogue(), base, own, dict(agg.answers))
    return render_template(
        "workshop/thanks.html",
        municipality=wdb.municipality(workshop.dossier_id),
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
