"""The declarative base, token hashing and which engine a storage call uses.

A storage function asks `engine()`: inside `using(engine)` (the command line, tests) that
engine, otherwise the one a provider gives (the web app registers Flask's current app).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Callable
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import Session

from kompas.store.config import checked_url
from kompas.store.config import database_url

TOKEN_BYTES = 24  # 192 bits: unguessable dossier and vendor links

log = logging.getLogger("kompas.store")

_bound: ContextVar[Engine | None] = ContextVar("kompas_store_engine", default=None)
_provider: list[Callable[[], Engine]] = []
_shared: ContextVar[Connection | None] = ContextVar("kompas_store_connection", default=None)


class Base(DeclarativeBase):
    """Declarative base of all Kompas tables."""


class Unmigrated(Exception):
    """The database schema is missing or old: run `kompas db upgrade`."""


def hash_token(token: str) -> str:
    """The stored form of a secret token: a leaked database reveals no links."""
    return hashlib.sha256(token.encode("utf-8", "surrogateescape")).hexdigest()


def now() -> dt.datetime:
    """The current time in UTC."""
    return dt.datetime.now(dt.UTC)


def aware(when: dt.datetime) -> dt.datetime:
    """A stored time with its zone (SQLite returns naive datetimes, written in UTC)."""
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def set_provider(provider: Callable[[], Engine]) -> None:
    """Register where the engine comes from outside `using` (the web app's current app)."""
    _provider[:] = [provider]


@contextmanager
def using(bound: Engine) -> Iterator[Engine]:
    """Make storage calls in this block use `bound`."""
    token = _bound.set(bound)
    try:
        yield bound
    finally:
        _bound.reset(token)


def engine() -> Engine:
    """The engine storage calls use now."""
    bound = _bound.get()
    if bound is not None:
        return bound
    if not _provider:
        raise RuntimeError("no database: use kompas.store.base.using(engine)")
    return _provider[0]()


@contextmanager
def one_connection() -> Iterator[Connection]:
    """Make the plain reads in this block (`connection()`) share one connection and transaction.

    A page that reads several tables pays one pool checkout and one commit instead of one per
    read (issue 18). Keep the block to the reads: a page rendered inside it would hold the
    transaction open."""
    shared = _shared.get()
    if shared is not None:
        yield shared  # nested: the outer block's connection
        return
    with engine().begin() as made:
        token = _shared.set(made)
        try:
            yield made
        finally:
            _shared.reset(token)


@contextmanager
def connection() -> Iterator[Connection]:
    """A connection for a plain read: the one `one_connection` shares, else its own."""
    shared = _shared.get()
    if shared is not None and shared.engine is engine():  # not when `using` bound another
        yield shared
        return
    with engine().begin() as made:
        yield made


@contextmanager
def transaction() -> Iterator[Session]:
    """A session in one transaction: committed on success, rolled back on error."""
    with Session(engine(), expire_on_commit=False) as session, session.begin():
        yield session


def make_engine(url: str) -> Engine:
    """An engine for a database URL, with Kompas's SQLite settings."""
    kwargs: dict[str, Any] = {"pool_pre_ping": True}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"timeout": 30, "check_same_thread": False}
    made = create_engine(url, **kwargs)
    if url.startswith("sqlite"):
        event.listen(made, "connect", _sqlite_pragmas)
    return made


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    # WAL lets readers and one writer work side by side; foreign keys make deletes cascade.
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    # Deleted rows are overwritten with zeros, not just unlinked (a deleted dossier must not
    # stay readable in the file, for the AVG); erase_deleted empties the WAL.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def erase_deleted() -> bool:
    """On SQLite, move the write-ahead log into the database and empty it, so deleted rows
    (zeroed there by secure_delete) leave no older copy in the -wal file; True when done.

    A reader still in the middle of a transaction can keep the log busy: then the copy goes
    at the next checkpoint, and False says so. PostgreSQL keeps deleted rows until its
    vacuum reuses the space (docs/reliability.md, 'What is kept where')."""
    current = engine()
    if current.dialect.name != "sqlite":
        return True
    with current.connect() as connection:
        busy, _log, _moved = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
    if busy:
        log.warning("SQLite write-ahead log busy: deleted data leaves it at the next checkpoint")
    return not busy


@contextmanager
def open_configured() -> Iterator[Engine]:
    """The configured database for a command: bound for storage calls, disposed after.

    The same database the web app uses (kompas.store.config.database_url)."""
    made = make_engine(checked_url(database_url()))
    try:
        with using(made):
            yield made
    finally:
        made.dispose()


def read_json(text: str | None) -> Any:
    """A stored JSON column read as text; None when it cannot be read.

    Rows are read this way where one bad value (an integer of thousands of digits, which
    Python refuses to convert) must not break the reading of all the others."""
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None
