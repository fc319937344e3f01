"""Rate limits on what creates data: new dossiers, imports and workshop submissions."""

from __future__ import annotations

import logging

from flask import Flask
from flask import Response
from flask import g
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

log = logging.getLogger("kompas.web")

# A workshop room often shares one public address, so participants get more room.
LIMITS = {
    "wizard.new": "KOMPAS_LIMIT_DOSSIERS",
    "wizard.import_answers": "KOMPAS_LIMIT_DOSSIERS",
    "workshop.join": "KOMPAS_LIMIT_PARTICIPANTS",
    "workshop.answer": "KOMPAS_LIMIT_PARTICIPANTS",
    # Vendor links: creating one, a vendor saving or sending the form, facts typed in.
    "vendor.send_link": "KOMPAS_LIMIT_DOSSIERS",
    "vendor.start_round": "KOMPAS_LIMIT_DOSSIERS",
    "vendor.form": "KOMPAS_LIMIT_VENDOR",
    "vendor.dossier_facts": "KOMPAS_LIMIT_VENDOR",
}
# Pages that compute a platform's vendor questions (about a second of CPU when not cached);
# the round page ranks the next questions on the dossier's advice every time.
QUESTION_PAGES = ("vendor.form", "vendor.dossier_facts", "vendor.round_page")


def init_app(app: Flask) -> None:
    """Apply the limits to the POSTs of the views that create data."""
    # The limits, RATELIMIT_STORAGE_URI and RATELIMIT_ENABLED come checked from
    # kompas.web.settings. memory:// counts per process; several workers or servers share one
    # count only in a real store such as Redis (KOMPAS_RATELIMIT_STORAGE=redis://host:6379).
    # Redis gone: count in this process for a while rather than refuse every POST.
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    # One limiter per app: its counters (in memory by default) belong to this app alone.
    limiter = Limiter(key_func=get_remote_address)
    limiter.init_app(app)
    app.extensions["kompas_limiter"] = limiter
    _watch_fallback(app, limiter)
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


def storage_state(app: Flask) -> str:
    """Where the rate limits count now: "shared" (Redis or another store), "memory"
    (configured per process) or "fallback" (the store is unreachable: per process)."""
    if str(app.config["RATELIMIT_STORAGE_URI"]).startswith("memory://"):
        return "memory"
    limiter: Limiter = app.extensions["kompas_limiter"]
    try:
        reachable = limiter.storage.check()
    except Exception:  # any client error means the same: not reachable
        reachable = False
    return "shared" if reachable and not _fallen_back(limiter) else "fallback"


def _fallen_back(limiter: Limiter) -> bool:
    # Flask-Limiter marks a dead store only in this attribute and logs it to a logger that
    # has a NullHandler, so without this check the fallback happens without a word.
    return bool(getattr(limiter, "_storage_dead", False))


def _watch_fallback(app: Flask, limiter: Limiter) -> None:
    """Log once when the limits fall back to per-process counting, and once when they return."""
    state = {"dead": False}

    @app.after_request
    def _note(response: Response) -> Response:
        dead = _fallen_back(limiter)
        if dead != state["dead"]:
            state["dead"] = dead
            if dead:
                log.warning(
                    "rate-limit store %s unreachable: limits now count per process, so each "
                    "worker allows the full limit until the store is back (see /gezondheid)",
                    _without_password(app.config["RATELIMIT_STORAGE_URI"]),
                )
            else:
                log.warning("rate-limit store reachable again: limits are shared once more")
        return response


def _without_password(uri: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(uri)
    host = parts.hostname or ""
    return f"{parts.scheme}://{host}" + (f":{parts.port}" if parts.port else "")


def _computed(_response: Response) -> bool:
    return bool(g.get("kompas_vendor_computed"))


def _rendered(_response: Response) -> bool:
    return bool(g.get("kompas_pdf_rendered"))
