"""A health check for load balancers and monitoring: the database and the rate-limit store."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint
from flask import current_app
from sqlalchemy.exc import SQLAlchemyError

from kompas.web import db
from kompas.web import limits

bp = Blueprint("health", __name__)

NOTES = {
    "shared": "rate limits count in the shared store",
    "memory": "rate limits count per process (memory://, one server only)",
    "fallback": "rate-limit store unreachable: limits count per process until it is back",
}


@bp.get("/gezondheid")
def health() -> Any:
    """200 when the database answers (with where rate limits count), 503 when it does not.

    An unreachable rate-limit store is reported but is no reason to take a server out of
    the pool: forms keep working with per-process limits."""
    try:
        with db.get_engine().connect() as connection:
            connection.execute(sa.text("SELECT 1"))
        database = "ok"
    except SQLAlchemyError:
        database = "unreachable"
    state = limits.storage_state(current_app._get_current_object())  # type: ignore[attr-defined]
    body = {
        "status": "ok" if database == "ok" and state != "fallback" else "degraded",
        "database": database,
        "rate_limits": state,
        "note": NOTES[state],
    }
    headers = {"Cache-Control": "no-store"}
    return body, 200 if database == "ok" else 503, headers
