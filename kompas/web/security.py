"""CSRF protection, secure response headers and links built from the configured address."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask import Response
from flask import current_app
from flask import request
from flask import url_for
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()

CSP = "; ".join(
    (
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    )
)


def init_app(app: Flask) -> None:
    """Protect every state-changing request with a CSRF token and set secure headers."""
    csrf.init_app(app)
    app.after_request(_headers)
    app.jinja_env.globals["external_url"] = external_url


def external_url(endpoint: str, **values: Any) -> str:
    """An absolute link to share (dossier, workshop), never built from an untrusted Host.

    KOMPAS_PUBLIC_URL wins; otherwise Flask's SERVER_NAME or a Host checked against
    TRUSTED_HOSTS; in development without either, the request's own host."""
    path = url_for(endpoint, **values)
    public = current_app.config.get("KOMPAS_PUBLIC_URL")
    if public:
        return f"{public}{path}"
    server_name = current_app.config.get("SERVER_NAME")
    if server_name:
        return f"{request.scheme}://{server_name}{path}"
    # Left: TRUSTED_HOSTS (Flask answers 400 to any other Host, so request.host is safe) or
    # development without configuration; create_app() refuses production with neither.
    return f"{request.scheme}://{request.host}{path}"


def _headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    # Same-origin pages get the Referer that Flask-WTF's HTTPS check needs; other sites get
    # none, so dossier and participant links never leave in a Referer (docs/design.md).
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.is_secure:
        max_age = int(current_app.config.get("KOMPAS_HSTS_MAX_AGE", 0) or 0)
        if max_age > 0:
            response.headers.setdefault("Strict-Transport-Security", f"max-age={max_age}")
    # Pages and downloads carry dossier data: no browser or proxy keeps a copy. Only the
    # static files (style sheet, scripts) may be cached.
    if request.endpoint != "static":
        response.headers.setdefault("Cache-Control", "no-store")
    return response
