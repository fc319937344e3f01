"""Shared fixtures: the shipped data, the small test data, the CLI runner and Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import kompas

DATA = Path(__file__).parent / "data"
MINI_QUESTIONS = DATA / "mini_questions.yaml"
MINI_PLATFORMS = DATA / "mini_platforms.yaml"


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


@pytest.fixture
def app(tmp_path):
    """The web app on a fresh, migrated SQLite file; CSRF off (one test turns it on)."""
    from kompas.web import create_app
    from kompas.web.migrate import upgrade

    app = create_app(
        {
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'kompas.sqlite3'}",
            "SECRET_KEY": "test-secret",
        }
    )
    upgrade(app)
    return app


@pytest.fixture
def client(app):
    """A test client (one browser) for the app."""
    return app.test_client()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium through Playwright, one per test module (fails if missing)."""
    from tests import browser_helpers as bh

    playwright = bh.start_playwright()
    try:
        chromium = bh.launch_chromium(playwright)
        yield chromium
        chromium.close()
    finally:
        playwright.stop()
