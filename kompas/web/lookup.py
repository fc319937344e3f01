"""Finding a dossier behind a link: shared by the wizard and the workshop pages."""

from __future__ import annotations

from flask import abort

from kompas.store import dossier as dossier_store


def dossier_or_404(token: str) -> dossier_store.Dossier:
    """The dossier behind a link, or the friendly 404 page."""
    dossier = dossier_store.find_dossier(token)
    if dossier is None:
        abort(404)
    return dossier
