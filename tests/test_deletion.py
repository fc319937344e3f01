"""Deleting a dossier is real on SQLite (issue 22, AVG): afterwards neither the database
file nor its write-ahead log holds the dossier's names or answers."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from kompas.store import dossier as dossier_store
from kompas.web import create_app
from kompas.web.migrate import upgrade


def csrf(client: FlaskClient, path: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(path).get_data(True))
    assert match
    return match.group(1)


def stored_bytes(database: Path) -> bytes:
    """The database file and its -wal and -journal files, as a reader of the disk sees them."""
    files = [database, *database.parent.glob(database.name + "-*")]
    return b"".join(f.read_bytes() for f in files if f.exists())


def text_question(app: Flask) -> str:
    questionnaire = app.extensions["kompas"]["questionnaire"]
    return next(q.id for q in questionnaire.questions if q.type == "text")


def test_a_deleted_dossier_leaves_nothing_readable_in_the_sqlite_files(tmp_path: Path) -> None:
    database = tmp_path / "kompas.sqlite3"
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{database}",
            "SECRET_KEY": "t",
            "RATELIMIT_ENABLED": False,
        }
    )
    upgrade(app)
    client = app.test_client()
    marker = f"Geheim{secrets.token_hex(6)}"
    kept = f"Blijft{secrets.token_hex(6)}"
    for name in (marker, kept):
        reply = client.post(
            "/nieuw",
            data={"csrf_token": csrf(client, "/nieuw"), "municipality": f"{name}dorp"},
        )
        assert reply.status_code in (302, 303)
        token = reply.headers["Location"].split("/d/")[1].split("/")[0]
        with app.app_context():
            dossier = dossier_store.find_dossier(token)
            assert dossier is not None
            dossier_store.save_answers(dossier.id, {text_question(app): f"{name} antwoord " * 50})
        if name == marker:
            deleted = token
    assert marker.encode() in stored_bytes(database)
    reply = client.post(
        f"/d/{deleted}/verwijderen", data={"csrf_token": csrf(client, f"/d/{deleted}/verwijderen")}
    )
    assert reply.status_code in (302, 303)
    on_disk = stored_bytes(database)
    assert marker.encode() not in on_disk
    assert kept.encode() in on_disk  # the other dossier is untouched
