"""Verification rounds: vendor links made together for one dossier, and what each vendor did.

A round holds one vendor link per platform it asks (the links are ordinary dossier links, so
the vendor's form, the submission and the local facts work as for any dossier link), the
questions each link asks, and a snapshot of the probable shortlist at the start, so the round
page can show before -> after. A vendor's status is derived, never stored twice: answered
when its submission was sent, expired when its link ran out first, opened when the form was
opened once (recorded here), sent otherwise.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON
from sqlalchemy import DateTime
from sqlalchemy import ForeignKey
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from kompas.engine.round import ANSWERED
from kompas.engine.round import EXPIRED
from kompas.engine.round import OPENED
from kompas.engine.round import SENT
from kompas.store.base import TOKEN_BYTES
from kompas.store.base import Base
from kompas.store.base import aware
from kompas.store.base import hash_token
from kompas.store.base import now
from kompas.store.base import transaction
from kompas.store.vendor import FIELD_LENGTH
from kompas.store.vendor import LINK_DAYS
from kompas.store.vendor import MAX_DAYS
from kompas.store.vendor import SubmissionRow
from kompas.store.vendor import VendorLinkRow


class RoundRow(Base):
    """One verification round of a dossier, with the probable shortlist when it started."""

    __tablename__ = "vendor_round"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossier.id", ondelete="CASCADE"), index=True
    )
    created_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    # kompas.engine.round.snapshot(): stance, shortlist, first and top-three shares.
    snapshot: Mapped[Any] = mapped_column(JSON)


class RoundLinkRow(Base):
    """A vendor link of a round: which platform, which questions, when it was first opened."""

    __tablename__ = "vendor_round_link"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("vendor_round.id", ondelete="CASCADE"), index=True
    )
    link_id: Mapped[int] = mapped_column(
        ForeignKey("vendor_link.id", ondelete="CASCADE"), unique=True
    )
    platform_id: Mapped[str] = mapped_column(String(80))
    questions: Mapped[Any] = mapped_column(JSON)  # fact ids, most worth first
    opened_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


@dataclass(frozen=True, slots=True)
class RoundVendor:
    """One vendor of a round as the round page shows it."""

    link_id: int
    platform_id: str
    questions: tuple[str, ...]
    status: str  # one of kompas.engine.round.STATUSES
    opened_at: dt.datetime | None
    expires_at: dt.datetime
    submission_id: int | None  # the sent submission, when answered


@dataclass(frozen=True, slots=True)
class Round:
    """A verification round: when, by whom, the snapshot at the start and its vendors."""

    id: int
    dossier_id: int
    created_by: str
    created_at: dt.datetime
    snapshot: Mapping[str, Any]
    vendors: tuple[RoundVendor, ...]


def start_round(
    dossier_id: int,
    plan: Sequence[tuple[str, Sequence[str]]],
    snapshot: Mapping[str, Any],
    *,
    days: int = LINK_DAYS,
    created_by: str = "",
) -> tuple[int, dict[str, str]]:
    """Store a round and its links in one transaction; returns its id and platform -> token.

    `plan` holds (platform id, fact ids) per vendor. The tokens are shown once, as for any
    vendor link; only their hashes are kept."""
    stamp = now()
    expires = stamp + dt.timedelta(days=max(1, min(days, MAX_DAYS)))
    tokens: dict[str, str] = {}
    with transaction() as session:
        row = RoundRow(
            dossier_id=dossier_id,
            created_by=created_by[:FIELD_LENGTH],
            created_at=stamp,
            snapshot=dict(snapshot),
        )
        session.add(row)
        session.flush()
        for platform_id, facts in plan:
            token = secrets.token_urlsafe(TOKEN_BYTES)
            link = VendorLinkRow(
                token_hash=hash_token(token),
                platform_id=platform_id,
                dossier_id=dossier_id,
                share_dossier=False,
                created_by=created_by[:FIELD_LENGTH],
                created_at=stamp,
                expires_at=expires,
            )
            session.add(link)
            session.flush()
            session.add(
                RoundLinkRow(
                    round_id=row.id, link_id=link.id, platform_id=platform_id, questions=list(facts)
                )
            )
            tokens[platform_id] = token
        return row.id, tokens


def mark_opened(link_id: int) -> None:
    """Record the first time a round's vendor opened its form (later openings change nothing)."""
    with transaction() as session:
        session.execute(
            update(RoundLinkRow)
            .where(RoundLinkRow.link_id == link_id, RoundLinkRow.opened_at.is_(None))
            .values(opened_at=now())
        )


def round_questions(link_id: int) -> tuple[str, ...] | None:
    """The fact ids a round's link asks, or None for a link outside any round."""
    with transaction() as session:
        row = session.scalars(select(RoundLinkRow).where(RoundLinkRow.link_id == link_id)).first()
        return None if row is None else tuple(str(f) for f in row.questions or ())


def status_of(
    submission: str | None, opened: dt.datetime | None, expires: dt.datetime, at: dt.datetime
) -> str:
    """A vendor's status: answered, expired, opened or sent (in that order of precedence)."""
    if submission == "ingediend":
        return ANSWERED
    if expires < at:
        return EXPIRED
    return OPENED if opened is not None or submission == "concept" else SENT


def dossier_rounds(dossier_id: int, at: dt.datetime | None = None) -> list[Round]:
    """A dossier's rounds, newest first, each with its vendors' status at `at` (default: now)."""
    at = at or now()
    with transaction() as session:
        rounds = session.scalars(
            select(RoundRow).where(RoundRow.dossier_id == dossier_id).order_by(RoundRow.id.desc())
        ).all()
        result = []
        for row in rounds:
            vendors = session.execute(
                select(
                    RoundLinkRow, VendorLinkRow.expires_at, SubmissionRow.status, SubmissionRow.id
                )
                .join(VendorLinkRow, VendorLinkRow.id == RoundLinkRow.link_id)
                .outerjoin(SubmissionRow, SubmissionRow.link_id == RoundLinkRow.link_id)
                .where(RoundLinkRow.round_id == row.id)
                .order_by(RoundLinkRow.id)
            ).all()
            listed = tuple(
                _vendor(link, aware(expires), status, sid, at)
                for link, expires, status, sid in vendors
            )
            result.append(
                Round(
                    row.id,
                    row.dossier_id,
                    row.created_by,
                    aware(row.created_at),
                    dict(row.snapshot or {}),
                    listed,
                )
            )
        return result


def _vendor(
    link: RoundLinkRow, expires: dt.datetime, status: str | None, sid: int | None, at: dt.datetime
) -> RoundVendor:
    opened = aware(link.opened_at) if link.opened_at is not None else None
    return RoundVendor(
        link.link_id,
        link.platform_id,
        tuple(str(f) for f in link.questions or ()),
        status_of(status, opened, expires, at),
        opened,
        expires,
        sid if status == "ingediend" else None,
    )


def latest_round(dossier_id: int, at: dt.datetime | None = None) -> Round | None:
    """The dossier's newest round, or None."""
    rounds = dossier_rounds(dossier_id, at)
    return rounds[0] if rounds else None
