"""Languages: Dutch is the source and the default; English comes from gettext catalogues.

Messages in the code are Dutch (`_("Nieuw advies")`); `kompas/locale/<lang>/LC_MESSAGES/
kompas.po` holds the translations. The current language lives in a context variable, so
a web request, a CLI run and a test each have their own. Texts from the YAML files are
`Text` objects: the Dutch string, with its translations beside it.
"""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from contextvars import Token
from functools import cache
from pathlib import Path
from typing import Any

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DEFAULT = "nl"
LANGUAGES = ("nl", "en")
LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}
_current: ContextVar[str] = ContextVar("kompas_language", default=DEFAULT)


def current_language() -> str:
    """The language of the current request, command or test."""
    return _current.get()


def set_language(language: str) -> Token[str]:
    """Switch the current context's language (unknown languages fall back to Dutch)."""
    return _current.set(language if language in LANGUAGES else DEFAULT)


def use_language(language: str) -> None:
    """Switch the language for the rest of this run (the CLI's --lang)."""
    set_language(language)


def reset_language(token: Token[str]) -> None:
    """Undo a set_language (at the end of a request or a command)."""
    _current.reset(token)


@contextmanager
def language(code: str) -> Iterator[None]:
    """Use a language for the duration of a with-block."""
    token = set_language(code)
    try:
        yield
    finally:
        _current.reset(token)


@cache
def catalogue(code: str) -> Mapping[Any, str]:
    """The translations of one language (empty for Dutch, the source language)."""
    path = LOCALE_DIR / code / "LC_MESSAGES" / "kompas.po"
    if code == DEFAULT or not path.exists():
        return {}
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        po = read_po(handle)
    result: dict[Any, str] = {}
    for message in po:
        if not message.id or message.fuzzy or not message.string:
            continue
        if isinstance(message.id, tuple):  # singular and plural
            result[message.id] = message.string  # type: ignore[assignment]
        else:
            result[message.id] = str(message.string)
    return result


class Message(str):
    """A translated message whose format() shows data-file texts in the same language."""

    __slots__ = ()

    def format(self, *args: Any, **kwargs: Any) -> str:
        return str.format(
            self, *(localise(a) for a in args), **{k: localise(v) for k, v in kwargs.items()}
        )


def _(message: str) -> str:
    """Translate a Dutch message into the current language."""
    code = _current.get()
    if code != DEFAULT:
        message = catalogue(code).get(message) or message
    return Message(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message with a count."""
    code = _current.get()
    if code != DEFAULT:
        forms = catalogue(code).get((singular, plural))
        if forms:
            return Message(forms[0 if n == 1 else 1] or (singular if n == 1 else plural))
    return Message(singular if n == 1 else plural)


class LazyString:
    """A message translated when it is shown, for labels defined at import time."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message

    def __str__(self) -> str:
        return _(self.message)

    def __html__(self) -> str:
        from markupsafe import escape

        return str(escape(str(self)))

    def __repr__(self) -> str:
        return f"LazyString({self.message!r})"

    def __eq__(self, other: object) -> bool:
        return str(self) == str(other)

    def __hash__(self) -> int:
        return hash(self.message)

    def __len__(self) -> int:
        return len(str(self))

    def format(self, *args: Any, **kwargs: Any) -> str:
        """Translate, then fill in."""
        return str(self).format(*args, **kwargs)

    def __mod__(self, other: Any) -> str:
        return str(str(self) % other)

    def __add__(self, other: Any) -> str:
        return str(self) + str(other)

    def __radd__(self, other: Any) -> str:
        return str(other) + str(self)


def lazy_gettext(message: str) -> LazyString:
    """Mark a message for translation at the moment it is shown."""
    return LazyString(message)


class Text(str):
    """A text from a data file: the Dutch string, with translations beside it."""

    translations: Mapping[str, str]

    def __new__(cls, dutch: str, translations: Mapping[str, str] | None = None) -> Text:
        text = super().__new__(cls, dutch)
        text.translations = dict(translations or {})
        return text

    def get(self, code: str | None = None) -> str:
        """The text in a language (Dutch when there is no translation)."""
        code = code or _current.get()
        if code == DEFAULT:
            return str(self)
        return self.translations.get(code) or str(self)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Text, (str(self), dict(self.translations)))

    def __format__(self, spec: str) -> str:
        # f-strings and str.format show the current language, as templates do.
        return format(self.get(), spec)

    def __html__(self) -> str:
        from markupsafe import escape

        return str(escape(self.get()))


def localise(value: Any, code: str | None = None) -> Any:
    """A data-file text in the current (or given) language; other values unchanged."""
    if isinstance(value, Text):
        return value.get(code)
    if isinstance(value, LazyString):
        return str(value)
    return value
