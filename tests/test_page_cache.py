"""The advice page is rendered once per state and never shown stale (issue 18, bench target).

The oracle: after any change, the page served equals the page rendered with an empty
cache. CSRF tokens differ per session and are compared apart: each session's page carries
its own valid token, never another session's.
"""

from __future__ import annotations

import re
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from kompas.cli import read_answers
from kompas.web.db import get_engine
from kompas.web.page_cache import pages
from tests.conftest import stored_dossier

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "burenhulp-dorp.yaml"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def _dossier(app: Flask) -> str:
    return stored_dossier(app, read_answers(EXAMPLE), "Cachedorp")


def _page(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def _without_tokens(page: str) -> str:
    return TOKEN.sub('name="csrf_token" value=""', page)


def _fresh(app: Flask, client: FlaskClient, url: str) -> str:
    """The page rendered with an empty cache."""
    with app.app_context():
        pages().clear()
    return _page(client, url)


def _importance(app: Flask) -> tuple[str, str]:
    """An importance question and a value other than the example's answer."""
    q = app.extensions["kompas"]["questionnaire"]
    answers = read_answers(EXAMPLE)
    question = next(x for x in q.questions if x.type == "importance" and x.id in answers)
    return question.id, "0" if answers[question.id] != 0 else "3"


def test_the_same_state_renders_once(app: Flask) -> None:
    token = _dossier(app)
    client = app.test_client()
    url = f"/d/{token}/advies"
    first = _page(client, url)
    with app.app_context():
        cache = pages()
        renders, hits = cache.renders, cache.hits
    second = _page(client, url)
    assert (cache.renders, cache.hits) == (renders, hits + 1)
    assert _without_tokens(second) == _without_tokens(first)


def test_a_saved_change_is_shown_at_once(app: Flask) -> None:
    token = _dossier(app)
    client = app.test_client()
    url = f"/d/{token}/advies"
    before = _page(client, url)
    question, value = _importance(app)
    saved = client.post(f"/d/{token}/wat-als", data={question: value})
    assert saved.status_code in (302, 303)
    _page(client, url)  # shows the flashed message once
    after = _page(client, url)
    assert _without_tokens(after) != _without_tokens(before)
    assert _without_tokens(after) == _without_tokens(_fresh(app, client, url))


def test_what_if_language_and_stance_are_their_own_pages(app: Flask) -> None:
    token = _dossier(app)
    question, value = _importance(app)
    urls = [
        f"/d/{token}/advies?{question}={value}",
        f"/d/{token}/advies?lang=en",
        f"/d/{token}/advies?aanname=voorzichtig",
        f"/d/{token}/advies?alle=1",
        f"/d/{token}/advies",
    ]
    kept = {url: _page(app.test_client(), url) for url in urls}  # each its own session
    assert len({_without_tokens(p) for p in kept.values()}) == len(urls)
    for url in urls:  # served again from the cache, then rendered afresh: the same page
        assert _without_tokens(_page(app.test_client(), url)) == _without_tokens(kept[url])
        fresh = _fresh(app, app.test_client(), url)
        assert _without_tokens(fresh) == _without_tokens(kept[url]), url


def test_flashed_messages_show_once_and_are_never_kept(app: Flask) -> None:
    token = _dossier(app)
    client = app.test_client()
    url = f"/d/{token}/advies"
    _page(client, url)
    question, value = _importance(app)
    client.post(f"/d/{token}/wat-als", data={question: value})
    message = "De gewichten uit de wat-als-berekening zijn opgeslagen."
    assert message in _page(client, url)
    assert message not in _page(client, url)
    assert message not in _page(app.test_client(), url)


def test_each_session_gets_its_own_valid_token(app: Flask) -> None:
    token = _dossier(app)
    url = f"/d/{token}/advies"
    first, second = app.test_client(), app.test_client()
    mine = set(TOKEN.findall(_page(first, url)))
    theirs = set(TOKEN.findall(_page(second, url)))  # served from the cache
    assert mine and theirs and not mine & theirs
    assert len(theirs) == 1
    question, value = _importance(app)
    posted = second.post(f"/d/{token}/wat-als", data={question: value, "csrf_token": theirs.pop()})
    assert posted.status_code in (302, 303), posted.status_code  # the token is valid


def test_a_kept_page_reads_the_database_on_one_connection(app: Flask) -> None:
    """A cache hit still reads what its key is made of (dossier, answers, local facts,
    workshop), on one pooled connection: one checkout and one commit, not one per read."""
    token = _dossier(app)
    client = app.test_client()
    url = f"/d/{token}/advies"
    first = _page(client, url)  # rendered and kept
    engine = get_engine(app)
    checkouts: list[object] = []
    statements: list[str] = []

    def checkout(*_args: object) -> None:
        checkouts.append(_args)

    def execute(_conn: object, _cursor: object, sql: str, *_rest: object) -> None:
        statements.append(sql)

    event.listen(engine, "checkout", checkout)
    event.listen(engine, "before_cursor_execute", execute)
    try:
        with app.app_context():
            hits = pages().hits
        again = _page(client, url)
        with app.app_context():
            assert pages().hits == hits + 1  # served from the cache
    finally:
        event.remove(engine, "checkout", checkout)
        event.remove(engine, "before_cursor_execute", execute)
    assert _without_tokens(again) == _without_tokens(first)
    assert len(checkouts) == 1, statements
    assert len(statements) == 4, statements  # dossier, its answers, local facts, workshop
