"""Schema migrations with Alembic, driven from Python (`kompas db upgrade`)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask

from kompas.store.base import Unmigrated
from kompas.web.db import get_engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(app: Flask) -> Config:
    """An Alembic config pointing at the packaged migrations and the app's database."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = get_engine(app)
    return config


def upgrade(app: Flask, revision: str = "head") -> None:
    """Bring the database schema up to date; existing dossiers are kept."""
    command.upgrade(alembic_config(app), revision)


def downgrade(app: Flask, revision: str) -> None:
    """Step the schema back (for testing migrations)."""
    command.downgrade(alembic_config(app), revision)


def head_revision() -> str | None:
    """The newest migration in the package."""
    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def current_revision(app: Flask) -> str | None:
    """The migration the database is at (None for an empty database)."""
    with get_engine(app).connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def check_schema(app: Flask) -> None:
    """Raise Unmigrated when the tables are missing or behind the newest migration."""
    if current_revision(app) != head_revision():
        raise Unmigrated("the database is not up to date: run `kompas db upgrade`")
