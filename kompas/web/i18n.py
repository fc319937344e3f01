"""Language for the web pages: Dutch by default, English on request (?lang=en, remembered)."""

from __future__ import annotations

from urllib.parse import quote
from urllib.parse import urlencode

from flask import Flask
from flask import Response
from flask import current_app
from flask import g
from flask import request

from kompas.i18n import DEFAULT
from kompas.i18n import LANGUAGE_NAMES
from kompas.i18n import LANGUAGES
from kompas.i18n import _
from kompas.i18n import current_language
from kompas.i18n import localise
from kompas.i18n import ngettext
from kompas.i18n import reset_language
from kompas.i18n import set_language

COOKIE = "kompas_lang"


def init_app(app: Flask) -> None:
    """Choose the language per request and give templates what they need to speak it."""
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.install_gettext_callables(_, ngettext, newstyle=True)  # type: ignore[attr-defined]
    # Every {{ value }} that is a text from the data files is shown in the page's language.
    app.jinja_env.finalize = localise
    app.jinja_env.filters["t"] = localise
    app.before_request(_choose)
    app.teardown_request(_reset)
    app.after_request(_remember)
    app.context_processor(lambda: {"lang": current_language(), "other_languages": _switch()})

    from kompas.numbers import format_number

    # Numbers in the page's language (12.500 and 2,5 in Dutch; 12,500 and 2.5 in English).
    app.jinja_env.filters["number"] = format_number
    app.jinja_env.filters["pct"] = lambda v: "—" if v is None else format_number(v, 0)

    from kompas.web.forms import choice_inputs

    app.jinja_env.globals["choice_inputs"] = choice_inputs


def requested_language() -> str:
    """The language asked for in the query string, else the remembered one, else Dutch."""
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        return asked  # type: ignore[return-value]
    remembered = request.cookies.get(COOKIE)
    return remembered if remembered in LANGUAGES else DEFAULT  # type: ignore[return-value]


def _choose() -> None:
    # Context variables outlive a request in the same thread: set now, reset at teardown.
    g.kompas_language_token = set_language(requested_language())


def _reset(_error: BaseException | None) -> None:
    token = g.pop("kompas_language_token", None)
    if token is not None:
        reset_language(token)


def _remember(response: Response) -> Response:
    asked = request.args.get("lang")
    if asked in LANGUAGES and request.cookies.get(COOKIE) != asked:
        response.set_cookie(
            COOKIE,
            asked,
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
        )
    return response


def _switch() -> list[tuple[str, str, str]]:
    """Links to this page in the other languages: (code, name, url)."""
    current = current_language()
    links = []
    for code in LANGUAGES:
        if code == current:
            continue
        args = {k: v for k, v in request.args.items(multi=True) if k != "lang"}
        query = urlencode([*args.items(), ("lang", code)]) if args else urlencode({"lang": code})
        links.append((code, LANGUAGE_NAMES[code], f"{same_site_path()}?{query}"))
    return links


def same_site_path() -> str:
    """The request's path as a link that stays on this site, whatever the path holds.

    A path like `/\\evil.example/x` or `//evil.example/x` would otherwise be read by browsers as
    another host: backslashes and other specials are percent-encoded and the path starts
    with exactly one slash."""
    path = quote(request.path, safe="/:@!$&'()*+,;=-._~")
    return "/" + path.lstrip("/")
