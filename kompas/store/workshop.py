"""Workshop storage: one row per session (werksessie) and one row per participant.

A participant's submission is its own row, so participants submitting at the same moment
never overwrite each other. Both tables hang off the dossier with ON DELETE CASCADE:
deleting a dossier deletes its session and every participant's answers (SQLite enforces
it through PRAGMA foreign_keys=ON, PostgreSQL always).

Tokens: the participant link is derived from the dossier token, so the facilitator (who
holds the dossier link) can be shown it again on every visit, while the database keeps only
its sha256 hash, like dossier tokens:

    link token = base64url(HMAC-SHA256(key=dossier token, msg="kompas-werksessie:" + salt))

256 bits; without the dossier token nobody can compute it, and the link token reveals
nothing about the dossier token. A participant's personal edit token is random (192 bits)
and also stored only as a hash. Every lookup is by hash and compared again with
hmac.compare_digest.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any
from typing import Final
from typing import Literal

from sqlalchemy import JSON
from sqlalchemy import DateTime
from sqlalchemy import ForeignKey
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import bindparam
from sqlalchemy import delete
from sqlalchemy import exists
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import Session
from sqlalchemy.orm import mapped_column

from kompas.store.base import TOKEN_BYTES
from kompas.store.base import Base
from kompas.store.base import connection as store_connection
from kompas.store.base import erase_deleted
from kompas.store.base import hash_token
from kompas.store.base import now as now_utc
from kompas.store.base import transaction
from kompas.store.dossier import DossierRow

NAME_MAX = 80
OPEN: Final = "open"
CLOSED: Final = "closed"
_LINK_CONTEXT = b"kompas-werksessie:"


class WorkshopRow(Base):
    """A workshop session (werksessie) of a dossier; at most one per dossier."""

    __tablename__ = "workshop"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossier.id", ondelete="CASCADE"), unique=True, index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    link_salt: Mapped[str] = mapped_column(String(64))
    sections: Mapped[Any] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    adopted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    adopted_summary: Mapped[Any] = mapped_column(JSON, nullable=True)


class ParticipantRow(Base):
    """One participant's name or role and answers: a row each, never shared."""

    __tablename__ = "participant"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshop.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    answers: Mapped[Any] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class WorkshopClosed(Exception):
    """The session is closed: no new input is accepted."""


@dataclass(frozen=True, slots=True)
class Workshop:
    """A workshop session as the views see it."""

    id: int
    dossier_id: int
    link_salt: str
    sections: tuple[str, ...]
    status: Literal["open", "closed"]
    created_at: dt.datetime
    closed_at: dt.datetime | None
    adopted_at: dt.datetime | None
    adopted_summary: dict[str, Any] | None

    @property
    def open(self) -> bool:
        """Whether participants may still answer."""
        return self.status == OPEN


@dataclass(frozen=True, slots=True)
class Participant:
    """A participant as the views see it."""

    id: int
    workshop_id: int
    name: str
    answers: dict[str, Any]
    created_at: dt.datetime
    updated_at: dt.datetime


def _workshop(row: Any) -> Workshop:
    # A WorkshopRow or a plain result row of its table: the same attributes.
    return Workshop(
        row.id,
        row.dossier_id,
        row.link_salt,
        tuple(row.sections or ()),
        CLOSED if row.status == CLOSED else OPEN,
        row.created_at,
        row.closed_at,
        row.adopted_at,
        row.adopted_summary,
    )


def _participant(row: ParticipantRow) -> Participant:
    return Participant(
        row.id,
        row.workshop_id,
        row.name,
        dict(row.answers or {}),
        row.created_at,
        row.updated_at,
    )


def link_token(dossier_token: str, salt: str) -> str:
    """The participant link token of a session, derived from the dossier token."""
    digest = hmac.new(
        dossier_token.encode("utf-8", "surrogateescape"),
        _LINK_CONTEXT + salt.encode("ascii"),
        hashlib.sha256,
    ).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def create_workshop(dossier_id: int, dossier_token: str, sections: list[str]) -> Workshop:
    """Open a session for the dossier (or return the one it already has)."""
    salt = secrets.token_hex(16)
    row = WorkshopRow(
        dossier_id=dossier_id,
        token_hash=hash_token(link_token(dossier_token, salt)),
        link_salt=salt,
        sections=list(sections),
        status=OPEN,
        created_at=now_utc(),
    )
    try:
        with transaction() as session:
            session.add(row)
            session.flush()
            return _workshop(row)
    except IntegrityError:
        # A second click (or tab) created it a moment earlier: that one counts.
        existing = workshop_for_dossier(dossier_id)
        if existing is None:
            raise
        return existing


# Built once: making a statement costs more than running it on SQLite (issue 18).
_FOR_DOSSIER = select(WorkshopRow.__table__).where(
    WorkshopRow.__table__.c.dossier_id == bindparam("dossier")
)


def workshop_for_dossier(dossier_id: int) -> Workshop | None:
    """The dossier's session, if it has one."""
    # A plain query, as store.dossier.open_dossier: the advice page asks this on every request, and the
    # ORM's bookkeeping costs more than the query (issue 18).
    with store_connection() as connection:  # shared with the page's other reads, if any
        row = connection.execute(_FOR_DOSSIER, {"dossier": dossier_id}).first()
    return None if row is None else _workshop(row)


def find_workshop(token: str) -> Workshop | None:
    """The session behind a participant link token, or None."""
    if not token or len(token) > 100:
        return None
    digest = hash_token(token)
    with transaction() as session:
        row = session.scalars(select(WorkshopRow).where(WorkshopRow.token_hash == digest)).first()
        if row is None or not hmac.compare_digest(row.token_hash, digest):
            return None
        return _workshop(row)


def set_sections(workshop_id: int, sections: list[str]) -> None:
    """Change which sections participants see."""
    with transaction() as session:
        session.execute(
            update(WorkshopRow).where(WorkshopRow.id == workshop_id).values(sections=list(sections))
        )


def set_open(workshop_id: int, is_open: bool) -> None:
    """Close the session (no new input) or open it again."""
    with transaction() as session:
        session.execute(
            update(WorkshopRow)
            .where(WorkshopRow.id == workshop_id)
            .values(status=OPEN if is_open else CLOSED, closed_at=None if is_open else now_utc())
        )


def delete_workshop(workshop_id: int) -> None:
    """Delete the session with every participant's answers."""
    with transaction() as session:
        session.execute(delete(ParticipantRow).where(ParticipantRow.workshop_id == workshop_id))
        session.execute(delete(WorkshopRow).where(WorkshopRow.id == workshop_id))
    erase_deleted()


def record_adoption(
    workshop_id: int, summary: dict[str, Any], session: Connection | Session | None = None
) -> dt.datetime:
    """Remember that (and how) the group's priorities were taken over into the dossier
    (in the given session's transaction, or in one of its own)."""
    now = now_utc()
    statement = (
        update(WorkshopRow)
        .where(WorkshopRow.id == workshop_id)
        .values(adopted_at=now, adopted_summary=summary)
    )
    if session is not None:
        session.execute(statement)
        return now
    with transaction() as own:
        own.execute(statement)
    return now


def _is_open(workshop_id: int) -> Any:
    return exists().where(WorkshopRow.id == workshop_id, WorkshopRow.status == OPEN)


def add_participant(workshop_id: int, name: str) -> tuple[str, Participant]:
    """A new participant; returns the personal token (shown once, in their edit link).

    Raises WorkshopClosed when the session is closed."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    now = now_utc()
    row = ParticipantRow(
        workshop_id=workshop_id,
        token_hash=hash_token(token),
        name=name[:NAME_MAX],
        answers={},
        created_at=now,
        updated_at=now,
    )
    with transaction() as session:
        # Write first, then check: on SQLite the insert holds the write lock, so the check
        # and a concurrent close cannot interleave; a closed session rolls the insert back.
        session.add(row)
        session.flush()
        if not session.scalar(select(_is_open(workshop_id))):
            raise WorkshopClosed
        return token, _participant(row)


def find_participant(workshop_id: int, token: str) -> Participant | None:
    """The participant of this session behind a personal token, or None."""
    if not token or len(token) > 100:
        return None
    digest = hash_token(token)
    with transaction() as session:
        row = session.scalars(
            select(ParticipantRow).where(
                ParticipantRow.token_hash == digest, ParticipantRow.workshop_id == workshop_id
            )
        ).first()
        if row is None or not hmac.compare_digest(row.token_hash, digest):
            return None
        return _participant(row)


def save_participant(
    workshop_id: int, participant_id: int, name: str, answers: dict[str, Any]
) -> None:
    """Replace one participant's name and answers; WorkshopClosed when the session is closed."""
    with transaction() as session:
        result = session.execute(
            update(ParticipantRow)
            .where(
                ParticipantRow.id == participant_id,
                ParticipantRow.workshop_id == workshop_id,
                _is_open(workshop_id),
            )
            .values(name=name[:NAME_MAX], answers=answers, updated_at=now_utc())
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise WorkshopClosed


def participants(workshop_id: int) -> list[Participant]:
    """Every participant of the session, in the order they joined."""
    with transaction() as session:
        rows = session.scalars(
            select(ParticipantRow)
            .where(ParticipantRow.workshop_id == workshop_id)
            .order_by(ParticipantRow.created_at, ParticipantRow.id)
        )
        return [_participant(r) for r in rows]


def municipality(dossier_id: int) -> str:
    """The municipality of a dossier (shown to participants; nothing else of it is)."""
    with transaction() as session:
        name = session.scalar(select(DossierRow.municipality).where(DossierRow.id == dossier_id))
        return name or ""
