"""A dossier's local facts: what the advisor typed in, or what a vendor sent through a link.

Each stored answer records its origin ("adviseur" or "leverancier"). A vendor's answer never
replaces one the advisor typed: it waits beside it until the advisor chooses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON
from sqlalchemy import DateTime
from sqlalchemy import ForeignKey
from sqlalchemy import String
from sqlalchemy import bindparam
from sqlalchemy import delete
from sqlalchemy import select
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from kompas.engine.model import Catalogue
from kompas.engine.model import Fact
from kompas.engine.vendor import VendorAnswer
from kompas.engine.vendor import answer_from_record
from kompas.engine.vendor import answer_record
from kompas.engine.vendor import local_fact_map
from kompas.errors import DataError
from kompas.store.base import Base
from kompas.store.base import connection
from kompas.store.base import now
from kompas.store.base import transaction

ADVISOR = "adviseur"
VENDOR = "leverancier"


class LocalFactRow(Base):
    """A fact given for one dossier only (by the vendor's form or typed in by the advisor)."""

    __tablename__ = "local_fact"

    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossier.id", ondelete="CASCADE"), primary_key=True
    )
    platform_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    fact_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    # answer_record() plus "origin" (and "submission" for a vendor's answer).
    answer: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


@dataclass(frozen=True, slots=True)
class Waiting:
    """A vendor's answer that differs from one the advisor typed: the advisor chooses."""

    submission_id: int
    vendor: VendorAnswer
    advisor: VendorAnswer


# Built once: making a statement costs more than running it on SQLite (issue 18).
_TABLE = LocalFactRow.__table__
_RECORDS = select(_TABLE.c.platform_id, _TABLE.c.fact_id, _TABLE.c.answer).where(
    _TABLE.c.dossier_id == bindparam("dossier")
)


def _records(dossier_id: int) -> dict[tuple[str, str], dict[str, Any]]:
    # A plain query: the advice page reads this on every request, and the ORM's bookkeeping
    # costs more than the query (issue 18).
    with connection() as shared:  # shared with the page's other reads, if any
        rows = shared.execute(_RECORDS, {"dossier": dossier_id})
        return {(platform, fact): dict(answer) for platform, fact, answer in rows}


def origin_of(record: dict[str, Any]) -> str:
    """Who gave a stored local fact (older records without an origin count as the advisor's)."""
    return VENDOR if record.get("origin") == VENDOR else ADVISOR


def set_local_facts(
    dossier_id: int,
    answers: Iterable[VendorAnswer],
    origin: str = ADVISOR,
    submission_id: int | None = None,
) -> list[VendorAnswer]:
    """Store facts for one dossier; returns the vendor answers left waiting for the advisor.

    The advisor's own answers replace whatever was there. A vendor's answer replaces only an
    earlier vendor answer: beside a different fact the advisor typed it waits (see waiting)."""
    stamp = now()
    held: list[VendorAnswer] = []
    with transaction() as session:
        for answer in answers:
            key = (dossier_id, answer.platform_id, answer.fact_id)
            row = session.get(LocalFactRow, key)
            if row is not None and origin == VENDOR and origin_of(dict(row.answer)) == ADVISOR:
                if dict(row.answer).get("value") != answer_record(answer)["value"]:
                    held.append(answer)
                continue
            record = answer_record(answer) | {"origin": origin}
            if submission_id is not None:
                record["submission"] = submission_id
            if row is None:
                session.add(
                    LocalFactRow(
                        dossier_id=dossier_id,
                        platform_id=answer.platform_id,
                        fact_id=answer.fact_id,
                        answer=record,
                        updated_at=stamp,
                    )
                )
            else:
                row.answer, row.updated_at = record, stamp
    return held


def local_answers(dossier_id: int, catalogue: Catalogue) -> list[VendorAnswer]:
    """A dossier's local facts; one that no longer fits the catalogue is left out."""
    answers = []
    for record in _records(dossier_id).values():
        try:
            answers.append(answer_from_record(record, catalogue))
        except DataError:
            continue
    return answers


def local_entries(dossier_id: int, catalogue: Catalogue) -> list[tuple[VendorAnswer, str]]:
    """A dossier's local facts with who gave each ("adviseur" or "leverancier")."""
    entries = []
    for record in _records(dossier_id).values():
        try:
            entries.append((answer_from_record(record, catalogue), origin_of(record)))
        except DataError:
            continue
    return entries


def local_facts(dossier_id: int, catalogue: Catalogue) -> dict[str, dict[str, Fact]]:
    """A dossier's local facts as `advise(local_facts=...)` takes them."""
    return local_fact_map(local_answers(dossier_id, catalogue))


def delete_local_fact(dossier_id: int, platform_id: str, fact_id: str) -> None:
    """Remove one local fact of a dossier."""
    with transaction() as session:
        session.execute(
            delete(LocalFactRow).where(
                LocalFactRow.dossier_id == dossier_id,
                LocalFactRow.platform_id == platform_id,
                LocalFactRow.fact_id == fact_id,
            )
        )


def keep_advisor(dossier_id: int, platform_id: str, fact_id: str, submission_id: int) -> None:
    """The advisor keeps their own fact over a vendor's answer (the notice goes away)."""
    with transaction() as session:
        row = session.get(LocalFactRow, (dossier_id, platform_id, fact_id))
        if row is not None:
            record = dict(row.answer)
            record["kept_over"] = sorted({*record.get("kept_over", []), submission_id})
            row.answer = record


def answers_by_submission(dossier_id: int, catalogue: Catalogue) -> dict[int, list[VendorAnswer]]:
    """The vendor answers that count for a dossier, by the submission that sent them."""
    found: dict[int, list[VendorAnswer]] = {}
    for record in _records(dossier_id).values():
        sid = record.get("submission")
        if origin_of(record) != VENDOR or not isinstance(sid, int):
            continue
        try:
            found.setdefault(sid, []).append(answer_from_record(record, catalogue))
        except DataError:
            continue
    return found
