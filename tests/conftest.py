"""Shared fixtures: the shipped data, the small test data, the CLI runner, the web app and Chromium.

The web app comes from ONE factory, `make_app`: CSRF on, a real secret key, a migrated
database (a SQLite file unless a test passes another URL) and a report cache in tmp_path,
the way production runs it. Its test client sends the session's CSRF token with every
unsafe request, as a browser posting the page's form does; `csrf=False` sends none.
"""

from __future__ import annotations

import functools
import os
import secrets
from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer
from werkzeug.datastructures import Headers
from werkzeug.datastructures import MultiDict

import kompas
from kompas.engine import yamlsource

DATA = Path(__file__).parent / "data"
MINI_QUESTIONS = DATA / "mini_questions.yaml"
MINI_PLATFORMS = DATA / "mini_platforms.yaml"
SECRET_KEY = "test-secret-" + "k" * 40
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
# Tests judge what a PDF says, not how fast it renders: on a busy 2-core machine one report can
# take longer than production's 20 s render limit. Apps built here get this limit unless a test of
# the limit itself passes its own (tests/test_abuse.py, the fault tests).
TEST_PDF_TIMEOUT = 300.0


# Parsing the shipped YAML with PyYAML's pure-Python parser is about 95% of `kompas.load()`
# (1.2 s of 1.3 s on this machine), and every app a test builds loads both files: the suite
# parsed the same bytes a few hundred times. The tree of one (text, label) is parsed once per
# test process and shared; the checks and builders still run on it for every load, text that
# does not parse is parsed again each time (failures are never cached), and gunicorn servers
# and CLI subprocesses parse for themselves. tests/test_parse_cache.py checks that a load
# through the cache equals one without it. KOMPAS_TEST_PARSE_CACHE=0 turns it off.
if os.environ.get("KOMPAS_TEST_PARSE_CACHE", "1") != "0":
    yamlsource.load_text = functools.lru_cache(maxsize=32)(yamlsource.load_text)


# A test that uses one of these fixtures carries the marker, whether its module says so or not.
FIXTURE_MARKERS = {
    "browser": "browser",
    "pg": "postgres",
    "postgres_server": "postgres",
    "tls_server": "postgres",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark tests by the fixtures they use, so `-m "not browser"` can never miss one."""
    for item in items:
        for fixture in getattr(item, "fixturenames", ()):
            if fixture in FIXTURE_MARKERS:
                item.add_marker(FIXTURE_MARKERS[fixture])


@pytest.fixture(scope="session")
def shipped() -> tuple[kompas.Questionnaire, kompas.Catalogue]:
    """The shipped questions.yaml and platforms.yaml, loaded once."""
    return kompas.load()


@pytest.fixture(scope="session")
def mini() -> tuple[kompas.Questionnaire, kompas.Catalogue]:
    """A small made-up questionnaire and catalogue with every kind of question and fact."""
    return kompas.load(MINI_QUESTIONS, MINI_PLATFORMS)


@pytest.fixture
def runner() -> CliRunner:
    """Click's test runner for the kompas command."""
    return CliRunner()


class CsrfClient(FlaskClient):
    """A test client that posts like a browser: with the CSRF token of its own session."""

    def open(self, *args: Any, csrf: bool = True, **kwargs: Any) -> Any:
        """Add the X-CSRFToken header to unsafe requests unless `csrf=False` or one is given."""
        method = str(kwargs.get("method", "GET")).upper()
        if csrf and method not in SAFE_METHODS and not _has_form_token(kwargs.get("data")):
            headers = Headers(kwargs.pop("headers", None) or {})
            if "X-CSRFToken" not in headers:
                headers["X-CSRFToken"] = self.csrf_token()
            kwargs["headers"] = headers
        return super().open(*args, **kwargs)

    def csrf_token(self) -> str:
        """A signed token for this client's session, as Flask-WTF's generate_csrf makes one."""
        app = self.application
        with self.session_transaction() as session:
            raw = session.setdefault("csrf_token", secrets.token_hex(20))
        key = app.config.get("WTF_CSRF_SECRET_KEY") or app.secret_key
        return URLSafeTimedSerializer(key, salt="wtf-csrf-token").dumps(raw)


def _has_form_token(data: Any) -> bool:
    # A test that reads the token (or a forged one) from the page's form sends it itself.
    if isinstance(data, Mapping | MultiDict):
        return "csrf_token" in data
    if isinstance(data, list | tuple):
        return any(isinstance(p, tuple) and p and p[0] == "csrf_token" for p in data)
    return False


def build_app(database_url: str, tmp_path: Path, *, migrated: bool = True, **config: Any) -> Flask:
    """The app as production runs it (CSRF on, secret key), on `database_url`."""
    from kompas.web import create_app
    from kompas.web.migrate import upgrade

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": SECRET_KEY,
            "DATABASE_URL": database_url,
            "KOMPAS_REPORT_CACHE": str(tmp_path / "report-cache"),
            "KOMPAS_PDF_TIMEOUT": TEST_PDF_TIMEOUT,
            **config,
        }
    )
    app.test_client_class = CsrfClient
    if migrated:
        upgrade(app)
    return app


@pytest.fixture
def make_app(tmp_path: Path) -> Iterator[Callable[..., Flask]]:
    """Build apps: `make_app(database_url=None, migrated=True, **config)`; closed afterwards.

    Without a URL every app of the test shares one SQLite file in tmp_path."""
    from kompas.web import db

    apps: list[Flask] = []

    def make(database_url: str | None = None, *, migrated: bool = True, **config: Any) -> Flask:
        url = database_url or f"sqlite:///{tmp_path / 'kompas.sqlite3'}"
        app = build_app(url, tmp_path, migrated=migrated, **config)
        apps.append(app)
        return app

    yield make
    for app in apps:
        db.get_engine(app).dispose()


def form_csrf(page: bytes | str) -> str:
    """The CSRF token in a page's form, as a browser would send it back."""
    from bs4 import BeautifulSoup

    field = BeautifulSoup(page, "html.parser").find("input", attrs={"name": "csrf_token"})
    assert field is not None, "the page has no form with a CSRF token"
    return str(field["value"])


def dossier_with_answers(
    app: Flask, answers: Mapping[str, Any], municipality: str = "Dijkdorp"
) -> tuple[FlaskClient, str]:
    """A new dossier made through the /nieuw form with its own token, then these answers saved.

    Returns the client (its session made the dossier) and the dossier's token."""
    from kompas.store import dossier as dossier_store

    client = app.test_client()
    made = client.post(
        "/nieuw",
        data={"municipality": municipality, "csrf_token": form_csrf(client.get("/nieuw").data)},
    )
    assert made.status_code == 302, made.status_code
    token = made.headers["Location"].split("/d/")[1].strip("/")
    with app.app_context():
        dossier = dossier_store.find_dossier(token)
        assert dossier is not None
        dossier_store.save_answers(dossier.id, dict(answers))
    return client, token


def stored_dossier(
    app: Flask,
    answers: Mapping[str, Any],
    municipality: str = "Gemeente Proefdorp",
    advisor: str = "",
) -> str:
    """A dossier written straight to the database (no form, no session), with these answers;
    returns its token."""
    from kompas.store import dossier as dossier_store

    with app.app_context():
        token, dossier = dossier_store.create_dossier(municipality, advisor)
        dossier_store.save_answers(dossier.id, dict(answers))
    return token


@pytest.fixture
def answered_dossier(
    make_app: Callable[..., Flask],
) -> Callable[..., tuple[FlaskClient, str]]:
    """Make a dossier with answers on a fresh app: `answered_dossier(answers, municipality)`."""

    def make(answers: Mapping[str, Any], municipality: str = "Dijkdorp") -> tuple[FlaskClient, str]:
        return dossier_with_answers(make_app(), answers, municipality)

    return make


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """The database of the `app` fixture: a SQLite file (modules may override it)."""
    return f"sqlite:///{tmp_path / 'kompas.sqlite3'}"


@pytest.fixture
def app(make_app: Callable[..., Flask], database_url: str) -> Flask:
    """The web app on the shipped data and a fresh, migrated database; CSRF on."""
    return make_app(database_url)


@pytest.fixture
def catalogue(app: Flask) -> kompas.Catalogue:
    """The catalogue the `app` fixture serves."""
    return app.extensions["kompas"]["catalogue"]  # type: ignore[no-any-return]


@pytest.fixture
def questionnaire(app: Flask) -> kompas.Questionnaire:
    """The questionnaire the `app` fixture serves."""
    return app.extensions["kompas"]["questionnaire"]  # type: ignore[no-any-return]


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client (one browser) for the app."""
    return app.test_client()


@pytest.fixture(scope="session")
def pg() -> Iterator[Any]:
    """The session's PostgreSQL server (fails, never skips, when PostgreSQL is missing)."""
    from tests.pgserver import running_server

    with running_server() as server:
        yield server


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database: a SQLite file, or a fresh database on the session's PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'kompas.sqlite3'}"
    server = request.getfixturevalue("pg")
    return str(server.url(server.create_database()))


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium through Playwright, one for the whole run (fails if missing).

    Tests never share a page or cookies: each opens its own context (`bh.new_context`)."""
    from tests import browser_helpers as bh

    playwright = bh.start_playwright()
    try:
        chromium = bh.launch_chromium(playwright)
        yield chromium
        chromium.close()
    finally:
        playwright.stop()


@pytest.fixture(scope="session")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One production-like server (gunicorn over TLS on PostgreSQL) for the browser modules
    whose tests each make their own dossier; a module that reads what other dossiers left
    (the curator's review, the round) or changes the server starts its own."""
    from tests import tls_helpers

    live = tls_helpers.start_tls_server(tmp_path_factory.mktemp("tls"))
    yield live
    live.stop()
