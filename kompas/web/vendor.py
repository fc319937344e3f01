"""Vendor links and forms, a dossier's local facts, and the curator's decisions.

A vendor link is a secret token (192 bits, stored hashed) that expires; behind it the vendor
sees only the questions for one platform (and the dossier's municipality only when the
advisor chose to share it). A submission never changes the catalogue: a curator accepts or
rejects it per fact (`kompas catalogue accept|reject`), and a submission sent from a
dossier's link counts for that dossier's advice as local facts.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from flask import Blueprint
from flask import abort
from flask import current_app
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from sqlalchemy import JSON
from sqlalchemy import Boolean
from sqlalchemy import DateTime
from sqlalchemy import ForeignKey
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import delete
from sqlalchemy import select
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from kompas.engine.model import Catalogue
from kompas.engine.model import Fact
from kompas.engine.model import Questionnaire
from kompas.engine.vendor import VENDOR_STATEMENT
from kompas.engine.vendor import VendorAnswer
from kompas.engine.vendor import VendorItem
from kompas.engine.vendor import answer_from_record
from kompas.engine.vendor import answer_record
from kompas.engine.vendor import check_source
from kompas.engine.vendor import value_from_form
from kompas.engine.vendor import vendor_questionnaire
from kompas.errors import DataError
from kompas.i18n import _
from kompas.web import db
from kompas.web.errors import render_error
from kompas.web.lookup import dossier_or_404

bp = Blueprint("vendor", __name__)
LINK_DAYS = 30  # a vendor link's default lifetime
MAX_DAYS = 365
FIELD_LENGTH = 200


class VendorLinkRow(db.Base):
    """A secret, expiring link behind which one platform's vendor answers its questions."""

    __tablename__ = "vendor_link"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    platform_id: Mapped[str] = mapped_column(String(80))
    dossier_id: Mapped[int | None] = mapped_column(
        ForeignKey("dossier.id", ondelete="CASCADE"), nullable=True
    )
    share_dossier: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class SubmissionRow(db.Base):
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
    # fact id -> {"value": as typed, "source": ..., "date": ...}: kept as typed, so nothing
    # a vendor wrote is lost when it does not validate yet.
    answers: Mapped[Any] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class LocalFactRow(db.Base):
    """A fact given for one dossier only (by the vendor's form or typed in by the advisor)."""

    __tablename__ = "local_fact"

    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossier.id", ondelete="CASCADE"), primary_key=True
    )
    platform_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    fact_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    answer: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class DecisionRow(db.Base):
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


# -- storage ------------------------------------------------------------------------------


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(when: dt.datetime) -> dt.datetime:
    # SQLite returns naive datetimes for timezone columns: they were written in UTC.
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def create_link(
    platform_id: str,
    *,
    days: int = LINK_DAYS,
    dossier_id: int | None = None,
    share_dossier: bool = False,
    created_by: str = "",
) -> str:
    """Create a vendor link; returns its secret token (shown once)."""
    token = secrets.token_urlsafe(db.TOKEN_BYTES)
    now = _now()
    with db.transaction() as session:
        session.add(
            VendorLinkRow(
                token_hash=db.hash_token(token),
                platform_id=platform_id,
                dossier_id=dossier_id,
                share_dossier=share_dossier,
                created_by=created_by[:FIELD_LENGTH],
                created_at=now,
                expires_at=now + dt.timedelta(days=max(1, min(days, MAX_DAYS))),
            )
        )
    return token


@dataclass(frozen=True, slots=True)
class Link:
    """A vendor link as the form sees it."""

    id: int
    platform_id: str
    dossier_id: int | None
    share_dossier: bool
    expires_at: dt.datetime


def find_link(token: str) -> Link | None:
    """The unexpired link behind a token, or None."""
    if not token or len(token) > 100:
        return None
    digest = db.hash_token(token)
    with db.transaction() as session:
        row = session.scalars(
            select(VendorLinkRow).where(VendorLinkRow.token_hash == digest)
        ).first()
        if row is None or not hmac.compare_digest(row.token_hash, digest):
            return None
        if _aware(row.expires_at) < _now():
            return None
        return Link(
            row.id, row.platform_id, row.dossier_id, row.share_dossier, _aware(row.expires_at)
        )


def load_submission(link_id: int) -> dict[str, Any] | None:
    """The submission behind a link (draft or sent), as plain data."""
    with db.transaction() as session:
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
) -> int:
    """Save (or update) the submission behind a link; returns its id."""
    now = _now()
    with db.transaction() as session:
        row = session.scalars(select(SubmissionRow).where(SubmissionRow.link_id == link.id)).first()
        if row is None:
            row = SubmissionRow(
                link_id=link.id,
                platform_id=link.platform_id,
                answers={},
                created_at=now,
                status=status,
            )
            session.add(row)
        row.status, row.name, row.role = status, name, role
        row.answers = dict(answers)
        row.updated_at = now
        session.flush()
        return row.id


def set_local_facts(dossier_id: int, answers: list[VendorAnswer]) -> None:
    """Store facts for one dossier (replacing earlier ones for the same platform and fact)."""
    now = _now()
    with db.transaction() as session:
        for answer in answers:
            session.execute(
                delete(LocalFactRow).where(
                    LocalFactRow.dossier_id == dossier_id,
                    LocalFactRow.platform_id == answer.platform_id,
                    LocalFactRow.fact_id == answer.fact_id,
                )
            )
            session.add(
                LocalFactRow(
                    dossier_id=dossier_id,
                    platform_id=answer.platform_id,
                    fact_id=answer.fact_id,
                    answer=answer_record(answer),
                    updated_at=now,
                )
            )


def local_answers(dossier_id: int, catalogue: Catalogue) -> list[VendorAnswer]:
    """A dossier's local facts; one that no longer fits the catalogue is left out."""
    with db.transaction() as session:
        rows = session.scalars(
            select(LocalFactRow).where(LocalFactRow.dossier_id == dossier_id)
        ).all()
        records = [dict(r.answer) for r in rows]
    answers = []
    for record in records:
        try:
            answers.append(answer_from_record(record, catalogue))
        except DataError:
            continue
    return answers


def local_facts(dossier_id: int, catalogue: Catalogue | None = None) -> dict[str, dict[str, Fact]]:
    """A dossier's local facts as `advise(local_facts=...)` takes them."""
    from kompas.engine.vendor import local_fact_map

    return local_fact_map(local_answers(dossier_id, catalogue or _catalogue()))


def delete_local_fact(dossier_id: int, platform_id: str, fact_id: str) -> None:
    """Remove one local fact of a dossier."""
    with db.transaction() as session:
        session.execute(
            delete(LocalFactRow).where(
                LocalFactRow.dossier_id == dossier_id,
                LocalFactRow.platform_id == platform_id,
                LocalFactRow.fact_id == fact_id,
            )
        )


@dataclass(frozen=True, slots=True)
class Submission:
    """A sent submission with its valid answers and the curator's decisions so far."""

    id: int
    platform_id: str
    name: str
    role: str
    updated_at: dt.datetime
    answers: tuple[VendorAnswer, ...]
    decisions: Mapping[str, tuple[str, str, str]]  # fact id -> (decision, curator, reason)


def submissions(catalogue: Catalogue, submission_id: int | None = None) -> list[Submission]:
    """Sent submissions (all, or one), with their answers as the catalogue reads them."""
    with db.transaction() as session:
        query = select(SubmissionRow).where(SubmissionRow.status == "ingediend")
        if submission_id is not None:
            query = query.where(SubmissionRow.id == submission_id)
        rows = session.scalars(query.order_by(SubmissionRow.id)).all()
        decided = session.scalars(select(DecisionRow)).all()
        decisions: dict[int, dict[str, tuple[str, str, str]]] = {}
        for d in decided:
            decisions.setdefault(d.submission_id, {})[d.fact_id] = (d.decision, d.curator, d.reason)
        plain = [
            (r.id, r.platform_id, r.name, r.role, _aware(r.updated_at), dict(r.answers or {}))
            for r in rows
        ]
    result = []
    for sid, pid, name, role, when, answers in plain:
        read = []
        for fid, entry in answers.items():
            record = {"platform": pid, "fact": fid, "name": name, "role": role, **entry}
            try:
                read.append(answer_from_record(record, catalogue))
            except DataError:
                continue
        result.append(Submission(sid, pid, name, role, when, tuple(read), decisions.get(sid, {})))
    return result


def decide(submission_id: int, fact_id: str, decision: str, curator: str, reason: str = "") -> None:
    """Record a curator's decision on one fact of a submission (once per fact)."""
    with db.transaction() as session:
        session.add(
            DecisionRow(
                submission_id=submission_id,
                fact_id=fact_id,
                decision=decision,
                reason=reason,
                curator=curator,
                decided_at=_now(),
            )
        )


# -- the form -----------------------------------------------------------------------------


def _catalogue() -> Catalogue:
    return current_app.extensions["kompas"]["catalogue"]  # type: ignore[no-any-return]


def _questionnaire() -> Questionnaire:
    return current_app.extensions["kompas"]["questionnaire"]  # type: ignore[no-any-return]


@lru_cache(maxsize=64)
def _items(platform_id: str, _catalogue_hash: str, _lang: str) -> tuple[VendorItem, ...]:
    from kompas.engine.vendor import example_profiles

    return vendor_questionnaire(_questionnaire(), _catalogue(), platform_id, example_profiles())


def items_for(platform_id: str) -> tuple[VendorItem, ...]:
    """The vendor questions of a platform (computed once per catalogue and language)."""
    from kompas.i18n import current_language

    return _items(platform_id, _catalogue().content_hash, current_language())


def read_form(
    items: tuple[VendorItem, ...], form: Any, platform_id: str, today: dt.date
) -> tuple[dict[str, Any], list[VendorAnswer], dict[str, str]]:
    """The typed answers (kept as typed), the valid ones, and a problem per field."""
    catalogue = _catalogue()
    name = form.get("name", "").strip()[:FIELD_LENGTH]
    role = form.get("role", "").strip()[:FIELD_LENGTH]
    typed: dict[str, Any] = {}
    valid: list[VendorAnswer] = []
    problems: dict[str, str] = {}
    for item in items:
        fid = item.fact_id
        raw: str | list[str] = (
            form.getlist(f"{fid}-value") if item.type == "set" else form.get(f"{fid}-value", "")
        )
        source = form.get(f"{fid}-source", "").strip()[:500]
        when = form.get(f"{fid}-date", "").strip()[:20]
        if not raw or raw == "unknown":
            if source or when:
                typed[fid] = {"value": "", "source": source, "date": when}
            continue
        spec = catalogue.facts[fid]
        value, problem = value_from_form(spec, raw)
        typed[fid] = {"value": raw, "source": source, "date": when}
        if problem:
            problems[f"{fid}-value"] = problem
        source_problem = check_source(source) if source else _("geef een bron")
        if source_problem:
            problems[f"{fid}-source"] = source_problem
        date = None
        try:
            date = dt.date.fromisoformat(when)
        except ValueError:
            problems[f"{fid}-date"] = _("geef een datum als 2026-11-29")
        if date is not None and date > today:
            problems[f"{fid}-date"] = _("deze datum ligt in de toekomst")
            date = None
        if value is not None and not source_problem and date is not None:
            if source.casefold() == VENDOR_STATEMENT:
                source = VENDOR_STATEMENT
            typed[fid]["value"] = _plain(value)
            valid.append(
                VendorAnswer(platform_id, fid, value, source, date, name, role, _("formulier"))
            )
    return typed, valid, problems


def _plain(value: Any) -> Any:
    from kompas.engine.vendor import plain_value

    return plain_value(value)


@bp.route("/leverancier/<token>", methods=["GET", "POST"])
def form(token: str) -> Any:
    """The vendor's form: the platform's questions; save to continue later, or send."""
    link = find_link(token)
    if link is None:
        return render_error(404)
    catalogue = _catalogue()
    if link.platform_id not in catalogue.index:
        return render_error(404)
    platform = catalogue.platform(link.platform_id)
    items = items_for(link.platform_id)
    saved = load_submission(link.id) or {"status": "concept", "name": "", "role": "", "answers": {}}
    municipality = ""
    if link.share_dossier and link.dossier_id is not None:
        municipality = _municipality(link.dossier_id)
    problems: dict[str, str] = {}
    if request.method == "POST":
        if saved["status"] == "ingediend":
            return render_error(409, _("Deze vragenlijst is al verstuurd."))
        typed, valid, problems = read_form(items, request.form, platform.id, dt.date.today())
        name = request.form.get("name", "").strip()[:FIELD_LENGTH]
        role = request.form.get("role", "").strip()[:FIELD_LENGTH]
        send = request.form.get("action") == "send"
        if send and not name:
            problems["name"] = _("vul uw naam in")
        if send and not role:
            problems["role"] = _("vul uw functie in")
        if send and not valid and not problems:
            problems["form"] = _("beantwoord minstens één vraag, of sla op om later verder te gaan")
        status = "ingediend" if send and not problems else "concept"
        # A draft is always saved as typed: nothing the vendor wrote is lost.
        save_submission(link, status, name, role, typed)
        saved = {"status": status, "name": name, "role": role, "answers": typed}
        if status == "ingediend":
            if link.dossier_id is not None:
                set_local_facts(link.dossier_id, valid)
            return render_template("vendor/thanks.html", platform=platform, count=len(valid))
        if not send:
            # A draft needs no complete answers: checks come when it is sent.
            flash(_("Opgeslagen. U kunt later met dezelfde link verder."))
            return redirect(url_for("vendor.form", token=token))
    code = 400 if problems else 200
    return (
        render_template(
            "vendor/form.html",
            platform=platform,
            items=items,
            saved=saved,
            problems=problems,
            municipality=municipality,
            expires=link.expires_at.date(),
            statement=VENDOR_STATEMENT,
            token=token,
        ),
        code,
    )


def _municipality(dossier_id: int) -> str:
    with db.transaction() as session:
        row = session.get(db.DossierRow, dossier_id)
        return row.municipality if row is not None else ""


@bp.post("/d/<token>/leverancier")
def send_link(token: str) -> Any:
    """An advisor creates a vendor link for one platform from a dossier's advice page."""
    dossier = dossier_or_404(token)
    platform_id = request.form.get("platform", "")
    if platform_id not in _catalogue().index:
        return render_error(400, _("Kies een platform uit de lijst."))
    share = request.form.get("share") == "1"
    secret = create_link(
        platform_id,
        dossier_id=dossier.id,
        share_dossier=share,
        created_by=dossier.advisor or dossier.municipality,
    )
    from kompas.web.security import external_url

    link = external_url("vendor.form", token=secret)
    return render_template(
        "vendor/link.html",
        link=link,
        platform=_catalogue().platform(platform_id),
        token=token,
        dossier=dossier,
    )


@bp.route("/d/<token>/leveranciersfeiten", methods=["GET", "POST"])
def dossier_facts(token: str) -> Any:
    """What a vendor told the advisor by phone or mail, typed in for this dossier only."""
    dossier = dossier_or_404(token)
    catalogue = _catalogue()
    problems: dict[str, str] = {}
    form_values: dict[str, str] = {}
    platform_id = request.values.get("platform", "")
    if platform_id and platform_id not in catalogue.index:
        return render_error(400, _("Kies een platform uit de lijst."))
    items = items_for(platform_id) if platform_id else ()
    if request.method == "POST" and request.form.get("remove"):
        pid, _sep, fid = request.form["remove"].partition(":")
        delete_local_fact(dossier.id, pid, fid)
        return redirect(url_for("vendor.dossier_facts", token=token))
    if request.method == "POST" and platform_id:
        form_values = {k: v for k, v in request.form.items()}
        name = request.form.get("name", "").strip()
        how = request.form.get("how", "").strip()[:FIELD_LENGTH]
        _typed, valid, problems = read_form(items, request.form, platform_id, dt.date.today())
        if not name:
            problems["name"] = _("vul in wie het zei")
        if not valid and not problems:
            problems["form"] = _("vul minstens één feit in")
        if not problems:
            import dataclasses

            valid = [dataclasses.replace(a, how=how or _("telefoon of mail")) for a in valid]
            set_local_facts(dossier.id, valid)
            flash(_("Opgeslagen; het advies van dit dossier rekent ermee."))
            return redirect(url_for("vendor.dossier_facts", token=token))
    return (
        render_template(
            "vendor/dossier_facts.html",
            dossier=dossier,
            token=token,
            catalogue=catalogue,
            platform=catalogue.index.get(platform_id),
            items=items,
            problems=problems,
            values=form_values,
            facts=local_answers(dossier.id, catalogue),
            statement=VENDOR_STATEMENT,
        ),
        400 if problems else 200,
    )


@bp.app_template_global("local_fact_lines")
def template_local_fact_lines(advice: Any) -> list[str]:
    """The dossier's local facts as lines for the advice page."""
    from kompas.engine.vendor import local_fact_lines

    local = getattr(advice, "local_facts", None) or {}
    return local_fact_lines(local, _questionnaire(), _catalogue())


def require_platform(platform_id: str) -> None:
    """404 for a platform the catalogue does not hold."""
    if platform_id not in _catalogue().index:
        abort(404)
