"""The curator's queue: sent submissions with their provenance, and decisions per fact."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy import ForeignKey
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import cast
from sqlalchemy import select
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from kompas.engine.model import Catalogue
from kompas.engine.vendor import VendorAnswer
from kompas.engine.vendor import answer_from_record
from kompas.errors import DataError
from kompas.store.base import Base
from kompas.store.base import aware
from kompas.store.base import now
from kompas.store.base import read_json
from kompas.store.base import transaction
from kompas.store.local import ADVISOR
from kompas.store.local import LocalFactRow
from kompas.store.local import Waiting
from kompas.store.local import origin_of
from kompas.store.vendor import SubmissionRow
from kompas.store.vendor import VendorLinkRow


class DecisionRow(Base):
    """A curator's decision on one fact of one submission: who, when, why."""

    __tablename__ = "catalogue_decision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("vendor_submission.id", ondelete="CASCADE")
    )
    fact_id: Mapped[str] = mapped_column(String(80))
    decision: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    curator: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


@dataclass(frozen=True, slots=True)
class Submission:
    """A sent submission with its valid answers, its provenance and the decisions so far."""

    id: int
    platform_id: str
    name: str
    role: str
    updated_at: dt.datetime
    answers: tuple[VendorAnswer, ...]
    decisions: Mapping[str, tuple[str, str, str]]  # fact id -> (decision, curator, reason)
    dossier_id: int | None = None  # None: through a link a curator issued
    link_by: str = ""  # who made the link (curator, or the dossier's advisor)
    unreadable: tuple[str, ...] = ()  # fact ids whose stored answer cannot be read

    @property
    def curator_issued(self) -> bool:
        """Whether the link was issued by a curator (not made from a dossier)."""
        return self.dossier_id is None


def _read_answers(
    pid: str, name: str, role: str, answers: Any, catalogue: Catalogue
) -> tuple[tuple[VendorAnswer, ...], tuple[str, ...]]:
    read, bad = [], []
    for fid, entry in (answers or {}).items() if isinstance(answers, dict) else ():
        record = {**entry, "platform": pid, "fact": fid, "name": name, "role": role}
        try:
            read.append(answer_from_record(record, catalogue))
        except (DataError, TypeError, ValueError, OverflowError):
            bad.append(str(fid))
    return tuple(read), tuple(bad)


def submissions(
    catalogue: Catalogue,
    submission_id: int | None = None,
    *,
    dossier_id: int | None = None,
) -> list[Submission]:
    """Sent submissions (all, one, or a dossier's), their answers as the catalogue reads them.

    A submission whose stored answers cannot be read at all is listed without answers: one
    bad submission never hides the others."""
    with transaction() as session:
        query = (
            select(
                SubmissionRow.id,
                SubmissionRow.platform_id,
                SubmissionRow.name,
                SubmissionRow.role,
                SubmissionRow.updated_at,
                cast(SubmissionRow.answers, Text),
                VendorLinkRow.dossier_id,
                VendorLinkRow.created_by,
            )
            .join(VendorLinkRow, VendorLinkRow.id == SubmissionRow.link_id)
            .where(SubmissionRow.status == "ingediend")
        )
        if submission_id is not None:
            query = query.where(SubmissionRow.id == submission_id)
        if dossier_id is not None:
            query = query.where(VendorLinkRow.dossier_id == dossier_id)
        rows = session.execute(query.order_by(SubmissionRow.id)).all()
        decisions: dict[int, dict[str, tuple[str, str, str]]] = {}
        for d in session.scalars(select(DecisionRow)).all():
            decisions.setdefault(d.submission_id, {})[d.fact_id] = (d.decision, d.curator, d.reason)
    result = []
    for sid, pid, name, role, when, text, did, by in rows:
        stored = read_json(text)
        answers, bad = _read_answers(pid, name, role, stored, catalogue)
        if stored is None:
            bad = ("*",)
        result.append(
            Submission(
                sid, pid, name, role, aware(when), answers, decisions.get(sid, {}), did, by, bad
            )
        )
    return result


def decide(submission_id: int, fact_id: str, decision: str, curator: str, reason: str = "") -> None:
    """Record a curator's decision on one fact of a submission (once per fact)."""
    with transaction() as session:
        session.add(
            DecisionRow(
                submission_id=submission_id,
                fact_id=fact_id,
                decision=decision,
                reason=reason,
                curator=curator,
                decided_at=now(),
            )
        )


def waiting(dossier_id: int, catalogue: Catalogue) -> list[Waiting]:
    """Vendors' answers that differ from a fact the advisor typed and has not kept yet."""
    with transaction() as session:
        rows = session.execute(
            select(
                LocalFactRow.platform_id, LocalFactRow.fact_id, cast(LocalFactRow.answer, Text)
            ).where(LocalFactRow.dossier_id == dossier_id)
        ).all()
    own: dict[tuple[str, str], dict[str, Any]] = {}
    for pid, fid, text in rows:
        record = read_json(text)
        if isinstance(record, dict) and origin_of(record) == ADVISOR:
            own[(pid, fid)] = record
    found = []
    for sub in submissions(catalogue, dossier_id=dossier_id):
        for answer in sub.answers:
            record = own.get((answer.platform_id, answer.fact_id))
            if record is None or sub.id in record.get("kept_over", []):
                continue
            try:
                mine = answer_from_record(record, catalogue)
            except DataError:
                continue
            if mine.value != answer.value:
                found.append(Waiting(sub.id, answer, mine))
    return found
