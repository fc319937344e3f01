"""Every setting of the web app, read and checked once at start-up.

A value that cannot work (KOMPAS_PDF_TIMEOUT=abc, a rate limit Flask-Limiter cannot read)
stops the app before it serves anyone, with a message that names the variable; otherwise
each such mistake would surface later as a 500 on some page. Environment variables give
the defaults; instance/config.py or a test config override them under the same key, except
the database and the data files: KOMPAS_DATABASE_URL, KOMPAS_PLATFORMS and KOMPAS_QUESTIONS
win over config.py's DATABASE_URL, PLATFORMS_FILE and QUESTIONS_FILE, as for every command
(kompas.store.config.database_url and data_file).
"""

from __future__ import annotations

import math
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask

from kompas.errors import KompasError
from kompas.store.config import default_database_url

# Flask signs sessions and CSRF tokens with the key: shorter keys can be guessed offline.
MIN_SECRET_KEY = 32
HSTS_MAX_AGE = 365 * 24 * 3600
PDF_TIMEOUT = 20.0  # seconds; gunicorn kills a worker after 30


class ConfigError(KompasError):
    """The web app is not configured well enough to start."""


# Its public name, as docs and a refused start-up (gunicorn's log) show it.
ConfigError.__module__ = "kompas.web"


@dataclass(frozen=True, slots=True)
class Setting:
    """One environment variable: its config key, default and check."""

    env: str
    key: str
    default: Any
    check: Callable[[Any], Any]  # the value to use; raises ValueError with what is expected


def _seconds(value: Any) -> float:
    number = float(str(value).strip())
    if not math.isfinite(number) or number <= 0:
        raise ValueError("a number of seconds above 0, like 20")
    return number


def _whole(value: Any) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValueError("a whole number, 0 or more") from None
    if number < 0:
        raise ValueError("a whole number, 0 or more")
    return number


def _switch(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    # Strict: a switch such as KOMPAS_DEV=yes must not mean something nobody checked.
    text = str(value).strip()
    if text in ("0", "1"):
        return text == "1"
    raise ValueError("1 (on) or 0 (off)")


def _rate_limit(value: Any) -> str:
    from limits import parse_many

    try:
        if not parse_many(str(value)):
            raise ValueError
    except ValueError:
        raise ValueError("rate limits like '20 per minute;300 per day'") from None
    return str(value)


def _limit_storage(value: Any) -> str:
    from limits.storage import SCHEMES

    if urlsplit(str(value)).scheme not in SCHEMES:
        raise ValueError("a storage address like redis://host:6379 or memory://")
    return str(value)


def _database_url(value: Any) -> str:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        make_url(str(value))
    except ArgumentError:
        raise ValueError("a SQLAlchemy URL like postgresql+psycopg://user@host/kompas") from None
    return str(value)


def _text(value: Any) -> Any:
    return value


SETTINGS = (
    Setting("KOMPAS_DEV", "KOMPAS_DEV", False, _switch),
    Setting("KOMPAS_SECRET_KEY", "SECRET_KEY", None, _text),
    Setting("KOMPAS_DATABASE_URL", "DATABASE_URL", None, _database_url),
    Setting("KOMPAS_QUESTIONS", "QUESTIONS_FILE", None, _text),
    Setting("KOMPAS_PLATFORMS", "PLATFORMS_FILE", None, _text),
    Setting("KOMPAS_PUBLIC_URL", "KOMPAS_PUBLIC_URL", None, _text),
    Setting("KOMPAS_HSTS_MAX_AGE", "KOMPAS_HSTS_MAX_AGE", HSTS_MAX_AGE, _whole),
    Setting("KOMPAS_PROXIES", "KOMPAS_PROXIES", 0, _whole),
    Setting("KOMPAS_PDF_TIMEOUT", "KOMPAS_PDF_TIMEOUT", PDF_TIMEOUT, _seconds),
    Setting("KOMPAS_RATELIMIT", "RATELIMIT_ENABLED", True, _switch),
    Setting("KOMPAS_RATELIMIT_STORAGE", "RATELIMIT_STORAGE_URI", "memory://", _limit_storage),
    Setting(
        "KOMPAS_LIMIT_DOSSIERS", "KOMPAS_LIMIT_DOSSIERS", "20 per minute;300 per day", _rate_limit
    ),
    Setting(
        "KOMPAS_LIMIT_PARTICIPANTS", "KOMPAS_LIMIT_PARTICIPANTS", "240 per minute", _rate_limit
    ),
    Setting("KOMPAS_LIMIT_PDF", "KOMPAS_LIMIT_PDF", "6 per minute;60 per day", _rate_limit),
    Setting("KOMPAS_LIMIT_VENDOR", "KOMPAS_LIMIT_VENDOR", "30 per minute;500 per day", _rate_limit),
    Setting(
        "KOMPAS_LIMIT_VENDOR_QUESTIONS",
        "KOMPAS_LIMIT_VENDOR_QUESTIONS",
        "10 per minute;100 per day",
        _rate_limit,
    ),
)


def environment_defaults(app: Flask) -> None:
    """Put each variable's value (or its default) into the config, before overrides."""
    for setting in SETTINGS:
        value = os.environ.get(setting.env)
        # An empty variable means 'not set', as a shell's `export X=` usually intends.
        app.config[setting.key] = value if value not in (None, "") else setting.default
    if setting_text := os.environ.get("KOMPAS_TRUSTED_HOSTS"):
        app.config["TRUSTED_HOSTS"] = [h.strip() for h in setting_text.split(",") if h.strip()]
    if not app.config["DATABASE_URL"]:
        app.config["DATABASE_URL"] = default_database_url(Path(app.instance_path))


def check(app: Flask, *, migrating: bool = False) -> None:
    """Check every setting (after config.py or a test config); raise ConfigError naming
    the variable of the first value that cannot work."""
    for setting in SETTINGS:
        value = app.config.get(setting.key)
        if value is None:
            continue
        try:
            app.config[setting.key] = setting.check(value)
        except ValueError as exc:
            raise ConfigError(
                f"Kompas refuses to start: {setting.env} must be {exc} (got {value!r})."
            ) from None
    _secret_key(app)
    _public_address(app, required=not (migrating or is_dev(app)))


def is_dev(app: Flask) -> bool:
    """Development: Kompas's own switch or a test config (never FLASK_DEBUG or debug=True,
    which must not turn a production server into one without a secret key)."""
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
        if len(key.strip()) < MIN_SECRET_KEY and not is_dev(app):
            raise ConfigError(
                "Kompas refuses to start with a short secret key outside development: "
                f"KOMPAS_SECRET_KEY has {len(key.strip())} characters, at least "
                f"{MIN_SECRET_KEY} are needed; {KEY_HINT}"
            )
        return
    if not is_dev(app):
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
