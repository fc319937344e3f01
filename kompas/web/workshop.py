"""Workshop mode (werksessie): participants give their priorities, the facilitator adopts them.

Facilitator pages hang under the dossier link (/d/<dossier token>/werksessie...); only the
dossier token reaches them. Participants get another link (/w/<link token>/), derived from
the dossier token (see kompas.store.workshop), that reaches only the participant pages of
that one session. After their first submit a participant gets a personal edit link
(/w/<link token>/p/<personal token>): no account and no cookie identifies them, so one
laptop passed around the table works as well as thirty phones.

This module holds the facilitator's pages (start, follow, adopt, close, delete); the
participant's pages are in kompas.web.workshop_participant, on the same blueprint. Aggregation
and comparison are the engine's (kompas.engine.workshop); the web side only stores, shows and
adopts.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for

from kompas.engine import workshop_policy as ew
from kompas.engine.model import Question
from kompas.engine.workshop import Aggregate
from kompas.engine.workshop import default_sections
from kompas.engine.workshop import priority_sections
from kompas.i18n import _
from kompas.i18n import ngettext
from kompas.store import dossier as dossier_store
from kompas.store import workshop as workshop_store
from kompas.web.forms import ConfirmForm
from kompas.web.forms import build_step_form
from kompas.web.forms import flashed_messages
from kompas.web.forms import submitted_answers
from kompas.web.lookup import dossier_or_404
from kompas.web.security import external_url
from kompas.web.workshop_adoption import CONFIRM_DROP
from kompas.web.workshop_adoption import adoption_snapshot
from kompas.web.workshop_adoption import adoption_view
from kompas.web.workshop_adoption import dropped_words
from kompas.web.workshop_forms import sections_form
from kompas.web.workshop_shared import catalogue
from kompas.web.workshop_shared import group_aggregate
from kompas.web.workshop_shared import own_answers
from kompas.web.workshop_shared import qr_svg
from kompas.web.workshop_shared import question_row
from kompas.web.workshop_shared import questionnaire
from kompas.web.workshop_shared import session_questions
from kompas.web.workshop_shared import stored_values
from kompas.web.workshop_shared import workshop_summary

bp = Blueprint("workshop", __name__)

ADOPTED = "overgenomen"  # flash category: shown in the 'Overnemen' section, where it lands
# Workshop policy (thresholds, respondents, adoption, what a participant sees) lives in
# kompas.engine.workshop; this module only renders it.


@bp.get("/d/<token>/werksessie")
def facilitator(token: str) -> Any:
    """Start a session, or follow it: who answered, the group's priorities, the agenda."""
    dossier = dossier_or_404(token)
    workshop = workshop_store.workshop_for_dossier(dossier.id)
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
    dossier: dossier_store.Dossier,
    workshop: workshop_store.Workshop,
    adopt_form: Any = None,
    status: int = 200,
    problem: str = "",
    dropped: list[str] | None = None,
) -> tuple[str, int]:
    link = external_url("workshop.join", link=workshop_store.link_token(token, workshop.link_salt))
    everyone = workshop_store.participants(workshop.id)
    questions = session_questions(workshop)
    answered, agg = group_aggregate(workshop)
    stored = stored_values(dossier_store.load_answers(dossier.id))
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
        by_section=_by_section(agg),
        agenda=[question_row(item) for item in agg.agenda],
        **adoption_view(workshop, questions, agg, stored, adopt_form, dropped),
        sections_form=sections_form(list(workshop.sections)),
        shown_sections=[section_titles[s] for s in workshop.sections if s in section_titles],
        confirm=ConfirmForm(),
        summary=workshop_summary(dossier.id),
        problem=problem,
    ), status


def _by_section(agg: Aggregate) -> list[dict[str, Any]]:
    """The aggregated questions as the facilitator page shows them, grouped per section."""
    rows = [question_row(item) for item in agg.questions]
    by_section = []
    for section in questionnaire().sections:
        items = [r for r in rows if r["question"] in section.questions]
        if items:
            by_section.append({"section": section, "rows": items})
    return by_section


def _progress(
    questions: tuple[Question, ...], base: dict[str, Any], person: workshop_store.Participant
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


@bp.post("/d/<token>/werksessie/starten")
def start(token: str) -> Any:
    """Open a session with the chosen sections, or change the sections of the open one."""
    dossier = dossier_or_404(token)
    form = sections_form(formdata=request.form)
    chosen = [
        s.id for s in priority_sections(questionnaire()) if s.id in (form.onderdelen.data or [])
    ]
    workshop = workshop_store.workshop_for_dossier(dossier.id)
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
        workshop_store.create_workshop(dossier.id, token, chosen)
        flash(_("De werksessie is geopend. Deel de link of de QR-code met de deelnemers."), "info")
    else:
        workshop_store.set_sections(workshop.id, chosen)
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
    workshop = workshop_store.workshop_for_dossier(dossier.id)
    if workshop is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    workshop_store.set_open(workshop.id, is_open)
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
    workshop = workshop_store.workshop_for_dossier(dossier.id)
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
    raw = dossier_store.load_answers(dossier.id)
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
            ).format(what="; ".join(dropped_words(dropped))),
            dropped=dropped_words(dropped),
        )
    after = stored_values({k: v for k, v in raw.items() if k not in cleared} | values)
    changed = [q.id for q in chosen if after.get(q.id) != stored.get(q.id)]
    summary = adoption_snapshot(workshop, questions, stored, after, changed)
    # One transaction: the answers change only together with the record of the adoption.
    dossier_store.save_answers(
        dossier.id,
        values,
        cleared,
        also=lambda session: workshop_store.record_adoption(workshop.id, summary, session=session),
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
    workshop = workshop_store.workshop_for_dossier(dossier.id)
    if workshop is None:
        abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        workshop_store.delete_workshop(workshop.id)
        flash(_("De werksessie en alle antwoorden van de deelnemers zijn verwijderd."), "info")
        return redirect(url_for(".facilitator", token=token), 303)
    return render_template(
        "workshop/delete.html",
        dossier=dossier,
        token=token,
        form=form,
        people=len(workshop_store.participants(workshop.id)),
    )
