"""A vendor's answer as data: the answer type, plain records, form values and their checks.

Shared by the fill-in file reader (kompas.engine.vendor), the database (kompas.store) and
the web forms: a number must be finite and sane, free text holds no control characters.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kompas.engine.catalogue_platforms import read_value
from kompas.engine.checks import Checker
from kompas.engine.model import Catalogue
from kompas.engine.model import Fact
from kompas.engine.model import FactDef
from kompas.engine.yamlsource import Node
from kompas.errors import DataError
from kompas.i18n import _
from kompas.numbers import format_number
from kompas.numbers import parse_number

VENDOR_STATEMENT = "verklaring leverancier"  # the source of a vendor's word without a page
URL = re.compile(r"^https?://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?::[0-9]+)?(?:[/?#][^\s]*)?$")
# The largest number a vendor or advisor may give (a billion: no neighbourhood platform
# costs more a year); larger, negative or infinite numbers are refused at the door.
MAX_NUMBER = 1_000_000_000


@dataclass(frozen=True, slots=True)
class VendorAnswer:
    """What a vendor (or an advisor on the vendor's word) says about one fact."""

    platform_id: str
    fact_id: str
    value: Any
    source: str
    date: dt.date
    name: str
    role: str = ""
    how: str = ""
    line: int = 0
    remark: str = ""  # free text beside the value ("€ 0,15 per inwoner")

    def fact(self) -> Fact:
        """The answer as a catalogue fact resting on the vendor's word."""
        who = ", ".join(p for p in (self.name, self.role) if p)
        note = "; ".join(p for p in (who, self.how, self.remark) if p)
        return Fact(
            self.fact_id,
            "known",
            self.value,
            self.source,
            self.date,
            note,
            evidence="leverancier",
            source_date=self.date,
        )


# -- plain data (decision records, database) ------------------------------------------------


def plain_value(value: Any) -> Any:
    """A fact value as JSON-ready data."""
    if isinstance(value, frozenset | set):
        return sorted(value)
    if isinstance(value, Mapping):
        return dict(value)
    return value


def answer_record(answer: VendorAnswer) -> dict[str, Any]:
    """An answer as plain data."""
    return {
        "platform": answer.platform_id,
        "fact": answer.fact_id,
        "value": plain_value(answer.value),
        "source": answer.source,
        "date": answer.date.isoformat(),
        "name": answer.name,
        "role": answer.role,
        "how": answer.how,
        **({"remark": answer.remark} if answer.remark else {}),
    }


def answer_from_record(data: Mapping[str, Any], catalogue: Catalogue) -> VendorAnswer:
    """An answer read back from plain data (a record or the database); DataError if it is wrong."""
    from kompas.errors import Location
    from kompas.errors import Problem

    check = Checker()
    pid, fid = str(data.get("platform", "")), str(data.get("fact", ""))
    spec = catalogue.facts.get(fid)
    value = None
    if spec is not None and pid in catalogue.index:
        value = read_value(_node(data.get("value")), "value", spec, check)
    try:
        date = dt.date.fromisoformat(str(data.get("date")))
    except ValueError:
        date = None
    if value is None or date is None or check.errors or not sane_value(value):
        raise DataError(
            check.errors or [Problem(Location("record"), f"{pid}.{fid}", "not a valid local fact")]
        )
    return VendorAnswer(
        pid,
        fid,
        value,
        str(data.get("source", "")),
        date,
        str(data.get("name", "")),
        str(data.get("role", "")),
        str(data.get("how", "")),
        remark=str(data.get("remark", "")),
    )


def _node(value: Any) -> Node:
    """Plain data as a Node tree without locations (to reuse the YAML value checks)."""
    from kompas.errors import Location

    where = Location("record")
    if isinstance(value, Mapping):
        return Node({str(k): _node(v) for k, v in value.items()}, where)
    if isinstance(value, list | tuple):
        return Node([_node(v) for v in value], where)
    return Node(value, where)


def value_from_form(spec: FactDef, raw: str | list[str]) -> tuple[Any, str]:
    """A fact value from a web form's text (or list of options); (value, problem)."""
    check = Checker()
    if spec.type == "set":
        items = raw if isinstance(raw, list) else [raw]
        node = _node([i for i in items if i])
    elif spec.type == "bool":
        node = _node({"true": True, "false": False}.get(str(raw), raw))
    elif spec.type in ("number", "range"):
        text = str(raw).strip()
        if len(text) > 30:
            return None, _("dit getal is te groot (hoogstens {max})").format(
                max=format_number(MAX_NUMBER)
            )
        # Read in the vendor's language: 1,500 is fifteen hundred in English, 1,5 in Dutch.
        parsed = parse_number(text)
        if parsed is None:
            return None, _("verwacht een getal")
        number: float | int = int(parsed) if parsed.is_integer() else parsed
        if not sane_number(number):
            return None, _("geef een getal van 0 tot en met {max}").format(
                max=format_number(MAX_NUMBER)
            )
        node = _node({"min": number, "max": number} if spec.type == "range" else number)
    else:
        node = _node(str(raw).strip())
    value = read_value(node, "value", spec, check)
    if check.errors or value is None:
        if spec.type in ("choice", "set"):
            return None, _("kies een van de opties")
        return None, _("deze waarde past niet bij de vraag")
    return value, ""


def sane_number(number: Any) -> bool:
    """Whether a number is one a fact may hold: finite, from 0 to MAX_NUMBER."""
    if isinstance(number, bool) or not isinstance(number, int | float):
        return False
    return 0 <= number <= MAX_NUMBER  # False for NaN and the infinities too


def sane_value(value: Any) -> bool:
    """Whether every number in a fact value is sane (see sane_number)."""
    if isinstance(value, Mapping):
        return all(sane_number(v) for v in value.values())
    if isinstance(value, int | float) and not isinstance(value, bool):
        return sane_number(value)
    return True


def control_problem(text: str) -> str:
    """A problem when free text holds control characters (line breaks, escape codes)."""
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in text):
        return _("bevat tekens die niet in tekst horen (zoals regeleinden of stuurcodes)")
    return ""


def check_source(source: str) -> str:
    """A problem with a source typed in a form ("" when it is a web address or the statement)."""
    if source.strip().casefold() == VENDOR_STATEMENT or URL.match(source.strip()):
        return ""
    return _("geef een webadres (https://...) of '{statement}'").format(statement=VENDOR_STATEMENT)
