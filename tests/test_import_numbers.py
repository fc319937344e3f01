"""Numbers that no float holds never give a 500 (issue 22): /importeren and /nieuw answer a
friendly 400 on SQLite and PostgreSQL, with CSRF on; '62.000' inhabitants is read as step 3
reads it."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kompas.store import dossier as dossier_store
from kompas.web import create_app
from kompas.web import db
from kompas.web.migrate import upgrade
from tests.pgserver import postgres_server  # noqa: F401 - the session's PostgreSQL fixture

HUGE = "1" + "0" * 400  # 401 digits: beyond the largest float (about 1.8e308)
ODD = [HUGE, f"-{HUGE}", f"{HUGE}.5", "1" * 30 + ",5", ".inf", "-.inf", ".nan", "1e400"]


@pytest.fixture(params=["sqlite", "postgresql"])
def csrf_app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    """The app with CSRF on, on a migrated SQLite file or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'kompas.sqlite3'}"
    else:
        server = request.getfixturevalue("postgres_server")
        url = server.url(server.create_database())
    app = create_app(
        {"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "t", "RATELIMIT_ENABLED": False}
    )
    upgrade(app)
    yield app
    db.get_engine(app).dispose()


def csrf(client: FlaskClient, path: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(path).get_data(True))
    assert match
    return match.group(1)


def number_question(app: Flask) -> str:
    questionnaire = app.extensions["kompas"]["questionnaire"]
    return next(q.id for q in questionnaire.questions if q.type == "number")


def post_import(client: FlaskClient, answers: str, **fields: Any) -> Any:
    data = {
        "csrf_token": csrf(client, "/importeren"),
        "municipality": "Getaldorp",
        "answers_file": (io.BytesIO(answers.encode()), "antwoorden.yaml"),
        **fields,
    }
    return client.post("/importeren", data=data, content_type="multipart/form-data")


def test_numbers_beyond_any_float_in_an_answers_file_are_a_friendly_400(csrf_app: Flask) -> None:
    client = csrf_app.test_client()
    question = number_question(csrf_app)
    for value in ODD:
        reply = post_import(client, f"{question}: {value}\n")
        assert reply.status_code == 400, (value, reply.status_code)
        assert question in reply.get_data(as_text=True)


def test_numbers_beyond_any_float_as_inhabitants_are_a_friendly_400(csrf_app: Flask) -> None:
    client = csrf_app.test_client()
    for value in [*ODD, "inf", "nan", "9" * 5000]:
        imported = post_import(client, "{}\n", inhabitants=value)
        assert imported.status_code == 400, (value, imported.status_code)
        created = client.post(
            "/nieuw",
            data={"csrf_token": csrf(client, "/nieuw"), "municipality": "X", "inhabitants": value},
        )
        assert created.status_code == 400, (value, created.status_code)
        assert "Vul een getal in tussen 1 en 20.000.000" in created.get_data(as_text=True)


def test_inhabitants_written_with_a_thousands_point_are_accepted_as_in_step_3(
    csrf_app: Flask,
) -> None:
    client = csrf_app.test_client()
    reply = client.post(
        "/nieuw",
        data={
            "csrf_token": csrf(client, "/nieuw"),
            "municipality": "Puntdorp",
            "inhabitants": "62.000",
        },
    )
    assert reply.status_code in (302, 303), reply.get_data(as_text=True)[:2000]
    token = reply.headers["Location"].split("/d/")[1].split("/")[0]
    with csrf_app.app_context():
        dossier = dossier_store.find_dossier(token)
    assert dossier is not None
    assert dossier.inhabitants == 62_000
    imported = post_import(client, "{}\n", inhabitants="62.000")
    assert imported.status_code in (302, 303)
