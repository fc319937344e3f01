"""Every number, amount, percentage and date Kompas writes or reads, per language, through Babel.

This is the one place that turns numbers into text and text into numbers
(tests/test_numbers_scan.py fails when another module does it itself). Babel's locale
data decides: 12.500 and 2,5 in Dutch, 12,500 and 2.5 in English.

The rule for what people type (answers files, the web forms, the vendor form): text is
read in the language the advisor or vendor works in (`--lang`, or the page's language),
and a YAML number is a number. So `budget_per_jaar: 15.000` is fifteen thousand in Dutch,
`budget_per_jaar: 15,000` fifteen thousand in English, and `budget_per_jaar: 15000` both.
A plain "2.5" or "2,5" that cannot be a thousands grouping is read as a decimal in either
language. Machine-readable numbers (SVG coordinates, HTML attributes, log lines) are
written without grouping, with a decimal point, whatever the language (`plain`).
"""

from __future__ import annotations

import datetime as dt
import math
from functools import cache
from typing import Any

from kompas.i18n import DEFAULT
from kompas.i18n import _
from kompas.i18n import current_language

_LOCALES = {"nl": "nl_NL", "en": "en_GB"}
# Spaces people put between thousands or before a unit, and the euro sign.
_NOISE = ("\u20ac", "\u00a0", "\u202f", "\u2009", " ")


def _locale(code: str | None = None) -> str:
    return _LOCALES.get(code or current_language(), _LOCALES[DEFAULT])


# -- writing --------------------------------------------------------------------------------


def format_number(value: float, decimals: int = 2, code: str | None = None) -> str:
    """A number in the current language, with at most `decimals` decimals (12.500; 2,5)."""
    return _format_decimal(round(float(value), decimals), decimals, _locale(code))


@cache
def _format_decimal(value: float, decimals: int, locale: str) -> str:
    # Cached: Babel reads its pattern on every call, and pages show the same numbers often.
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "#" * decimals if decimals > 0 else "")
    return format_decimal(value, format=pattern, locale=locale)


def format_fixed(value: float, decimals: int = 1, code: str | None = None) -> str:
    """A number with exactly `decimals` decimals and no grouping, for table columns (12,0)."""
    return _format_fixed(round(float(value), decimals), decimals, _locale(code))


@cache
def _format_fixed(value: float, decimals: int, locale: str) -> str:
    from babel.numbers import format_decimal

    pattern = "0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(value, format=pattern, locale=locale)


def format_points(value: float, code: str | None = None) -> str:
    """A score difference in points, with one decimal (5,2 in Dutch, 5.2 in English)."""
    return format_number(value, decimals=1, code=code)


def format_whole(value: float | None, code: str | None = None) -> str:
    """A score as a whole number, or a dash when there is none."""
    return "—" if value is None else format_number(value, 0, code)


def format_percent(value: float, code: str | None = None) -> str:
    """A percentage (0-100) as a whole number with the language's percent sign."""
    return _format_percent(round(float(value)), _locale(code))


@cache
def _format_percent(value: int, locale: str) -> str:
    from babel.numbers import format_percent as babel_percent

    return babel_percent(value / 100, format="#,##0%", locale=locale)


def format_amount(low: float, high: float | None = None, code: str | None = None) -> str:
    """An amount or range of euros in words ('500 tot 1.000 euro')."""
    if high is None or abs(high - low) < 0.5:
        return _("{amount} euro").format(amount=format_number(low, 0, code))
    return _("{low} tot {high} euro").format(
        low=format_number(low, 0, code), high=format_number(high, 0, code)
    )


def format_long_date(day: dt.date | None, code: str | None = None) -> str:
    """A date in words: 29 november 2026 (Dutch), 29 November 2026 (English)."""
    if day is None:
        return ""
    from babel.dates import format_date

    return format_date(day, format="d MMMM y", locale=_locale(code))


def format_month(day: dt.date, code: str | None = None) -> str:
    """A month and year: december 2026 (Dutch), December 2026 (English)."""
    from babel.dates import format_date

    return format_date(day, format="LLLL y", locale=_locale(code))


def format_short_date(day: dt.date | None, code: str | None = None) -> str:
    """A date for narrow table columns: 29-11-2026 (Dutch), 29/11/2026 (English)."""
    if day is None:
        return ""
    from babel.dates import format_date

    return format_date(day, format="short", locale=_locale(code))


def plain(value: float, decimals: int = 1) -> str:
    """A machine-readable number (SVG coordinates): no grouping, a decimal point, fixed decimals."""
    return f"{float(value):.{decimals}f}"


def compact(value: float) -> str:
    """A machine-readable number in its shortest form (HTML attributes, logs): 0.05, 10000000."""
    return f"{float(value):.15g}"


# -- reading --------------------------------------------------------------------------------


def parse_number(text: str, code: str | None = None) -> float | None:
    """Read a number as people write it in the current language; None when it is not one.

    '15.000' is fifteen thousand in Dutch and '15,000' in English; a plain '2.5' or '2,5'
    that cannot be a thousands grouping is read as a decimal in either language.
    """
    from decimal import InvalidOperation

    from babel.numbers import NumberFormatError
    from babel.numbers import parse_decimal

    cleaned = text.strip()
    for noise in _NOISE:
        cleaned = cleaned.replace(noise, "")
    if not cleaned:
        return None
    try:
        parsed = float(parse_decimal(cleaned, locale=_locale(code), strict=True))
        return parsed if math.isfinite(parsed) else None
    except (NumberFormatError, InvalidOperation):
        # InvalidOperation: babel's strict round trip cannot quantize more than 28 digits.
        pass
    try:  # a decimal point or comma where the language would not group (2.5 in Dutch)
        value = float(cleaned.replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def read_number(value: Any, code: str | None = None) -> float | int | None:
    """A number from a file or form: a YAML number as it is, text per language; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value if math.isfinite(value) else None
    if isinstance(value, str):
        return parse_number(value, code)
    return None


def parse_whole(text: str) -> int | None:
    """A whole number typed as ASCII digits only (an importance, a revision); else None."""
    # isascii too: str.isdigit() is also true for '²', which int() does not read.
    raw = text.strip()
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 12 else None
