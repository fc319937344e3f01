"""The Kompas web wizard: a thin Flask skin over the engine."""

from __future__ import annotations

import logging
import os
import secrets
import ssl
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask

from kompas.errors import KompasError

log = logging.getLogger("kompas.web")

# Flask signs sessions and CSRF tokens with the key: shorter keys can be guessed offline.
MIN_SECRET_KEY = 32
HSTS_MAX_AGE = 365 * 24 * 3600


class ConfigError(KompasError):
    """The web app is not configured well enough to start."""


def create_app(test_config: dict[str, Any] | None = None, *, migrating: bool = False) -> Flask:
    """Build the Flask app: config, data files, database, blueprints, security headers.

    `migrating` is for `kompas db upgrade`: the schema is not checked and no public address
    is needed, since the app only runs the migrations."""
    app = Flask(__name__, instance_relative_config=True)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(
        KOMPAS_DEV=os.environ.get("KOMPAS_DEV") == "1",
        SECRET_KEY=os.environ.get("KOMPAS_SECRET_KEY"),
        DATABASE_URL=os.environ.get("KOMPAS_DATABASE_URL")
        or f"sqlite:///{Path(app.instance_path) / 'kompas.sqlite3'}",
        QUESTIONS_FILE=os.environ.get("KOMPAS_QUESTIONS"),
        PLATFORMS_FILE=os.environ.get("KOMPAS_PLATFORMS"),
        MAX_CONTENT_LENGTH=1024 * 1024,
        MAX_FORM_MEMORY_SIZE=1024 * 1024,
        WTF_CSRF_TIME_LIMIT=None,  # an advisor may think about a step for hours
        WTF_I18N_ENABLED=False,  # WTForms' own Dutch messages, chosen per form
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        KOMPAS_PUBLIC_URL=os.environ.get("KOMPAS_PUBLIC_URL") or None,
        KOMPAS_HSTS_MAX_AGE=os.environ.get("KOMPAS_HSTS_MAX_AGE", HSTS_MAX_AGE),
    )
    if os.environ.get("KOMPAS_TRUSTED_HOSTS"):
        app.config["TRUSTED_HOSTS"] = [
            h.strip() for h in os.environ["KOMPAS_TRUSTED_HOSTS"].split(",") if h.strip()
        ]
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)
    _secret_key(app)
    _public_address(app, required=not (migrating or _is_dev(app)))
    _hsts_max_age(app)
    # Outside development Kompas runs behind HTTPS: cookies never travel in clear text.
    app.config["SESSION_COOKIE_SECURE"] = app.config.get("KOMPAS_SECURE_COOKIES", not _is_dev(app))

    from kompas import load

    questionnaire, catalogue = load(app.config["QUESTIONS_FILE"], app.config["PLATFORMS_FILE"])
    app.extensions["kompas"] = {"questionnaire": questionnaire, "catalogue": catalogue}

    from kompas.web import db
    from kompas.web import errors
    from kompas.web import i18n
    from kompas.web import inputs
    from kompas.web import security

    db.init_app(app)
    if not (migrating or app.testing):
        _check_schema(app)
    i18n.init_app(app)
    security.init_app(app)
    inputs.init_app(app)
    errors.init_app(app)

    from kompas.web import advice_views  # noqa: F401 - registers its routes on the wizard
    from kompas.web import catalogue as catalogue_views
    from kompas.web import vendor as vendor_views
    from kompas.web import wizard
    from kompas.web import workshop as workshop_views

    problem = catalogue_views.reserved_id_problem(catalogue)
    if problem:
        raise ConfigError(problem)
    app.register_blueprint(wizard.bp)
    app.register_blueprint(catalogue_views.bp)
    app.register_blueprint(workshop_views.bp)
    app.register_blueprint(vendor_views.bp)

    from kompas.web import limits
    from kompas.web import logs

    limits.init_app(app)
    logs.init_app()
    proxies = int(os.environ.get("KOMPAS_PROXIES", app.config.get("KOMPAS_PROXIES", 0)) or 0)
    if proxies:
        # Behind a reverse proxy: trust its X-Forwarded-For/-Proto, so rate limits and
        # secure cookies see the real visitor and scheme.
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    else:
        app.wsgi_app = _OwnScheme(app.wsgi_app)  # type: ignore[method-assign]
    return app


class _OwnScheme:
    """Without KOMPAS_PROXIES, HTTPS means this server's own TLS, never a forwarded header.

    gunicorn itself turns `X-Forwarded-Proto: https` from 127.0.0.1 into an https request
    (its --forwarded-allow-ips); on a plain socket that is undone here, so HSTS, the CSRF
    Referer check and links follow KOMPAS_PROXIES alone."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        sock = environ.get("gunicorn.socket")
        if (
            sock is not None
            and environ.get("wsgi.url_scheme") == "https"
            and not isinstance(sock, ssl.SSLSocket)
        ):
            environ["wsgi.url_scheme"] = "http"
        return self.app(environ, start_response)


def _is_dev(app: Flask) -> bool:
    # Only Kompas's own switch (or a test config) means development: FLASK_DEBUG=1 or
    # debug=True must not turn a production server into one without a secret key.
    return bool(app.testing or app.config.get("KOMPAS_DEV"))


KEY_HINT = (
    "set KOMPAS_SECRET_KEY to a long random value (for example the output of "
    "python -c 'import secrets; print(secrets.token_urlsafe(48))'), "
    "or set KOMPAS_DEV=1 on a development machine."
)


def _secret_key(app: Flask) -> None:
    """Use the configured key; in development create one in the instance folder."""
    key = app.config.get("SECRET_KEY")
    if isinstance(key, str | bytes) and key.strip():
        if len(key.strip()) < MIN_SECRET_KEY and not _is_dev(app):
            raise ConfigError(
                "Kompas refuses to start with a short secret key outside development: "
                f"KOMPAS_SECRET_KEY has {len(key.strip())} characters, at least "
                f"{MIN_SECRET_KEY} are needed; {KEY_HINT}"
            )
        return
    if not _is_dev(app):
        blank = " (KOMPAS_SECRET_KEY is blank)" if key is not None else ""
        raise ConfigError(
            f"Kompas refuses to start without a secret key outside development{blank}: {KEY_HINT}"
        )
    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    app.config["SECRET_KEY"] = path.read_text().strip()


def _public_address(app: Flask, *, required: bool) -> None:
    """Check KOMPAS_PUBLIC_URL; outside development one safe source of the host is required."""
    url = app.config.get("KOMPAS_PUBLIC_URL")
    if url:
        parts = urlsplit(url)
        if (
            parts.scheme not in ("http", "https")
            or not parts.hostname
            or parts.path not in ("", "/")
            or parts.query
            or parts.fragment
            or parts.username
        ):
            raise ConfigError(
                f"KOMPAS_PUBLIC_URL must be the site's address as scheme and host only, "
                f"like https://kompas.example.nl (got {url!r})."
            )
        app.config["KOMPAS_PUBLIC_URL"] = f"{parts.scheme}://{parts.netloc}"
        return
    if required and not (app.config.get("SERVER_NAME") or app.config.get("TRUSTED_HOSTS")):
        # Links to dossiers and workshops are secrets sent to people: built from an
        # arbitrary Host header they could point anywhere.
        raise ConfigError(
            "Kompas refuses to start without its public address outside development: set "
            "KOMPAS_PUBLIC_URL to the address visitors use (for example "
            "https://kompas.example.nl), or KOMPAS_TRUSTED_HOSTS to the host names the "
            "server may answer to; dossier and workshop links are built from it."
        )


def _hsts_max_age(app: Flask) -> None:
    """KOMPAS_HSTS_MAX_AGE as whole seconds (0: no Strict-Transport-Security header)."""
    value = app.config.get("KOMPAS_HSTS_MAX_AGE")
    try:
        seconds = int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        seconds = -1
    if seconds < 0:
        raise ConfigError(
            f"KOMPAS_HSTS_MAX_AGE must be a whole number of seconds, 0 or more (got {value!r})."
        )
    app.config["KOMPAS_HSTS_MAX_AGE"] = seconds


def _check_schema(app: Flask) -> None:
    """Refuse an unmigrated database in production; upgrade it in development."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    from kompas.web import db
    from kompas.web.migrate import check_schema
    from kompas.web.migrate import current_revision
    from kompas.web.migrate import head_revision
    from kompas.web.migrate import upgrade

    try:
        check_schema(app)
        return
    except db.Unmigrated:
        pass
    except SQLAlchemyError as exc:
        # An outage at start-up is not a configuration error: pages answer 503 until the
        # database is back, as they do when it goes away later.
        log.warning("database unreachable at start-up (%s); schema not checked", type(exc).__name__)
        return
    if _is_dev(app):
        log.warning("development: upgrading the database schema to the newest migration")
        upgrade(app)
        return
    where = make_url(app.config["DATABASE_URL"]).render_as_string(hide_password=True)
    raise ConfigError(
        f"Kompas refuses to start: the database {where} is not migrated (schema at "
        f"{current_revision(app) or 'no tables'}, newest is {head_revision()}). "
        "Run `kompas db upgrade` with the same KOMPAS_DATABASE_URL first."
    )
