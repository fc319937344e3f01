"""`kompas db`: the dossier database's schema, without building the web app."""

from __future__ import annotations

import click


@click.group()
def db() -> None:
    """Manage the dossier database (SQLite by default, KOMPAS_DATABASE_URL for PostgreSQL)."""
    # The same database as the web app: kompas.store.config.database_url.


@db.command("upgrade")
def db_upgrade() -> None:
    """Create or update the database schema; existing dossiers are kept."""
    from kompas.store.base import open_configured
    from kompas.store.config import database_url
    from kompas.store.config import default_database_url
    from kompas.store.config import instance_dir
    from kompas.store.migrate import current_revision
    from kompas.store.migrate import upgrade

    if database_url() == default_database_url():
        instance_dir().mkdir(parents=True, exist_ok=True)  # SQLite makes the file, not its folder
    with open_configured() as engine:
        upgrade(engine)
        click.echo(f"database at revision {current_revision(engine)}")
