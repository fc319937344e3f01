"""Serving as in production: gunicorn with several workers, two servers on one PostgreSQL.

The servers run `gunicorn --workers 2 "kompas.web:create_app()"` with KOMPAS_SECRET_KEY and
KOMPAS_DATABASE_URL, so CSRF protection is on: the client reads the csrf_token from each
form and keeps the session cookie, like a browser. The PostgreSQL 15 server is started by
the tests (tests/pgserver.py). Question ids come from the loaded questionnaire.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

import kompas
from kompas.engine.model import Questionnaire
from kompas.engine.model import Section
from soak.common import ACK
from soak.common import ONE_ADDRESS_LIMITS
from soak.common import ROOT
from soak.common import Browser
from soak.common import Gunicorn
from soak.common import csrf_token
from soak.common import dossier_token
from soak.common import form_answer
from soak.common import new_database
from soak.common import run_advisors
from soak.common import same_answer
from soak.common import server_env
from soak.common import shared_postgres
from soak.common import stored_answers
from soak.common import table
from soak.common import verify_saves
from tests.pgserver import PostgresUnavailable

pytestmark = [pytest.mark.gunicorn, pytest.mark.postgres, pytest.mark.slow]

REFUSAL = "Kompas refuses to start without a secret key outside development"


@pytest.fixture(scope="module")
def pg() -> Any:
    """The PostgreSQL server these tests share (fails, never skips, when it cannot start)."""
    try:
        return shared_postgres()
    except PostgresUnavailable as exc:
        pytest.fail(f"PostgreSQL tests cannot run: {exc}", pytrace=False)


@pytest.fixture(scope="module")
def questionnaire() -> Questionnaire:
    return kompas.load()[0]


@pytest.fixture(scope="module")
def cluster(
    pg: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Gunicorn, Gunicorn, str]]:
    """Two gunicorn servers (2 workers each) on one migrated PostgreSQL database."""
    url = new_database(pg)
    tmp = tmp_path_factory.mktemp("serving")
    env = server_env(url, secrets.token_urlsafe(48), extra=ONE_ADDRESS_LIMITS)
    a = Gunicorn(env, tmp, workers=2, name="a")
    b = Gunicorn(env, tmp, workers=2, name="b")
    try:
        a.launch(), b.launch()  # both boot side by side
        a.wait_ready(), b.wait_ready()
        yield a, b, url
    finally:
        Gunicorn.stop_all([a, b])


def answerable(q: Questionnaire) -> Section:
    """The first step with questions that are always shown."""
    for section in q.sections:
        if any(x.show_if is None for x in section.questions):
            return section
    raise AssertionError("no step has always-shown questions")


def step_answers(section: Section, variant: int) -> dict[str, list[str]]:
    return {x.id: form_answer(x, variant) for x in section.questions if x.show_if is None}


def pairs(token: str, answers: dict[str, list[str]], action: str = "opslaan") -> list:
    return [("csrf_token", token), ("actie", action)] + [
        (qid, v) for qid, values in answers.items() for v in values
    ]


def form_values(html: bytes) -> dict[str, list[str]]:
    """What the step form shows as filled in: checked boxes, text, textareas."""
    soup = BeautifulSoup(html, "html.parser")
    data: dict[str, list[str]] = {}
    for field in soup.find_all(["input", "textarea"]):
        name = field.get("name")
        if not name or field.get("type") in ("submit", "hidden"):
            continue
        if field.name == "textarea":
            # Browsers drop one newline right after <textarea>, as the HTML spec says.
            text = field.get_text()
            value = [text[2:] if text.startswith("\r\n") else text.removeprefix("\n")]
        elif field.get("type") in ("radio", "checkbox"):
            value = [field.get("value", "on")] if field.has_attr("checked") else []
        else:
            value = [field.get("value", "")]
        data.setdefault(name, []).extend(value)
    return data


def test_a_dossier_started_on_one_server_continues_on_another(
    cluster: tuple[Gunicorn, Gunicorn, str], questionnaire: Questionnaire
) -> None:
    a, b, url = cluster
    browser = Browser(a.port)

    # Start on A: the form, its csrf_token and the session cookie, then the redirect.
    page = browser.get("/nieuw", port=a.port)
    assert page.status == 200 and csrf_token(page.body), page.body[:500]
    reply = browser.post(
        "/nieuw",
        [("csrf_token", csrf_token(page.body)), ("municipality", "Gemeente Tweeservers")],
        port=a.port,
    )
    assert reply.status in ACK, (reply.status, reply.body[:500])
    token = dossier_token(reply.location)
    assert token, reply.location
    home = browser.get(f"/d/{token}/", port=a.port)
    assert home.status == 200 and b"Tweeservers" in home.body

    # Continue on B: B reads A's session (same secret key) and the dossier (same database).
    section = answerable(questionnaire)
    path = f"/d/{token}/stap/{section.id}"
    form = browser.get(path, port=b.port)
    assert form.status == 200, form.body[:500]
    first = step_answers(section, 0)
    saved = browser.post(path, pairs(csrf_token(form.body), first), port=b.port)
    assert saved.status in ACK, (saved.status, saved.body[:1000])

    # Read it back through A: the form comes back filled in.
    shown = form_values(browser.get(path, port=a.port).body)
    for qid, values in first.items():
        question = questionnaire.question(qid)
        got = shown.get(qid, [])
        assert got and same_answer(question, got if question.type == "multiple" else got[0], values)

    # A token from A's page is good for a POST on B: no sticky sessions needed.
    second = step_answers(section, 1)
    again = browser.post(
        path, pairs(csrf_token(browser.get(path, port=a.port).body), second), port=b.port
    )
    assert again.status in ACK, (again.status, again.body[:1000])
    stored = stored_answers(url, [token])[token]
    assert stored is not None
    for qid, values in second.items():
        assert same_answer(questionnaire.question(qid), stored[qid], values), qid

    # Another browser with only the link reads the dossier through either server.
    stranger = Browser(b.port)
    for server in (a, b):
        assert stranger.get(f"/d/{token}/overzicht", port=server.port).status == 200


def test_the_production_server_refuses_a_post_without_csrf_token(
    cluster: tuple[Gunicorn, Gunicorn, str], questionnaire: Questionnaire
) -> None:
    a, _b, url = cluster
    browser = Browser(a.port)
    page = browser.get("/nieuw")
    reply = browser.post("/nieuw", [("csrf_token", csrf_token(page.body)), ("municipality", "X")])
    token = dossier_token(reply.location)
    assert token
    section = answerable(questionnaire)
    refused = browser.post(f"/d/{token}/stap/{section.id}", pairs("", step_answers(section, 0))[1:])
    assert refused.status == 400 and b"Traceback" not in refused.body
    assert stored_answers(url, [token])[token] == {}


def test_several_workers_on_two_servers_lose_no_save(
    cluster: tuple[Gunicorn, Gunicorn, str], questionnaire: Questionnaire
) -> None:
    a, b, url = cluster
    assert len(a.worker_pids()) == 2 and len(b.worker_pids()) == 2
    # Each advisor sends its requests to A and B in turn.
    run = run_advisors([a.port, b.port], questionnaire, advisors=6, duration=2)
    print(table(run))
    assert not run.errors() and not run.no_response() and not run.stuck, table(run)
    assert not run.errors(400, 500), table(run)
    assert run.ledger.acked > 0
    verification = verify_saves(url, questionnaire, run.ledger)
    assert verification.ok, verification.lost[:20] + verification.lost_dossiers[:20]


def _participant_join(browser: Browser, token: str) -> str:
    """Open a workshop session on the dossier; returns the participants' join path."""
    page = browser.get(f"/d/{token}/werksessie")
    soup = BeautifulSoup(page.body, "html.parser")
    chosen = [i["value"] for i in soup.select("input[name=onderdelen][checked]")]
    started = browser.post(
        f"/d/{token}/werksessie/starten",
        [("csrf_token", csrf_token(page.body)), *[("onderdelen", v) for v in chosen]],
    )
    assert started.status in ACK, started.status
    facilitator = BeautifulSoup(browser.get(f"/d/{token}/werksessie").body, "html.parser")
    link = facilitator.find(id="deelnemerslink")
    assert link is not None, "the facilitator page shows no participant link"
    return urllib.parse.urlsplit(link.get_text(strip=True)).path


class ServerError(AssertionError):
    """The server answered 5xx."""


@pytest.mark.parametrize("field", ["municipality", "advisor", "naam_of_rol"])
def test_a_nul_character_in_a_name_is_no_server_error(
    cluster: tuple[Gunicorn, Gunicorn, str], field: str
) -> None:
    a, _b, _url = cluster
    browser = Browser(a.port)
    page = browser.get("/nieuw")
    fields = {"csrf_token": csrf_token(page.body), "municipality": "Gemeente Nulteken"}
    if field != "naam_of_rol":
        fields[field] = "Nul\x00teken"
    reply = browser.post("/nieuw", list(fields.items()))
    if field == "naam_of_rol":
        assert reply.status in ACK
        path = _participant_join(browser, dossier_token(reply.location))
        participant = Browser(a.port)  # another person, with a browser of their own
        join = participant.get(path)
        assert join.status == 200 and csrf_token(join.body)
        reply = participant.post(
            path, [("csrf_token", csrf_token(join.body)), ("naam_of_rol", "Wet\x00houder")]
        )
        assert reply.status != 400 or b"beveiligingskenmerk" not in reply.body  # not CSRF
    if reply.status >= 500:
        raise ServerError(f"{field}: {reply.status} {reply.body[:300]!r}")


@pytest.mark.parametrize("body", [b"0", b"[1]", b'"Gemeente"'])
def test_a_json_body_that_is_no_object_is_no_server_error(
    cluster: tuple[Gunicorn, Gunicorn, str], body: bytes
) -> None:
    a, _b, _url = cluster
    browser = Browser(a.port)
    page = browser.get("/nieuw")
    token = csrf_token(page.body)
    assert token
    reply = browser.request(
        "POST", "/nieuw", body, "application/json", headers={"X-CSRFToken": token}
    )
    if reply.status >= 500:
        raise ServerError(f"{body!r}: {reply.status} {reply.body[:300]!r}")
    assert reply.status == 400


def _without_secret(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOMPAS_")}
    env["KOMPAS_DATABASE_URL"] = f"sqlite:///{tmp_path / 'never-used.sqlite3'}"
    return env | extra


def test_gunicorn_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    command = Gunicorn({}, tmp_path, workers=2).command("127.0.0.1:0")
    result = subprocess.run(
        command,
        cwd=ROOT,
        env=_without_secret(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert f"ConfigError: {REFUSAL}" in output
    assert "KOMPAS_SECRET_KEY" in output and "KOMPAS_DEV=1" in output


@pytest.mark.parametrize("extra", [{}, {"KOMPAS_SECRET_KEY": ""}, {"KOMPAS_DEV": "0"}])
def test_create_app_refuses_to_start_without_a_secret_key(
    tmp_path: Path, extra: dict[str, str]
) -> None:
    result = subprocess.run(
        [sys.executable, "-c", "from kompas.web import create_app; create_app()"],
        cwd=tmp_path,
        env=_without_secret(tmp_path, **extra),
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(f"kompas.web.ConfigError: {REFUSAL}"), result.stderr[-2000:]


def test_gunicorn_refuses_an_unmigrated_database_and_says_what_to_run(
    pg: Any, tmp_path: Path
) -> None:
    """A deploy that forgot `kompas db upgrade` stops at once with the command to run,
    instead of answering 503 "storage unreachable" on every dossier page forever."""
    url = pg.url(pg.create_database())
    env = server_env(url, secrets.token_urlsafe(48))
    command = Gunicorn(env, tmp_path, workers=1).command("127.0.0.1:0")
    result = subprocess.run(
        command,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "ConfigError: Kompas refuses to start: the database" in output, output[-3000:]
    assert "is not migrated" in output and "kompas db upgrade" in output


@pytest.mark.parametrize("key", ["too-short", " " * 40])
def test_gunicorn_refuses_a_short_or_blank_secret_key(tmp_path: Path, key: str) -> None:
    env = _without_secret(tmp_path, KOMPAS_SECRET_KEY=key, KOMPAS_TRUSTED_HOSTS="127.0.0.1")
    command = Gunicorn({}, tmp_path, workers=1).command("127.0.0.1:0")
    result = subprocess.run(
        command,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert result.returncode != 0
    assert "ConfigError: Kompas refuses to start" in result.stdout + result.stderr


def test_a_forwarded_scheme_counts_only_with_kompas_proxies(
    cluster: tuple[Gunicorn, Gunicorn, str],
) -> None:
    """gunicorn alone believes `X-Forwarded-Proto: https` from 127.0.0.1; Kompas does not
    unless KOMPAS_PROXIES is set: no HSTS and no https links from a forged header."""
    import http.client

    a, _b, _url = cluster
    connection = http.client.HTTPConnection("127.0.0.1", a.port, timeout=30)
    try:
        connection.request("GET", "/", headers={"X-Forwarded-Proto": "https"})
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()
    assert response.status == 200
    assert response.getheader("Strict-Transport-Security") is None


def test_two_servers_share_one_rate_limit_through_redis(pg: Any, tmp_path: Path) -> None:
    """Two gunicorn servers (2 workers each) with KOMPAS_RATELIMIT_STORAGE on one Redis:
    four new dossiers a minute per address in all, wherever the requests land."""
    from tests.redisserver import running_redis

    with running_redis() as redis:
        env = server_env(
            new_database(pg),
            secrets.token_urlsafe(48),
            extra={"KOMPAS_RATELIMIT_STORAGE": redis.url, "KOMPAS_LIMIT_DOSSIERS": "4 per minute"},
        )
        a = Gunicorn(env, tmp_path, workers=2, name="ra")
        b = Gunicorn(env, tmp_path, workers=2, name="rb")
        try:
            a.launch(), b.launch()
            a.wait_ready(), b.wait_ready()
            statuses = []
            for i in range(6):
                server = (a, b)[i % 2]
                browser = Browser(server.port)
                page = browser.get("/nieuw")
                reply = browser.post(
                    "/nieuw",
                    [("csrf_token", csrf_token(page.body)), ("municipality", f"Gedeeld {i}")],
                )
                statuses.append(reply.status)
        finally:
            Gunicorn.stop_all([a, b])
    assert all(s in ACK for s in statuses[:4]) and statuses[4:] == [429, 429], statuses
