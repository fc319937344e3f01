"""Rate limits on what creates data: new dossiers, imports and workshop submissions."""

from __future__ import annotations

import os

from flask import Flask
from flask import Response
from flask import g
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

# A workshop room often shares one public address, so participants get more room.
LIMITS = {
    "wizard.new": "KOMPAS_LIMIT_DOSSIERS",
    "wizard.import_answers": "KOMPAS_LIMIT_DOSSIERS",
    "workshop.join": "KOMPAS_LIMIT_PARTICIPANTS",
    "workshop.answer": "KOMPAS_LIMIT_PARTICIPANTS",
    # Vendor links: creating one, a vendor saving or sending the form, facts typed in.
    "vendor.send_link": "KOMPAS_LIMIT_DOSSIERS",
    "vendor.form": "KOMPAS_LIMIT_VENDOR",
    "vendor.dossier_facts": "KOMPAS_LIMIT_VENDOR",
}
DEFAULTS = {
    "KOMPAS_LIMIT_DOSSIERS": "20 per minute;300 per day",
    "KOMPAS_LIMIT_PARTICIPANTS": "240 per minute",
    "KOMPAS_LIMIT_PDF": "6 per minute;60 per day",
    "KOMPAS_LIMIT_VENDOR": "30 per minute;500 per day",
    "KOMPAS_LIMIT_VENDOR_QUESTIONS": "10 per minute;100 per day",
}
# Pages that compute a platform's vendor questions (about a second of CPU when not cached).
QUESTION_PAGES = ("vendor.form", "vendor.dossier_facts")


def init_app(app: Flask) -> None:
    """Apply the limits to the POSTs of the views that create data."""
    for key, default in DEFAULTS.items():
        app.config.setdefault(key, os.environ.get(key, default))
    # memory:// counts per process; several workers or servers share one count only in a
    # real store such as Redis (KOMPAS_RATELIMIT_STORAGE=redis://host:6379, docs/reliability.md).
    app.config.setdefault(
        "RATELIMIT_STORAGE_URI", os.environ.get("KOMPAS_RATELIMIT_STORAGE", "memory://")
    )
    # Redis gone: count in this process for a while rather than refuse every POST.
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    app.config.setdefault("RATELIMIT_ENABLED", os.environ.get("KOMPAS_RATELIMIT", "1") != "0")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    # One limiter per app: its counters (in memory by default) belong to this app alone.
    limiter = Limiter(key_func=get_remote_address)
    limiter.init_app(app)
    app.extensions["kompas_limiter"] = limiter
    for endpoint, setting in LIMITS.items():
        view = app.view_functions.get(endpoint)
        if view is not None:
            # flask-limiter types the wrapped view as possibly async; Flask's table is sync.
            app.view_functions[endpoint] = limiter.limit(  # type: ignore[assignment]
                app.config[setting], methods=["POST"]
            )(view)
    for endpoint in QUESTION_PAGES:
        view = app.view_functions.get(endpoint)
        if view is not None:
            # Only a request that computed the questions counts (a cached page is cheap).
            app.view_functions[endpoint] = limiter.limit(  # type: ignore[assignment]
                app.config["KOMPAS_LIMIT_VENDOR_QUESTIONS"], deduct_when=_computed
            )(view)
    # A PDF render costs seconds of a worker: only renders count (a cached report is free).
    pdf = app.view_functions.get("wizard.export_pdf")
    if pdf is not None:
        app.view_functions["wizard.export_pdf"] = limiter.limit(  # type: ignore[assignment]
            app.config["KOMPAS_LIMIT_PDF"], deduct_when=_rendered
        )(pdf)


def _computed(_response: Response) -> bool:
    return bool(g.get("kompas_vendor_computed"))


def _rendered(_response: Response) -> bool:
    return bool(g.get("kompas_pdf_rendered"))
