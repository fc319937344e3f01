"""Schema migrations with Alembic, on an SQLAlchemy engine (`kompas db upgrade`).

The migrations live in kompas/store/migrations; their ids (0001, 0002, ...) are what a
database records in `alembic_version`, so a database made by any earlier layout upgrades
from where it is. The web app binds them to its engine in kompas.web.migrate.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

from kompas.store.base import Unmigrated

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    """An Alembic config pointing at the packaged migrations and this database."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database schema up to date; existing dossiers are kept."""
    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Step the schema back (for testing migrations)."""
    command.downgrade(alembic_config(engine), revision)


def head_revision() -> str | None:
    """The newest migration in the package."""
    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at (None for an empty database)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def check_schema(engine: Engine) -> None:
    """Raise Unmigrated when the tables are missing or behind the newest migration."""
    if current_revision(engine) != head_revision():
        raise Unmigrated("the database is not up to date: run `kompas db upgrade`")
