"""A dossier's side of the vendor loop: making vendor links and typing in what a vendor said."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for

from kompas.engine.vendor import VENDOR_STATEMENT
from kompas.i18n import _
from kompas.store import local as local_store
from kompas.store.curator import waiting
from kompas.store.vendor import create_link
from kompas.store.vendor import dossier_links
from kompas.store.vendor import renew_link
from kompas.web.errors import render_error
from kompas.web.lookup import dossier_or_404
from kompas.web.vendor_forms import _catalogue
from kompas.web.vendor_forms import bp
from kompas.web.vendor_forms import items_for
from kompas.web.vendor_forms import read_form
from kompas.web.vendor_forms import text_field


def _show_link(token: str, dossier: Any, platform_id: str, secret: str) -> Any:
    from kompas.web.security import external_url

    return render_template(
        "vendor/link.html",
        link=external_url("vendor.form", token=secret),
        platform=_catalogue().platform(platform_id),
        token=token,
        dossier=dossier,
    )


@bp.post("/d/<token>/leverancier")
def send_link(token: str) -> Any:
    """An advisor creates a vendor link for one platform from a dossier's advice page."""
    dossier = dossier_or_404(token)
    platform_id = request.form.get("platform", "")
    if platform_id not in _catalogue().index:
        return render_error(400, _("Kies een platform uit de lijst."))
    secret = create_link(
        platform_id,
        dossier_id=dossier.id,
        share_dossier=request.form.get("share") == "1",
        created_by=dossier.advisor or dossier.municipality,
    )
    return _show_link(token, dossier, platform_id, secret)


@bp.post("/d/<token>/leverancier/<int:link_id>/nieuw")
def renew(token: str, link_id: int) -> Any:
    """A new link instead of one made earlier (the token is kept hashed, so it cannot be shown
    again); the old link stops working, what the vendor saved stays."""
    dossier = dossier_or_404(token)
    links = {link.id: link for link in dossier_links(dossier.id)}
    link = links.get(link_id)
    if link is None or link.platform_id not in _catalogue().index:
        return render_error(404)
    secret = renew_link(link_id, dossier.id)
    if secret is None:
        return render_error(404)
    return _show_link(token, dossier, link.platform_id, secret)


def _choose(dossier_id: int, choice: str) -> None:
    """The advisor's choice between their own fact and a vendor's differing answer."""
    what, _sep, rest = choice.partition(":")
    sid_text, _sep, key = rest.partition(":")
    pid, _sep, fid = key.partition(":")
    if not sid_text.isdigit():
        return
    sid = int(sid_text)
    for item in waiting(dossier_id, _catalogue()):
        if (item.submission_id, item.vendor.platform_id, item.vendor.fact_id) != (sid, pid, fid):
            continue
        if what == "vendor":
            local_store.delete_local_fact(dossier_id, pid, fid)
            local_store.set_local_facts(dossier_id, [item.vendor], local_store.VENDOR, sid)
        else:
            local_store.keep_advisor(dossier_id, pid, fid, sid)


@bp.route("/d/<token>/leveranciersfeiten", methods=["GET", "POST"])
def dossier_facts(token: str) -> Any:
    """What a vendor told the advisor by phone or mail, typed in for this dossier only."""
    dossier = dossier_or_404(token)
    catalogue = _catalogue()
    problems: dict[str, str] = {}
    form_values: dict[str, str] = {}
    platform_id = request.values.get("platform", "")
    if platform_id and platform_id not in catalogue.index:
        return render_error(400, _("Kies een platform uit de lijst."))
    if request.method == "POST" and request.form.get("remove"):
        pid, _sep, fid = request.form["remove"].partition(":")
        local_store.delete_local_fact(dossier.id, pid, fid)
        return redirect(url_for("vendor.dossier_facts", token=token))
    if request.method == "POST" and request.form.get("choose"):
        _choose(dossier.id, request.form["choose"])
        return redirect(url_for("vendor.dossier_facts", token=token))
    items = items_for(platform_id) if platform_id else ()
    if request.method == "POST" and platform_id:
        form_values = {k: v for k, v in request.form.items()}
        how = text_field(request.form, "how", problems)
        _typed, valid, found = read_form(
            items, request.form, platform_id, dt.date.today(), free_source=True
        )
        problems.update(found)
        if not request.form.get("name", "").strip():
            problems["name"] = _("vul in wie het zei")
        if not valid and not problems:
            problems["form"] = _("vul minstens één feit in")
        if not problems:
            valid = [dataclasses.replace(a, how=how or _("telefoon of mail")) for a in valid]
            local_store.set_local_facts(dossier.id, valid)
            flash(_("Opgeslagen; het advies van dit dossier rekent ermee."))
            return redirect(url_for("vendor.dossier_facts", token=token))
    return (
        render_template(
            "vendor/dossier_facts.html",
            dossier=dossier,
            token=token,
            catalogue=catalogue,
            platform=catalogue.index.get(platform_id),
            items=items,
            problems=problems,
            values=form_values,
            facts=local_store.local_entries(dossier.id, catalogue),
            waiting=waiting(dossier.id, catalogue),
            links=[
                link for link in dossier_links(dossier.id) if link.platform_id in catalogue.index
            ],
            statement=VENDOR_STATEMENT,
            today=dt.date.today(),
        ),
        400 if problems else 200,
    )
