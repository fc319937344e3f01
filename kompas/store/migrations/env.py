"""Alembic environment: the engine comes from kompas.store.migrate via config attributes."""

from __future__ import annotations

from alembic import context

from kompas.store.base import Base

config = context.config
engine = config.attributes["engine"]

with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
