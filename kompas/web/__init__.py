"""The Kompas web wizard: a thin Flask skin over the engine."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

from kompas.errors import KompasError


class ConfigError(KompasError):
    """The web app is not configured well enough to start."""


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the Flask app: config, data files, database, blueprints, security headers."""
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
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)
    _secret_key(app)
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
    i18n.init_app(app)
    security.init_app(app)
    inputs.init_app(app)
    errors.init_app(app)

    from kompas.web import advice_views  # noqa: F401 - registers its routes on the wizard
    from kompas.web import catalogue as catalogue_views
    from kompas.web import wizard
    from kompas.web import workshop as workshop_views

    problem = catalogue_views.reserved_id_problem(catalogue)
    if problem:
        raise ConfigError(problem)
    app.register_blueprint(wizard.bp)
    app.register_blueprint(catalogue_views.bp)
    app.register_blueprint(workshop_views.bp)

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
    return app


def _is_dev(app: Flask) -> bool:
    return bool(app.debug or app.testing or app.config.get("KOMPAS_DEV"))


def _secret_key(app: Flask) -> None:
    """Use the configured key; in development create one in the instance folder."""
    if app.config.get("SECRET_KEY"):
        return
    if not _is_dev(app):
        raise ConfigError(
            "Kompas refuses to start without a secret key outside development: "
            "set KOMPAS_SECRET_KEY to a long random value (for example the output of "
            "python -c 'import secrets; print(secrets.token_urlsafe(48))'), "
            "or set KOMPAS_DEV=1 on a development machine."
        )
    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    app.config["SECRET_KEY"] = path.read_text().strip()
