"""Dossiers and their answers, one row per answer: the storage of an advice in the making.

Plain SQLAlchemy on the engine kompas.store.base gives (the web app's, or the one a command
binds with `using`), so the command line reads and writes dossiers without building an app.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from typing import cast

from sqlalchemy import JSON
from sqlalchemy import DateTime
from sqlalchemy import ForeignKey
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import Table
from sqlalchemy import bindparam
from sqlalchemy import delete
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.engine import Connection
from sqlalchemy.engine import Row
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from kompas.store.base import TOKEN_BYTES
from kompas.store.base import Base
from kompas.store.base import connection as store_connection
from kompas.store.base import engine as store_engine
from kompas.store.base import erase_deleted
from kompas.store.base import hash_token
from kompas.store.base import now as now_utc
from kompas.store.base import transaction


class DossierRow(Base):
    """A dossier: one advice in the making, reachable by whoever holds its link."""

    __tablename__ = "dossier"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    municipality: Mapped[str] = mapped_column(String(200))
    advisor: Mapped[str] = mapped_column(String(200), default="")
    inhabitants: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    # Counts the saves; a form carries the number it was loaded at (see save_answers).
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class AnswerRow(Base):
    """One saved answer; a row per question so two tabs never overwrite each other's steps."""

    __tablename__ = "answer"

    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossier.id", ondelete="CASCADE"), primary_key=True
    )
    question_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    # JSON null: the answer was cleared (kept, so a stale form cannot undo the clearing).
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    # The dossier's revision at the save that last changed this answer.
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Conflict(Exception):
    """Answers in a save were changed elsewhere after the form was loaded; nothing was saved."""

    def __init__(self, theirs: dict[str, Any], revision: int) -> None:
        super().__init__(f"changed meanwhile: {', '.join(sorted(theirs))}")
        self.theirs = theirs  # question id -> the answer stored now (None: cleared)
        self.revision = revision  # the dossier's revision now


@dataclass(frozen=True, slots=True)
class Dossier:
    """A dossier as the views see it."""

    id: int
    municipality: str
    advisor: str
    inhabitants: int | None
    created_at: dt.datetime
    updated_at: dt.datetime
    revision: int = 0


def _view(row: DossierRow | Row[Any]) -> Dossier:
    """The dossier of an ORM row or of a plain row of the dossier table (same columns)."""
    return Dossier(
        row.id,
        row.municipality,
        row.advisor or "",
        row.inhabitants,
        row.created_at,
        row.updated_at,
        row.revision or 0,
    )


def create_dossier(
    municipality: str, advisor: str = "", inhabitants: int | None = None
) -> tuple[str, Dossier]:
    """Create a dossier; returns its secret token (shown once, in the link) and the dossier."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    now = now_utc()
    row = DossierRow(
        token_hash=hash_token(token),
        municipality=municipality,
        advisor=advisor,
        inhabitants=inhabitants,
        created_at=now,
        updated_at=now,
    )
    with transaction() as session:
        session.add(row)
        session.flush()
        return token, _view(row)


def find_dossier(token: str) -> Dossier | None:
    """The dossier behind a token, or None."""
    if not token or len(token) > 100:
        return None
    digest = hash_token(token)
    with transaction() as session:
        row = session.scalars(select(DossierRow).where(DossierRow.token_hash == digest)).first()
        # The lookup is by hash; compare again in constant time before trusting it.
        if row is None or not hmac.compare_digest(row.token_hash, digest):
            return None
        return _view(row)


# Built once: making a statement costs more than running it on SQLite (issue 18).
_BY_TOKEN = select(DossierRow.__table__).where(
    DossierRow.__table__.c.token_hash == bindparam("digest")
)
_ANSWERS = select(AnswerRow.__table__.c.question_id, AnswerRow.__table__.c.value).where(
    AnswerRow.__table__.c.dossier_id == bindparam("dossier")
)


def open_dossier(token: str) -> tuple[Dossier, dict[str, Any]] | None:
    """The dossier behind a token and its saved answers, read in one transaction."""
    if not token or len(token) > 100:
        return None
    digest = hash_token(token)
    # Plain SQL on one connection: this runs on every page of a dossier, and the ORM's
    # bookkeeping would cost more than the two queries.
    with store_connection() as connection:  # shared with the page's other reads, if any
        row = connection.execute(_BY_TOKEN, {"digest": digest}).first()
        if row is None or not hmac.compare_digest(row.token_hash, digest):
            return None
        # The answers are read after the revision: at worst they are newer than it (a false
        # conflict later), never older (which could hide a newer answer from the check).
        rows = connection.execute(_ANSWERS, {"dossier": row.id})
        return _view(row), {qid: value for qid, value in rows if value is not None}


def delete_dossier(dossier_id: int) -> None:
    """Delete a dossier and everything stored with it, for good (see erase_deleted)."""
    with transaction() as session:
        session.execute(delete(AnswerRow).where(AnswerRow.dossier_id == dossier_id))
        session.execute(delete(DossierRow).where(DossierRow.id == dossier_id))
    erase_deleted()


def load_answers(dossier_id: int) -> dict[str, Any]:
    """All saved answers of a dossier, as stored."""
    with transaction() as session:
        rows = session.execute(
            select(AnswerRow.question_id, AnswerRow.value).where(AnswerRow.dossier_id == dossier_id)
        )
        return {qid: value for qid, value in rows if value is not None}


def save_answers(
    dossier_id: int,
    answers: dict[str, Any],
    cleared: set[str] | frozenset[str] = frozenset(),
    *,
    base_revision: int | None = None,
    also: Callable[[Connection], object] | None = None,
) -> int:
    """Save some answers and clear others, touching no other question's row; returns the
    dossier's new revision.

    With base_revision (the revision the form was loaded at), an answer in this save that
    another save changed since then, to something else than this save's value, is a
    Conflict: nothing is saved. `also` runs in the same transaction (all or nothing).
    """
    now = now_utc()
    wanted: dict[str, Any] = {qid: None for qid in cleared} | answers
    # Mapped classes declare __table__ as a FromClause; these are plain Tables.
    dossiers, rows = cast(Table, DossierRow.__table__), cast(Table, AnswerRow.__table__)
    # Core statements on one connection, as in open_dossier: every save of every step runs
    # this, and the ORM's bookkeeping would cost more than the three statements.
    with store_engine().begin() as connection:
        # The update comes first: it locks the dossier (PostgreSQL row lock, SQLite write
        # lock), so the check below and the writes cannot interleave with another save.
        revision = int(
            connection.scalar(
                update(dossiers)
                .where(dossiers.c.id == dossier_id)
                .values(updated_at=now, revision=dossiers.c.revision + 1)
                .returning(dossiers.c.revision)
            )
            or 0
        )
        current = {
            qid: (value, rev)
            for qid, value, rev in connection.execute(
                select(rows.c.question_id, rows.c.value, rows.c.revision).where(
                    rows.c.dossier_id == dossier_id, rows.c.question_id.in_(sorted(wanted))
                )
            )
        }
        if base_revision is not None:
            theirs = {
                qid: value
                for qid, (value, rev) in current.items()
                if (rev or 0) > base_revision and value != wanted[qid]
            }
            if theirs:
                raise Conflict(theirs, revision - 1)
        # Only what really changes gets the new revision: an untouched answer is never a
        # conflict for another tab.
        changes = {
            qid: value for qid, value in wanted.items() if current.get(qid, (None, 0))[0] != value
        }
        if changes:
            _upsert(connection, dossier_id, changes, now, revision)
        if also is not None:
            also(connection)
    return revision


def _upsert(
    connection: Connection,
    dossier_id: int,
    answers: dict[str, Any],
    now: dt.datetime,
    revision: int,
) -> None:
    """Insert or replace several answers in one statement."""
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
    rows = [
        {
            "dossier_id": dossier_id,
            "question_id": qid,
            "value": value,
            "updated_at": now,
            "revision": revision,
        }
        for qid, value in answers.items()
    ]
    statement = insert(cast(Table, AnswerRow.__table__)).values(rows)
    statement = statement.on_conflict_do_update(
        index_elements=["dossier_id", "question_id"],
        set_={
            "value": statement.excluded.value,
            "updated_at": statement.excluded.updated_at,
            "revision": statement.excluded.revision,
        },
    )
    connection.execute(statement)
