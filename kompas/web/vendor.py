"""The vendor's form behind a link, and reading what a vendor or advisor typed.

Storage lives in kompas.store (usable without Flask); a submission never changes the
catalogue: a curator accepts or rejects it per fact (`kompas catalogue accept|reject`), and a
submission sent from a dossier's link counts for that dossier's advice as local facts.
The dossier's side (making links, facts typed in by the advisor) is in vendor_dossier.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint
from flask import abort
from flask import current_app
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import request

from kompas.engine.model import Catalogue
from kompas.engine.model import Fact
from kompas.engine.model import Questionnaire
from kompas.engine.vendor import VENDOR_STATEMENT
from kompas.engine.vendor import VendorAnswer
from kompas.engine.vendor import VendorItem
from kompas.engine.vendor import check_source
from kompas.engine.vendor import control_problem
from kompas.engine.vendor import plain_value
from kompas.engine.vendor import value_from_form
from kompas.engine.vendor import vendor_questionnaire
from kompas.i18n import _
from kompas.store import local as local_store
from kompas.store.curator import DecisionRow as DecisionRow
from kompas.store.curator import decide as decide
from kompas.store.curator import submissions as submissions
from kompas.store.local import VENDOR
from kompas.store.local import LocalFactRow as LocalFactRow
from kompas.store.local import local_answers as store_local_answers
from kompas.store.vendor import FIELD_LENGTH
from kompas.store.vendor import Link
from kompas.store.vendor import SubmissionRow as SubmissionRow
from kompas.store.vendor import VendorLinkRow as VendorLinkRow
from kompas.store.vendor import create_link as create_link
from kompas.store.vendor import find_link
from kompas.store.vendor import load_submission
from kompas.store.vendor import save_submission
from kompas.web import db
from kompas.web.errors import render_error

bp = Blueprint("vendor", __name__)
TEXT_LENGTH = 500  # a source or a remark
DRAFT_BYTES = 64 * 1024  # a vendor's stored answers, as JSON: room for every question twice


def _catalogue() -> Catalogue:
    return current_app.extensions["kompas"]["catalogue"]  # type: ignore[no-any-return]


def _questionnaire() -> Questionnaire:
    return current_app.extensions["kompas"]["questionnaire"]  # type: ignore[no-any-return]


def local_answers(dossier_id: int, catalogue: Catalogue | None = None) -> list[VendorAnswer]:
    """A dossier's local facts (see kompas.store.local)."""
    return store_local_answers(dossier_id, catalogue or _catalogue())


def local_facts(dossier_id: int, catalogue: Catalogue | None = None) -> dict[str, dict[str, Fact]]:
    """A dossier's local facts as `advise(local_facts=...)` takes them."""
    return local_store.local_facts(dossier_id, catalogue or _catalogue())


# Every (platform, language) pair of the catalogue fits: computing one costs a second of CPU,
# so a cache that evicts would be recomputed over and over by a client cycling through them.
_ITEMS: dict[tuple[str, str, str, str], tuple[VendorItem, ...]] = {}


def items_for(platform_id: str) -> tuple[VendorItem, ...]:
    """The vendor questions of a platform (computed once per catalogue, questions, language)."""
    from kompas.engine.vendor import example_profiles
    from kompas.i18n import current_language

    catalogue, questionnaire = _catalogue(), _questionnaire()
    key = (
        catalogue.content_hash,
        str(getattr(questionnaire, "content_hash", "")),
        current_language(),
        platform_id,
    )
    found = _ITEMS.get(key)
    if found is None:
        g.kompas_vendor_computed = True  # this request pays the computation (see limits)
        found = vendor_questionnaire(questionnaire, catalogue, platform_id, example_profiles())
        if any(k[:2] != key[:2] for k in _ITEMS):
            _ITEMS.clear()  # the data changed: the old questions are gone for good
        _ITEMS[key] = found
    return found


def text_field(form: Any, name: str, problems: dict[str, str], limit: int = FIELD_LENGTH) -> str:
    """A free-text field, stripped and cut; control characters are a problem for the field."""
    text = str(form.get(name, "")).strip()[:limit]
    problem = control_problem(text)
    if problem:
        problems[name] = problem
    return text


def read_form(
    items: tuple[VendorItem, ...],
    form: Any,
    platform_id: str,
    today: dt.date,
    *,
    free_source: bool = False,
) -> tuple[dict[str, Any], list[VendorAnswer], dict[str, str]]:
    """The typed answers (kept as typed), the valid ones, and a problem per field.

    `free_source`: any text names the source (the advisor's "telefoongesprek met de
    leverancier"); otherwise a web address or the vendor's statement."""
    catalogue = _catalogue()
    problems: dict[str, str] = {}
    name = text_field(form, "name", problems)
    role = text_field(form, "role", problems)
    typed: dict[str, Any] = {}
    valid: list[VendorAnswer] = []
    for item in items:
        fid = item.fact_id
        raw: str | list[str] = (
            form.getlist(f"{fid}-value") if item.type == "set" else form.get(f"{fid}-value", "")
        )
        if isinstance(raw, str):
            raw = raw[:TEXT_LENGTH]
        source = text_field(form, f"{fid}-source", problems, TEXT_LENGTH)
        when = text_field(form, f"{fid}-date", problems, 20)
        remark = text_field(form, f"{fid}-remark", problems, TEXT_LENGTH)
        if not raw or raw == "unknown":
            if source or when or remark:
                typed[fid] = {"value": "", "source": source, "date": when, "remark": remark}
            continue
        typed[fid] = {"value": raw, "source": source, "date": when, "remark": remark}
        answer = _answer(catalogue, item, raw, (source, when, remark), today, free_source, problems)
        if answer is not None:
            typed[fid]["value"] = plain_value(answer[0])
            valid.append(
                VendorAnswer(
                    platform_id, fid, answer[0], answer[1], answer[2], name, role,
                    _("formulier"), remark=remark,
                )
            )  # fmt: skip
    return typed, valid, problems


def _answer(
    catalogue: Catalogue,
    item: VendorItem,
    raw: str | list[str],
    typed: tuple[str, str, str],
    today: dt.date,
    free_source: bool,
    problems: dict[str, str],
) -> tuple[Any, str, dt.date] | None:
    """One answer's value, source and date, or None with its problems noted."""
    fid = item.fact_id
    source, when, _remark = typed
    value, problem = value_from_form(catalogue.facts[fid], raw)
    if problem:
        problems[f"{fid}-value"] = problem
    if f"{fid}-source" not in problems:
        source_problem = "" if (free_source and source) else check_source(source)
        if not source:
            source_problem = _("geef een bron")
        if source_problem:
            problems[f"{fid}-source"] = source_problem
    date = None
    try:
        date = dt.date.fromisoformat(when)
    except ValueError:
        problems[f"{fid}-date"] = _("geef een datum als 2026-11-29")
    if date is not None and date > today:
        problems[f"{fid}-date"] = _("deze datum ligt in de toekomst")
        date = None
    if value is None or date is None or f"{fid}-source" in problems:
        return None
    if source.casefold() == VENDOR_STATEMENT:
        source = VENDOR_STATEMENT
    return value, source, date


def _draft_problem(typed: dict[str, Any]) -> str:
    import json

    if len(json.dumps(typed, ensure_ascii=False).encode()) > DRAFT_BYTES:
        return _("Dit is te veel tekst om te bewaren; maak de bronnen en opmerkingen korter.")
    return ""


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
        too_big = _draft_problem(typed)
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
        with db.transaction() as session:
            row = session.get(db.DossierRow, link.dossier_id)
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
    """A link's questions; from a dossier, none about criteria the dossier gave weight 0."""
    items = items_for(link.platform_id)
    if link.dossier_id is None:
        return items
    from kompas.engine.scoring import advise
    from kompas.engine.vendor import criteria_of_fact

    questionnaire = _questionnaire()
    answers = db.load_answers(link.dossier_id)
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
    from kompas.engine.scoring import describe_value

    spec = _catalogue().facts[answer.fact_id]
    return describe_value(spec, answer.fact(), _questionnaire().texts)


@bp.before_app_request
def reload_catalogue() -> None:
    """Load the data files again when one changed on disk (a curator accepted a fact)."""
    from kompas.web.reload import refresh

    refresh(current_app)


from kompas.web import vendor_dossier as vendor_dossier  # noqa: E402 - registers its routes
