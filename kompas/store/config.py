"""Where Kompas keeps its data: the instance folder, its config.py, the database URL and
the two data files (questions and catalogue).

The web app (create_app) and every command line call read them here, so a DATABASE_URL or
PLATFORMS_FILE in the instance config.py reaches `kompas db upgrade`, the curator's and the
round's commands exactly as it reaches the server; none of them needs Flask for it. One
order for each: the environment variable, else config.py, else the default.
"""

from __future__ import annotations

import errno
import os
import sys
import types
from pathlib import Path
from typing import Any

from kompas.errors import KompasError

CONFIG_FILE = "config.py"


def instance_dir() -> Path:
    """The instance folder: where config.py, the secret key and the default SQLite file live.

    Flask's own rule for the package `kompas.web`; create_app passes it to Flask, so the
    two can never name different folders."""
    root = Path(__file__).resolve().parent.parent.parent  # the folder holding `kompas`
    prefix = Path(sys.prefix).resolve()
    if root.is_relative_to(prefix):
        # Installed (system or virtualenv): Flask uses <prefix>/var/<app name>-instance.
        return prefix / "var" / "kompas.web-instance"
    return root / "instance"


def instance_config(folder: Path | None = None) -> dict[str, Any]:
    """The upper-case names the instance config.py sets; {} when there is no such file.

    The same reading as Flask's `config.from_pyfile("config.py", silent=True)`: the file runs
    as a module and only upper-case names count; a file that is missing is no error, one
    that fails to run is."""
    path = (folder or instance_dir()) / CONFIG_FILE
    module = types.ModuleType("config")
    module.__file__ = str(path)
    try:
        source = path.read_bytes()
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.EISDIR, errno.ENOTDIR):
            return {}
        raise
    # The operator's own file, run as Flask runs it: config.py may compute its values.
    exec(compile(source, str(path), "exec"), module.__dict__)
    return {key: getattr(module, key) for key in dir(module) if key.isupper()}


def default_database_url(folder: Path | None = None) -> str:
    """The SQLite file in the instance folder, used when nothing else is configured."""
    return f"sqlite:///{(folder or instance_dir()) / 'kompas.sqlite3'}"


def database_url(config: dict[str, Any] | None = None, folder: Path | None = None) -> str:
    """The database: KOMPAS_DATABASE_URL, else config.py's DATABASE_URL, else the default file.

    `config` is the instance config.py already read (create_app passes it), else it is read
    here. An empty value counts as not set, as a shell's `export X=` usually intends."""
    chosen = os.environ.get("KOMPAS_DATABASE_URL")
    if not chosen:
        chosen = (instance_config(folder) if config is None else config).get("DATABASE_URL")
    return str(chosen) if chosen else default_database_url(folder)


# The data files: the environment variable and the config.py key naming each.
QUESTIONS = ("KOMPAS_QUESTIONS", "QUESTIONS_FILE")
PLATFORMS = ("KOMPAS_PLATFORMS", "PLATFORMS_FILE")


def data_file(
    which: tuple[str, str], config: dict[str, Any] | None = None, folder: Path | None = None
) -> Path:
    """A data file (QUESTIONS or PLATFORMS): its variable, else config.py's key, else shipped.

    The same order as database_url, so `kompas catalogue accept` writes the file the server
    reads. `config` is the instance config.py already read, else it is read here."""
    from kompas.engine.catalogue import DEFAULT_PLATFORMS
    from kompas.engine.questionnaire import DEFAULT_QUESTIONS

    env, key = which
    chosen = os.environ.get(env)
    if not chosen:
        chosen = (instance_config(folder) if config is None else config).get(key)
    if chosen:
        return Path(chosen)
    return DEFAULT_PLATFORMS if which == PLATFORMS else DEFAULT_QUESTIONS


def checked_url(url: str) -> str:
    """The URL when SQLAlchemy can read it; a KompasError naming the setting otherwise."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        make_url(url)
    except ArgumentError:
        raise KompasError(
            "KOMPAS_DATABASE_URL (or DATABASE_URL in the instance config.py) must be a "
            f"SQLAlchemy URL like postgresql+psycopg://user@host/kompas (got {url!r})."
        ) from None
    return url
