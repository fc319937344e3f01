"""Vendor links and the submissions behind them.

A link is a secret token (stored hashed) that expires. How it was made is its provenance:
issued by a curator (`kompas catalogue link`, no dossier) or from a municipality's dossier
(the dossier's id). A link's token can be replaced; the old token then stops working and the
submission behind the link stays.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON
from sqlalchemy import Boolean
from sqlalchemy import DateTime
from sqlalchemy import ForeignKey
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from kompas.store.base import TOKEN_BYTES
from kompas.store.base import Base
from kompas.store.base import aware
from kompas.store.base import hash_token
from kompas.store.base import now
from kompas.store.base import transaction

LINK_DAYS = 30  # a vendor link's default lifetime
MAX_DAYS = 365
FIELD_LENGTH = 200


class VendorLinkRow(Base):
    """A secret, expiring link behind which one platform's vendor answers its questions."""

    __tablename__ = "vendor_link"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    platform_id: Mapped[str] = mapped_column(String(80))
    # None: issued by a curator; otherwise made from this dossier (its provenance).
    dossier_id: Mapped[int | None] = mapped_column(
        ForeignKey("dossier.id", ondelete="CASCADE"), nullable=True
    )
    share_dossier: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class SubmissionRow(Base):
    """A vendor's answers behind one link: a draft ('concept') until sent ('ingediend')."""

    __tablename__ = "vendor_submission"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    link_id: Mapped[int] = mapped_column(
        ForeignKey("vendor_link.id", ondelete="CASCADE"), unique=True
    )
    platform_id: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(200), default="")
    # fact id -> {"value": as typed, "source": ..., "date": ..., "remark": ...}: kept as
    # typed, so nothing a vendor wrote is lost when it does not validate yet.
    answers: Mapped[Any] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


@dataclass(frozen=True, slots=True)
class Link:
    """A vendor link as the form sees it."""

    id: int
    platform_id: str
    dossier_id: int | None
    share_dossier: bool
    expires_at: dt.datetime


def _expiry(days: int) -> dt.datetime:
    return now() + dt.timedelta(days=max(1, min(days, MAX_DAYS)))


def create_link(
    platform_id: str,
    *,
    days: int = LINK_DAYS,
    dossier_id: int | None = None,
    share_dossier: bool = False,
    created_by: str = "",
) -> str:
    """Create a vendor link; returns its secret token (shown once)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with transaction() as session:
        session.add(
            VendorLinkRow(
                token_hash=hash_token(token),
                platform_id=platform_id,
                dossier_id=dossier_id,
                share_dossier=share_dossier,
                created_by=created_by[:FIELD_LENGTH],
                created_at=now(),
                expires_at=_expiry(days),
            )
        )
    return token


def renew_link(link_id: int, dossier_id: int, days: int = LINK_DAYS) -> str | None:
    """A new token for a dossier's link (the old one stops working); None if not its link."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with transaction() as session:
        row = session.get(VendorLinkRow, link_id)
        if row is None or row.dossier_id != dossier_id:
            return None
        row.token_hash = hash_token(token)
        row.expires_at = _expiry(days)
    return token


@dataclass(frozen=True, slots=True)
class DossierLink:
    """A link made from a dossier, as its page lists it (the token itself is not kept)."""

    id: int
    platform_id: str
    share_dossier: bool
    created_at: dt.datetime
    expires_at: dt.datetime
    status: str  # "" (not opened), "concept" or "ingediend"


def dossier_links(dossier_id: int) -> list[DossierLink]:
    """The vendor links made from a dossier, oldest first."""
    with transaction() as session:
        rows = session.execute(
            select(VendorLinkRow, SubmissionRow.status)
            .outerjoin(SubmissionRow, SubmissionRow.link_id == VendorLinkRow.id)
            .where(VendorLinkRow.dossier_id == dossier_id)
            .order_by(VendorLinkRow.id)
        ).all()
        return [
            DossierLink(
                link.id,
                link.platform_id,
                link.share_dossier,
                aware(link.created_at),
                aware(link.expires_at),
                status or "",
            )
            for link, status in rows
        ]


def find_link(token: str) -> Link | None:
    """The unexpired link behind a token, or None."""
    if not token or len(token) > 100:
        return None
    digest = hash_token(token)
    with transaction() as session:
        row = session.scalars(
            select(VendorLinkRow).where(VendorLinkRow.token_hash == digest)
        ).first()
        if row is None or not hmac.compare_digest(row.token_hash, digest):
            return None
        if aware(row.expires_at) < now():
            return None
        return Link(
            row.id, row.platform_id, row.dossier_id, row.share_dossier, aware(row.expires_at)
        )


def load_submission(link_id: int) -> dict[str, Any] | None:
    """The submission behind a link (draft or sent), as plain data."""
    with transaction() as session:
        row = session.scalars(select(SubmissionRow).where(SubmissionRow.link_id == link_id)).first()
        if row is None:
            return None
        return {
            "id": row.id,
            "status": row.status,
            "name": row.name,
            "role": row.role,
            "answers": dict(row.answers or {}),
        }


def save_submission(
    link: Link, status: str, name: str, role: str, answers: Mapping[str, Any]
) -> int | None:
    """Save (or update) the submission behind a link; returns its id.

    None when it was sent meanwhile (a second click): a sent submission never changes."""
    try:
        return _save(link, status, name, role, answers)
    except IntegrityError:
        # Two first saves at once (a double click): the other one created the row; this
        # one updates it, as a later save would.
        return _save(link, status, name, role, answers)


def _save(link: Link, status: str, name: str, role: str, answers: Mapping[str, Any]) -> int | None:
    stamp = now()
    with transaction() as session:
        row = session.scalars(
            select(SubmissionRow).where(SubmissionRow.link_id == link.id).with_for_update()
        ).first()
        if row is None:
            row = SubmissionRow(
                link_id=link.id,
                platform_id=link.platform_id,
                answers={},
                created_at=stamp,
                status=status,
            )
            session.add(row)
        elif row.status == "ingediend":
            return None
        row.status, row.name, row.role = status, name, role
        row.answers = dict(answers)
        row.updated_at = stamp
        session.flush()
        return row.id
