"""The Kompas web wizard: a thin Flask skin over the engine."""

from __future__ import annotations

import logging
import ssl
from pathlib import Path
from typing import Any

from flask import Flask

from kompas.store import config as store_config
from kompas.web import settings
from kompas.web.settings import ConfigError

__all__ = ["ConfigError", "create_app"]

log = logging.getLogger("kompas.web")


def create_app(test_config: dict[str, Any] | None = None, *, migrating: bool = False) -> Flask:
    """Build the Flask app: config, data files, database, blueprints, security headers.

    `migrating` is for `kompas db upgrade`: the schema is not checked and no public address
    is needed, since the app only runs the migrations."""
    # long: one start-up sequence whose order matters (config, data, database, security,
    # blueprints, limits, proxy); cut into steps it would only pass the app around.
    # The instance folder and config.py are kompas.store.config's, which the CLI reads too.
    app = Flask(__name__, instance_path=str(store_config.instance_dir()))
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    settings.environment_defaults(app)
    app.config.from_mapping(
        MAX_CONTENT_LENGTH=1024 * 1024,
        MAX_FORM_MEMORY_SIZE=1024 * 1024,
        WTF_CSRF_TIME_LIMIT=None,  # an advisor may think about a step for hours
        WTF_I18N_ENABLED=False,  # WTForms' own Dutch messages, chosen per form
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
    )
    if test_config is None:
        instance = store_config.instance_config(Path(app.instance_path))
        app.config.from_mapping(instance)
        # One rule for the app and every command: KOMPAS_DATABASE_URL, config.py, the file.
        app.config["DATABASE_URL"] = store_config.database_url(instance, Path(app.instance_path))
        # And for the data files, so `kompas catalogue accept` writes what this app reads.
        for which in (store_config.QUESTIONS, store_config.PLATFORMS):
            app.config[which[1]] = str(
                store_config.data_file(which, instance, Path(app.instance_path))
            )
    else:
        app.config.from_mapping(test_config)
    settings.check(app, migrating=migrating)
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
    from kompas.web import answers_import  # noqa: F401 - registers its routes on the wizard
    from kompas.web import catalogue as catalogue_views
    from kompas.web import catalogue_compare  # noqa: F401 - registers its routes on catalogue
    from kompas.web import health
    from kompas.web import vendor as vendor_views
    from kompas.web import wizard
    from kompas.web import wizard_step  # noqa: F401 - registers its routes on the wizard
    from kompas.web import workshop as workshop_views
    from kompas.web import workshop_participant  # noqa: F401 - registers its routes on workshop

    problem = catalogue_views.reserved_id_problem(catalogue)
    if problem:
        raise ConfigError(problem)
    app.register_blueprint(wizard.bp)
    app.register_blueprint(catalogue_views.bp)
    app.register_blueprint(workshop_views.bp)
    app.register_blueprint(vendor_views.bp)
    app.register_blueprint(health.bp)

    from kompas.web import limits
    from kompas.web import logs

    limits.init_app(app)
    logs.init_app()
    proxies = app.config["KOMPAS_PROXIES"]
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
    return settings.is_dev(app)


def _check_schema(app: Flask) -> None:
    """Refuse an unmigrated database in production; upgrade it in development."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    from kompas.store import base as store_base
    from kompas.web.migrate import check_schema
    from kompas.web.migrate import current_revision
    from kompas.web.migrate import head_revision
    from kompas.web.migrate import upgrade

    try:
        check_schema(app)
        return
    except store_base.Unmigrated:
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
