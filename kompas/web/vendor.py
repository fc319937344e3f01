"""The vendor's form behind a link.

Storage lives in kompas.store (usable without Flask); a submission never changes the
catalogue: a curator accepts or rejects it per fact (`kompas catalogue accept|reject`), and a
submission sent from a dossier's link counts for that dossier's advice as local facts.
The dossier's side (making links, facts typed in by the advisor) is in vendor_dossier, what
both share (the blueprint, the questions' cache, reading a form) in vendor_forms.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import abort
from flask import current_app
from flask import flash
from flask import redirect
from flask import render_template
from flask import request

from kompas.engine.vendor import VENDOR_STATEMENT
from kompas.engine.vendor import VendorAnswer
from kompas.engine.vendor import VendorItem
from kompas.i18n import _
from kompas.store import base as store_base
from kompas.store import dossier as dossier_store
from kompas.store import local as local_store
from kompas.store import round as round_store
from kompas.store.curator import DecisionRow as DecisionRow
from kompas.store.curator import decide as decide
from kompas.store.curator import submissions as submissions
from kompas.store.local import VENDOR
from kompas.store.local import LocalFactRow as LocalFactRow
from kompas.store.vendor import Link
from kompas.store.vendor import SubmissionRow as SubmissionRow
from kompas.store.vendor import VendorLinkRow as VendorLinkRow
from kompas.store.vendor import create_link as create_link
from kompas.store.vendor import find_link
from kompas.store.vendor import load_submission
from kompas.store.vendor import save_submission
from kompas.web.errors import render_error
from kompas.web.vendor_forms import _ITEMS as _ITEMS
from kompas.web.vendor_forms import DRAFT_BYTES as DRAFT_BYTES
from kompas.web.vendor_forms import _catalogue
from kompas.web.vendor_forms import _questionnaire
from kompas.web.vendor_forms import bp as bp
from kompas.web.vendor_forms import draft_problem
from kompas.web.vendor_forms import items_for as items_for
from kompas.web.vendor_forms import local_answers as local_answers
from kompas.web.vendor_forms import local_facts as local_facts
from kompas.web.vendor_forms import read_form
from kompas.web.vendor_forms import text_field


@bp.route("/leverancier/<token>", methods=["GET", "POST"])
def form(token: str) -> Any:
    """The vendor's form: the platform's questions; save to continue later, or send."""
    link = find_link(token)
    if link is None:
        return render_error(404)
    catalogue = _catalogue()
    if link.platform_id not in catalogue.index:
        return render_error(404)
    items = weighed_items(link)
    if request.method == "GET":
        round_store.mark_opened(link.id)  # a round's vendor status: opened the first time
    saved = load_submission(link.id) or {"status": "concept", "name": "", "role": "", "answers": {}}
    problems: dict[str, str] = {}
    if request.method == "POST":
        if saved["status"] == "ingediend":
            return render_error(409, _("Deze vragenlijst is al verstuurd."))
        typed, valid, problems = read_form(items, request.form, link.platform_id, dt.date.today())
        name, role = (text_field(request.form, k, {}) for k in ("name", "role"))
        send = request.form.get("action") == "send"
        if send and not name:
            problems["name"] = _("vul uw naam in")
        if send and not role:
            problems["role"] = _("vul uw functie in")
        if send and not valid and not problems:
            problems["form"] = _("beantwoord minstens één vraag, of sla op om later verder te gaan")
        too_big = draft_problem(typed)
        if too_big:
            # Refused whole, with the typed text shown again: nothing stored is lost.
            problems["form"] = too_big
        saved = {"status": "concept", "name": name, "role": role, "answers": typed}
        if not too_big and not any(k in problems for k in ("name", "role")):
            outcome = _store(link, send and not problems, name, role, typed, valid)
            if outcome is not None:
                return outcome
    return render_form(link, token, items, saved, problems)


def _store(
    link: Link, send: bool, name: str, role: str, typed: dict[str, Any], valid: list[VendorAnswer]
) -> Any:
    """Save a draft or send; a response, or None to show the form again."""
    status = "ingediend" if send else "concept"
    # A draft is always saved as typed: nothing the vendor wrote is lost.
    sid = save_submission(link, status, name, role, typed)
    if sid is None:
        return render_error(409, _("Deze vragenlijst is al verstuurd."))
    if send:
        if link.dossier_id is not None:
            local_store.set_local_facts(link.dossier_id, valid, VENDOR, sid)
        platform = _catalogue().platform(link.platform_id)
        return render_template("vendor/thanks.html", platform=platform, count=len(valid))
    if request.form.get("action") != "send":
        # A draft needs no complete answers: checks come when it is sent.
        flash(_("Opgeslagen. U kunt later met dezelfde link verder."))
        return redirect(request.path)
    return None


def render_form(
    link: Link,
    token: str,
    items: tuple[VendorItem, ...],
    saved: dict[str, Any],
    problems: dict[str, str],
) -> Any:
    """The vendor form page (400 when it shows problems)."""
    municipality = ""
    if link.share_dossier and link.dossier_id is not None:
        with store_base.transaction() as session:
            row = session.get(dossier_store.DossierRow, link.dossier_id)
            municipality = row.municipality if row is not None else ""
    page = render_template(
        "vendor/form.html",
        platform=_catalogue().platform(link.platform_id),
        items=items,
        saved=saved,
        problems=problems,
        municipality=municipality,
        expires=link.expires_at.date(),
        statement=VENDOR_STATEMENT,
        token=token,
    )
    return page, 400 if problems else 200


def weighed_items(link: Link) -> tuple[VendorItem, ...]:
    """A link's questions; from a dossier, none about criteria the dossier gave weight 0;
    from a verification round, the deciding questions the round chose for it."""
    items = items_for(link.platform_id)
    if link.dossier_id is None:
        return items
    chosen = round_store.round_questions(link.id)
    if chosen:
        by_fact = {item.fact_id: item for item in items}
        return tuple(by_fact[f] for f in chosen if f in by_fact) or items
    from kompas.engine.scoring import advise
    from kompas.engine.vendor import criteria_of_fact

    questionnaire = _questionnaire()
    answers = dossier_store.load_answers(link.dossier_id)
    if not answers:
        return items
    advice = advise(questionnaire, _catalogue(), answers, strict=False)
    results = advice.ranking[0].results if advice.ranking else ()
    weighed = {r.criterion_id for r in results if r.weight > 0 or r.must}
    return tuple(
        item
        for item in items
        if any(c.id in weighed for c in criteria_of_fact(questionnaire, item.fact_id))
    )


def require_platform(platform_id: str) -> None:
    """404 for a platform the catalogue does not hold."""
    if platform_id not in _catalogue().index:
        abort(404)


@bp.app_template_global("local_fact_lines")
def template_local_fact_lines(advice: Any) -> list[str]:
    """The dossier's local facts as lines for the advice page."""
    from kompas.engine.vendor import local_fact_lines

    local = getattr(advice, "local_facts", None) or {}
    return local_fact_lines(local, _questionnaire(), _catalogue())


@bp.app_template_filter("vendor_value")
def vendor_value(answer: VendorAnswer) -> str:
    """A stored answer's value as words, as the pages show it."""
    from kompas.engine.criterion_results import describe_value

    spec = _catalogue().facts[answer.fact_id]
    return describe_value(spec, answer.fact(), _questionnaire().texts)


@bp.before_app_request
def reload_catalogue() -> None:
    """Load the data files again when one changed on disk (a curator accepted a fact)."""
    from kompas.web.reload import refresh

    refresh(current_app)


from kompas.web import vendor_dossier as vendor_dossier  # noqa: E402 - registers its routes
from kompas.web import vendor_round as vendor_round  # noqa: E402 - registers its routes
