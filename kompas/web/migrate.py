"""The web app's binding of kompas.store.migrate: the same migrations on the app's engine.

The runner and the migrations live in kompas.store (the command line runs them without an
app); these take an app for the server's start-up check and the tests.
"""

from __future__ import annotations

from flask import Flask

from kompas.store import migrate
from kompas.store.migrate import head_revision
from kompas.web.db import get_engine

__all__ = ["check_schema", "current_revision", "downgrade", "head_revision", "upgrade"]


def upgrade(app: Flask, revision: str = "head") -> None:
    """Bring the app's database schema up to date; existing dossiers are kept."""
    migrate.upgrade(get_engine(app), revision)


def downgrade(app: Flask, revision: str) -> None:
    """Step the app's database schema back (for testing migrations)."""
    migrate.downgrade(get_engine(app), revision)


def current_revision(app: Flask) -> str | None:
    """The migration the app's database is at (None for an empty database)."""
    return migrate.current_revision(get_engine(app))


def check_schema(app: Flask) -> None:
    """Raise Unmigrated when the app's tables are missing or behind the newest migration."""
    migrate.check_schema(get_engine(app))
