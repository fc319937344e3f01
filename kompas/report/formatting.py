"""Small formatting helpers for the report: numbers and dates through kompas.numbers, CSS strings."""

from __future__ import annotations

import datetime as dt

from markupsafe import Markup

from kompas.i18n import _
from kompas.numbers import format_long_date
from kompas.numbers import format_percent
from kompas.numbers import format_short_date
from kompas.numbers import format_whole


def long_date(day: dt.date | None) -> str:
    """A date in words: 29 november 2026."""
    return format_long_date(day)


def short_date(day: dt.date | None) -> str:
    """A date for narrow table columns: 29-11-2026."""
    return format_short_date(day)


def whole(value: float | None) -> str:
    """A score as a whole number, or a dash when there is none."""
    return format_whole(value)


def span(lower: float | None, upper: float | None) -> str:
    """A score range such as 41–92."""
    if lower is None or upper is None:
        return "—"
    return f"{format_whole(lower)}–{format_whole(upper)}"


def percent(value: float | None) -> str:
    """A share as a percentage, or a dash."""
    return "—" if value is None else format_percent(value)


def css_string(text: str) -> Markup:
    """A CSS string literal for a <style> block: every non-alphanumeric character escaped.

    HTML entities are not decoded inside <style>, so autoescaping cannot protect it; six-digit
    CSS escapes can never close the string or the element.
    """
    out = []
    for ch in str(text):
        if ch.isalnum() and ch.isascii():  # a space right after an escape would be eaten
            out.append(ch)
        else:
            out.append(f"\\{ord(ch):06x}")
    return Markup('"' + "".join(out) + '"')


def names(items: list[str]) -> str:
    """A, B en C."""
    if len(items) <= 1:
        return "".join(items)
    return _("{first} en {last}").format(first=", ".join(items[:-1]), last=items[-1])
