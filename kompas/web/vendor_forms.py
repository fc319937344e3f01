"""Shared by the vendor pages: the blueprint, the vendor questions' cache, reading a form."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from flask import Blueprint
from flask import current_app
from flask import g

from kompas.engine.model import Catalogue
from kompas.engine.model import Fact
from kompas.engine.model import Questionnaire
from kompas.engine.vendor import VENDOR_STATEMENT
from kompas.engine.vendor import VendorAnswer
from kompas.engine.vendor import VendorItem
from kompas.engine.vendor import check_source
from kompas.engine.vendor import control_problem
from kompas.engine.vendor import plain_value
from kompas.engine.vendor import value_from_form
from kompas.engine.vendor import vendor_questionnaire
from kompas.i18n import _
from kompas.store import local as local_store
from kompas.store.local import local_answers as store_local_answers
from kompas.store.vendor import FIELD_LENGTH

bp = Blueprint("vendor", __name__)
TEXT_LENGTH = 500  # a source or a remark
DRAFT_BYTES = 64 * 1024  # a vendor's stored answers, as JSON: room for every question twice


def _catalogue() -> Catalogue:
    return current_app.extensions["kompas"]["catalogue"]  # type: ignore[no-any-return]


def _questionnaire() -> Questionnaire:
    return current_app.extensions["kompas"]["questionnaire"]  # type: ignore[no-any-return]


def local_answers(dossier_id: int, catalogue: Catalogue | None = None) -> list[VendorAnswer]:
    """A dossier's local facts (see kompas.store.local)."""
    return store_local_answers(dossier_id, catalogue or _catalogue())


def local_facts(dossier_id: int, catalogue: Catalogue | None = None) -> dict[str, dict[str, Fact]]:
    """A dossier's local facts as `advise(local_facts=...)` takes them."""
    return local_store.local_facts(dossier_id, catalogue or _catalogue())


# Every (platform, language) pair of the catalogue fits: computing one costs a second of CPU,
# so a cache that evicts would be recomputed over and over by a client cycling through them.
_ITEMS: dict[tuple[str, str, str, str], tuple[VendorItem, ...]] = {}


def items_for(platform_id: str) -> tuple[VendorItem, ...]:
    """The vendor questions of a platform (computed once per catalogue, questions, language)."""
    from kompas.engine.vendor import example_profiles
    from kompas.i18n import current_language

    catalogue, questionnaire = _catalogue(), _questionnaire()
    key = (
        catalogue.content_hash,
        str(getattr(questionnaire, "content_hash", "")),
        current_language(),
        platform_id,
    )
    found = _ITEMS.get(key)
    if found is None:
        g.kompas_vendor_computed = True  # this request pays the computation (see limits)
        found = vendor_questionnaire(questionnaire, catalogue, platform_id, example_profiles())
        if any(k[:2] != key[:2] for k in _ITEMS):
            _ITEMS.clear()  # the data changed: the old questions are gone for good
        _ITEMS[key] = found
    return found


def text_field(form: Any, name: str, problems: dict[str, str], limit: int = FIELD_LENGTH) -> str:
    """A free-text field, stripped and cut; control characters are a problem for the field."""
    text = str(form.get(name, "")).strip()[:limit]
    problem = control_problem(text)
    if problem:
        problems[name] = problem
    return text


def read_form(
    items: tuple[VendorItem, ...],
    form: Any,
    platform_id: str,
    today: dt.date,
    *,
    free_source: bool = False,
) -> tuple[dict[str, Any], list[VendorAnswer], dict[str, str]]:
    """The typed answers (kept as typed), the valid ones, and a problem per field.

    `free_source`: any text names the source (the advisor's "telefoongesprek met de
    leverancier"); otherwise a web address or the vendor's statement."""
    catalogue = _catalogue()
    problems: dict[str, str] = {}
    name = text_field(form, "name", problems)
    role = text_field(form, "role", problems)
    typed: dict[str, Any] = {}
    valid: list[VendorAnswer] = []
    for item in items:
        fid = item.fact_id
        raw: str | list[str] = (
            form.getlist(f"{fid}-value") if item.type == "set" else form.get(f"{fid}-value", "")
        )
        if isinstance(raw, str):
            raw = raw[:TEXT_LENGTH]
        source = text_field(form, f"{fid}-source", problems, TEXT_LENGTH)
        when = text_field(form, f"{fid}-date", problems, 20)
        remark = text_field(form, f"{fid}-remark", problems, TEXT_LENGTH)
        if not raw or raw == "unknown":
            if source or when or remark:
                typed[fid] = {"value": "", "source": source, "date": when, "remark": remark}
            continue
        typed[fid] = {"value": raw, "source": source, "date": when, "remark": remark}
        answer = _answer(catalogue, item, raw, (source, when, remark), today, free_source, problems)
        if answer is not None:
            typed[fid]["value"] = plain_value(answer[0])
            valid.append(
                VendorAnswer(
                    platform_id, fid, answer[0], answer[1], answer[2], name, role,
                    _("formulier"), remark=remark,
                )
            )  # fmt: skip
    return typed, valid, problems


def _answer(
    catalogue: Catalogue,
    item: VendorItem,
    raw: str | list[str],
    typed: tuple[str, str, str],
    today: dt.date,
    free_source: bool,
    problems: dict[str, str],
) -> tuple[Any, str, dt.date] | None:
    """One answer's value, source and date, or None with its problems noted."""
    fid = item.fact_id
    source, when, _remark = typed
    value, problem = value_from_form(catalogue.facts[fid], raw)
    if problem:
        problems[f"{fid}-value"] = problem
    if f"{fid}-source" not in problems:
        source_problem = "" if (free_source and source) else check_source(source)
        if not source:
            source_problem = _("geef een bron")
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
    if value is None or date is None or f"{fid}-source" in problems:
        return None
    if source.casefold() == VENDOR_STATEMENT:
        source = VENDOR_STATEMENT
    return value, source, date


def draft_problem(typed: dict[str, Any]) -> str:
    """A message when a vendor's answers are too big to store ("" when they fit)."""
    if len(json.dumps(typed, ensure_ascii=False).encode()) > DRAFT_BYTES:
        return _("Dit is te veel tekst om te bewaren; maak de bronnen en opmerkingen korter.")
    return ""
