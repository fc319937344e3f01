"""Translation hook: every user-facing string outside the YAML goes through `_`."""

from __future__ import annotations

import gettext
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
_translation: gettext.NullTranslations = gettext.NullTranslations()


def use_language(language: str) -> None:
    """Switch the CLI's language; Dutch (the source language) needs no catalogue."""
    global _translation
    _translation = gettext.translation("kompas", LOCALE_DIR, languages=[language], fallback=True)


def _(message: str) -> str:
    """Translate a message (Dutch is the source language)."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message with a count."""
    return _translation.ngettext(singular, plural, n)
