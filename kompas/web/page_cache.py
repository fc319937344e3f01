"""Rendered pages kept per state, so showing the same advice again does not render it again.

The advice page is 50-180 KB of HTML; rendering it costs a worker 30-60 ms of CPU, about
twenty times a page without the advice (issue 18). A page is kept under a key that the
caller builds from everything the page shows (the pipeline's state key, the dossier row with
its revision, the request's path and query, ...); this module adds the request's own parts:
the address it was asked under, the language and the date. Two things of the session never
enter a kept page: the CSRF token (cut out, and the asking session's put back) and flashed
messages (a request with messages waiting renders afresh and keeps nothing).

A page is kept as UTF-8 pieces cut where the token stood, so a hit joins the pieces around
the session's token: no search through the page and no encoding of it per request (together
a quarter of a millisecond, about a tenth of a hit's CPU; issue 18).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable
from collections.abc import Hashable

from flask import current_app
from flask import g
from flask import request
from flask import session
from flask_wtf.csrf import generate_csrf

from kompas.i18n import current_language

SIZE = 64  # pages per worker process: at most about 12 MB (180 KB of UTF-8 each)


Page = tuple[bytes, ...]  # a page's UTF-8 pieces, cut where the CSRF token goes


class PageCache:
    """A small thread-safe LRU of rendered pages (gthread workers share one per process)."""

    def __init__(self, size: int = SIZE) -> None:
        self.size = size
        self.hits = 0
        self.renders = 0
        self._pages: OrderedDict[Hashable, Page] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Page | None:
        """The kept page, or None."""
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
                self.hits += 1
            return page

    def put(self, key: Hashable, page: Page) -> None:
        """Keep a page, dropping the least recently used beyond the size."""
        with self._lock:
            self.renders += 1
            self._pages[key] = page
            self._pages.move_to_end(key)
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)

    def clear(self) -> None:
        """Forget every page (tests; a data reload changes the keys anyway)."""
        with self._lock:
            self._pages.clear()


def pages() -> PageCache:
    """The app's page cache (one per app: two apps may configure the same pages apart)."""
    cache = current_app.extensions.get("kompas_pages")
    if cache is None:
        cache = current_app.extensions.setdefault("kompas_pages", PageCache())
    return cache  # type: ignore[no-any-return]


def cached_page(state: Hashable, render: Callable[[], str]) -> str | bytes:
    """The page for `state` as render() makes it, rendered once per state and request URL
    (a kept page comes back as UTF-8 bytes)."""
    if session.get("_flashes"):
        return render()  # the messages are this session's and are shown once
    key = (
        state,
        request.full_path,
        request.host_url,
        request.script_root,
        current_language(),
        dt.date.today().isoformat(),  # pages that say "today" or count days stay right
    )
    cache = pages()
    kept = cache.get(key)
    if kept is None:
        page = render()
        # The token this page was rendered with (Flask-WTF keeps one per request in g);
        # None when the page has no form.
        token = g.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
        pieces = page.split(token) if token else [page]
        cache.put(key, tuple(piece.encode() for piece in pieces))
        return page
    if len(kept) == 1:
        return kept[0]  # no form on the page: no token (and no session) needed
    return generate_csrf().encode().join(kept)
