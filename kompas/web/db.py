"""The web app's database binding: its engine, made from DATABASE_URL, serves kompas.store.

Dossiers, workshops and the vendor loop are stored by kompas.store without Flask; this module
only gives each app its engine and lets storage calls outside `store.base.using` find it.
"""

from __future__ import annotations

from flask import Flask
from flask import current_app
from sqlalchemy.engine import Engine

from kompas.store.base import make_engine
from kompas.store.base import set_provider


def init_app(app: Flask) -> None:
    """Create the app's database engine."""
    app.extensions["kompas_db"] = make_engine(app.config["DATABASE_URL"])


def get_engine(app: Flask | None = None) -> Engine:
    """The app's SQLAlchemy engine."""
    return (app or current_app).extensions["kompas_db"]  # type: ignore[no-any-return]


# Storage in kompas.store uses the current app's engine when no other is bound.
set_provider(get_engine)
