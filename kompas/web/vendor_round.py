"""The verification round's pages: start one from the advice page, and see where it stands."""

from __future__ import annotations

from typing import Any

from flask import g
from flask import render_template

from kompas import verification
from kompas.store import dossier as dossier_store
from kompas.web.advice_views import dossier_explanation
from kompas.web.advice_views import ranked_questions
from kompas.web.lookup import dossier_or_404
from kompas.web.vendor_forms import _catalogue
from kompas.web.vendor_forms import _questionnaire
from kompas.web.vendor_forms import bp


def _page(token: str, dossier: Any, fresh: dict[str, str]) -> Any:
    """The round page; `fresh` holds the links just made (platform id -> URL), shown once.

    The advice and the next questions come from the advice page's cache: a second view of an
    unchanged dossier computes neither again (a vendor's answer changes the key)."""
    stored = dossier_store.load_answers(dossier.id)
    story = verification.status(
        dossier.id,
        stored,
        _questionnaire(),
        _catalogue(),
        lambda stance: ranked_questions(stored, dossier.id, stance),
    )
    return render_template(
        "vendor/round.html", story=story, token=token, dossier=dossier, fresh=fresh
    )


@bp.post("/d/<token>/ronde")
def start_round(token: str) -> Any:
    """Start a verification round: a link per vendor of the probable shortlist, shown once."""
    from kompas.web.security import external_url

    dossier = dossier_or_404(token)
    stored = dossier_store.load_answers(dossier.id)
    _id, tokens = verification.start(
        dossier.id,
        stored,
        _questionnaire(),
        _catalogue(),
        created_by=dossier.advisor or dossier.municipality,
        explanation=dossier_explanation(dossier, stored),
    )
    fresh = {pid: external_url("vendor.form", token=secret) for pid, secret in tokens.items()}
    return _page(token, dossier, fresh)


@bp.get("/d/<token>/ronde")
def round_page(token: str) -> Any:
    """Where the dossier's newest round stands: per vendor, before -> after, next questions."""
    dossier = dossier_or_404(token)
    g.kompas_vendor_computed = True  # it ranks the next questions: counted (see limits)
    return _page(token, dossier, {})
