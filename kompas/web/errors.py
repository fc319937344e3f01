"""Friendly Dutch error pages: a bad request is a 4xx with an explanation, never a 500 trace."""

from __future__ import annotations

import logging

from flask import Flask
from flask import render_template
from flask.globals import request_ctx
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from werkzeug.exceptions import HTTPException

from kompas.i18n import _

log = logging.getLogger("kompas.web")


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (
            _("Dit verzoek klopt niet"),
            _(
                "Het formulier of de link bevat iets wat Kompas niet kan verwerken. Er is niets gewijzigd aan uw opgeslagen antwoorden."
            ),
        ),
        404: (
            _("Niet gevonden"),
            _(
                "Deze pagina of dit dossier bestaat niet (meer). Controleer de link; een verwijderd dossier is niet terug te halen."
            ),
        ),
        405: (_("Dat kan hier niet"), _("Deze pagina kan zo niet gebruikt worden.")),
        413: (
            _("Te groot"),
            _("Wat u verstuurde is groter dan Kompas aanneemt (1 MB). Er is niets opgeslagen."),
        ),
        429: (
            _("Even rustig aan"),
            _("Er kwamen te veel verzoeken tegelijk binnen. Probeer het over een minuut opnieuw."),
        ),
        500: (
            _("Er ging iets mis"),
            _(
                "Kompas kon dit verzoek niet afhandelen. Uw eerder opgeslagen antwoorden zijn bewaard."
            ),
        ),
        503: (
            _("Even niet beschikbaar"),
            _(
                "De opslag van Kompas is tijdelijk niet bereikbaar. Uw opgeslagen antwoorden zijn bewaard; probeer het zo opnieuw."
            ),
        ),
    }


def render_error(status: int, detail: str = "") -> tuple[str, int]:
    """An error page in the site's layout."""
    title, text = _messages().get(status, _messages()[400])
    if request_ctx and request_ctx.url_adapter is None:
        # The Host header was not in TRUSTED_HOSTS: no URL can be built, so no layout.
        page = f"<!doctype html><title>{escape(title)}</title><h1>{escape(title)}</h1><p>{escape(text)}</p>"
        return page, status
    return render_template(
        "error.html", status=status, title=title, text=text, detail=detail
    ), status


def init_app(app: Flask) -> None:
    """Register the error handlers."""

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str, int]:
        return render_error(
            400,
            _(
                "Het beveiligingskenmerk van het formulier ontbreekt of klopt niet. "
                "Laad de pagina opnieuw en probeer het nog eens."
            ),
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int]:
        status = error.code or 500
        return render_error(status if status in _messages() else 400)

    @app.errorhandler(UnicodeDecodeError)
    def bad_encoding(error: UnicodeDecodeError) -> tuple[str, int]:
        return render_error(400, _("De tekst is geen geldige UTF-8."))

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> tuple[str, int]:
        from sqlalchemy.exc import DBAPIError
        from sqlalchemy.exc import OperationalError

        # A refused or lost database connection (OperationalError) is an outage, not a bug.
        if isinstance(error, OperationalError) or (
            isinstance(error, DBAPIError) and error.connection_invalidated
        ):
            log.warning("database unavailable: %s", type(error).__name__)
            return render_error(503)
        log.exception("unexpected error")
        return render_error(500)
