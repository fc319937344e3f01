"""Small Dutch formatting helpers for the report (dates, scores, CSS strings)."""

from __future__ import annotations

import datetime as dt

from markupsafe import Markup

from kompas.i18n import _


def month_names() -> tuple[str, ...]:
    """The Dutch month names, through gettext."""
    return (
        _("januari"),
        _("februari"),
        _("maart"),
        _("april"),
        _("mei"),
        _("juni"),
        _("juli"),
        _("augustus"),
        _("september"),
        _("oktober"),
        _("november"),
        _("december"),
    )


def long_date(day: dt.date | None) -> str:
    """A date the Dutch way: 29 november 2026."""
    if day is None:
        return ""
    return f"{day.day} {month_names()[day.month - 1]} {day.year}"


def short_date(day: dt.date | None) -> str:
    """A date for narrow table columns: 29-11-2026."""
    return "" if day is None else f"{day.day:02d}-{day.month:02d}-{day.year}"


def whole(value: float | None) -> str:
    """A score as a whole number, or a dash when there is none."""
    return "—" if value is None else f"{value:.0f}"


def span(lower: float | None, upper: float | None) -> str:
    """A score range such as 41–92."""
    if lower is None or upper is None:
        return "—"
    return f"{lower:.0f}–{upper:.0f}"


def percent(value: float | None) -> str:
    """A share as a percentage, or a dash."""
    return "—" if value is None else f"{value:.0f}%"


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
