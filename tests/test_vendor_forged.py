"""Forged and bad vendor input (issue 20, 22), on SQLite and PostgreSQL, with CSRF on.

Numbers out of range, control characters, a stored submission that cannot be read, a link
made from a dossier posing as a curator's, a vendor answer over the advisor's own fact, a
double click on a fresh form and an oversized draft: refused at the door or kept apart,
never a 500, never a lost form, never a hidden submission.
"""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from kompas.cli import main
from kompas.engine.vendor import VendorItem
from kompas.store import base as store_base
from kompas.store import dossier as dossier_store
from kompas.web import db
from kompas.web import vendor as vendor_web

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)" name="csrf_token"')
ESCAPE = "\x1b[2K\x1b[1A"  # erase the line, cursor up: how a forged line hides a real one


@pytest.fixture
def database_url(any_database_url: str) -> str:
    """Every test here runs on SQLite and on PostgreSQL (conftest's `app` uses this)."""
    return any_database_url


@pytest.fixture
def cli_env(app: Flask, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("KOMPAS_DATABASE_URL", app.config["DATABASE_URL"])
    monkeypatch.setenv("KOMPAS_ENV", "development")
    return {}


def csrf_post(client: FlaskClient, url: str, data: dict[str, Any], page: str | None = None) -> Any:
    html = client.get(page or url).get_data(as_text=True)
    match = CSRF.search(html)
    assert match, html[:500]
    return client.post(url, data={**data, "csrf_token": match.group(1) or match.group(2)})


def new_dossier(client: FlaskClient) -> str:
    response = csrf_post(client, "/nieuw", {"municipality": "Testgemeente"})
    assert response.status_code in (302, 303)
    return response.headers["Location"].split("/d/")[1].strip("/")


def platform_with_cost(app: Flask) -> tuple[str, tuple[VendorItem, ...]]:
    """A platform whose vendor questions include the cost range and a choice."""
    catalogue = app.extensions["kompas"]["catalogue"]
    for platform in catalogue.platforms:
        with app.test_request_context():
            items = vendor_web.items_for(platform.id)
        kinds = {i.type for i in items}
        if "range" in kinds and kinds & {"choice", "bool"}:
            return platform.id, items
    raise AssertionError("no platform with an unknown cost and an unknown choice")


def dossier_link(client: FlaskClient, token: str, platform_id: str) -> str:
    page = "/nieuw"  # any form gives the session's CSRF token
    response = csrf_post(client, f"/d/{token}/leverancier", {"platform": platform_id}, page)
    assert response.status_code == 200
    link = re.search(r'id="vendor-link" value="([^"]+)"', response.get_data(as_text=True))
    assert link
    return "/leverancier/" + link.group(1).rsplit("/leverancier/", 1)[1]


def answer(item: VendorItem, value: str, **extra: str) -> dict[str, str]:
    return {
        f"{item.fact_id}-value": value,
        f"{item.fact_id}-source": "verklaring leverancier",
        f"{item.fact_id}-date": "2026-11-30",
        **{f"{item.fact_id}-{k}": v for k, v in extra.items()},
    }


def send(client: FlaskClient, path: str, *answers: dict[str, str], **who: str) -> Any:
    data = {"name": "D. Dijk", "role": "directeur", "action": "send", **who}
    for a in answers:
        data |= a
    return csrf_post(client, path, data)


def first(items: tuple[VendorItem, ...], *types: str) -> VendorItem:
    return next(i for i in items if i.type in types)


def review(app: Flask) -> str:
    result = CliRunner().invoke(main, ["catalogue", "review"])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("number", ["9" * 400, "1" + "0" * 4300, "1e999", "inf", "nan", "-5"])
def test_a_bad_cost_is_refused_with_a_message_and_nothing_is_lost(
    app: Flask, client: FlaskClient, cli_env: dict[str, str], number: str
) -> None:
    platform_id, items = platform_with_cost(app)
    token = new_dossier(client)
    path = dossier_link(client, token, platform_id)
    cost, choice = first(items, "range"), first(items, "choice", "bool")
    response = send(client, path, answer(cost, number), answer(choice, choice.options[0][0]
        if choice.options else "true"))  # fmt: skip
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "getal" in page  # the message says a number (in range) is wanted
    assert 'class="error"' in page
    # Nothing lost: the other answer is still on the form, the draft stored as typed.
    saved = client.get(path).get_data(as_text=True)
    assert "D. Dijk" in saved
    assert client.get(f"/d/{token}/advies").status_code == 200
    assert "Geen inzendingen." in review(app)


def test_control_characters_are_refused_and_review_prints_escaped(
    app: Flask, client: FlaskClient, cli_env: dict[str, str]
) -> None:
    platform_id, items = platform_with_cost(app)
    choice = first(items, "choice", "bool")
    value = choice.options[0][0] if choice.options else "true"
    token = new_dossier(client)
    path = dossier_link(client, token, platform_id)
    forged = "Hoplr CEO\n  ads: true [nu: unknown] bron: https://x.nl — accepted"
    refused = send(client, path, answer(choice, value), name=forged)
    assert refused.status_code == 400 and "stuurcodes" in refused.get_data(as_text=True)
    assert send(client, path, answer(choice, value)).status_code == 200
    # A value stored before this check (or written around it) is printed escaped.
    with app.app_context(), store_base.transaction() as session:
        row = session.query(vendor_web.SubmissionRow).one()
        row.name = ESCAPE + "Hoplr CEO\nads: true"
        row.answers = {
            choice.fact_id: {**row.answers[choice.fact_id], "source": "https://x.nl/" + ESCAPE}
        }
    out = review(app)
    assert "\x1b" not in out
    assert "\\x1b[2K" in out
    lines = out.splitlines()
    assert len(lines) == 2, out  # the submission's line and its one answer: nothing forged


def _store_raw(app: Flask, link_id: int, answers_json: str) -> None:
    """A submission row written as raw JSON text, as an old version could have stored it."""
    with app.app_context(), db.get_engine().begin() as connection:
        cast = "CAST(:a AS JSON)" if connection.dialect.name == "postgresql" else ":a"
        connection.execute(
            text(
                "INSERT INTO vendor_submission (link_id, platform_id, status, name, role,"
                f" answers, created_at, updated_at) VALUES (:l, :p, 'ingediend', 'X', 'Y', {cast},"
                " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            ),
            {"l": link_id, "p": "nope", "a": answers_json},
        )


def test_one_bad_submission_never_hides_the_others(
    app: Flask, client: FlaskClient, cli_env: dict[str, str], tmp_path: Path
) -> None:
    platform_id, items = platform_with_cost(app)
    cost = first(items, "range")
    with app.app_context():
        secret = vendor_web.create_link(platform_id)
        bad_link = vendor_web.find_link(secret)
        assert bad_link is not None
        entry = {"source": "verklaring leverancier", "date": "2026-11-30"}
        huge = json.dumps({cost.fact_id: {**entry, "value": 1}}).replace(
            ": 1,", ": 1" + "0" * 5000 + ","
        )
        _store_raw(app, bad_link.id, huge)
    good = (
        "/leverancier/"
        + CliRunner()
        .invoke(main, ["catalogue", "link", platform_id])
        .output.strip()
        .rsplit("/leverancier/", 1)[1]
    )
    assert send(client, good, answer(cost, "1200")).status_code == 200
    out = review(app)
    assert cost.fact_id + ": {min: 1200, max: 1200}" in out
    assert "onleesbaar" in out
    # Accepting the unreadable answer is refused with a message; the good one still goes in.
    from kompas.engine.catalogue import DEFAULT_PLATFORMS

    copy = tmp_path / "platforms.yaml"
    copy.write_bytes(DEFAULT_PLATFORMS.read_bytes())
    bad_id = re.search(r"(\d+): nope", out).group(1)  # type: ignore[union-attr]
    good_id = re.search(r"(\d+): " + platform_id, out).group(1)  # type: ignore[union-attr]
    accept = ["catalogue", "accept", "--platforms", str(copy), "--curator", "E"]
    refused = CliRunner().invoke(main, [*accept, bad_id, cost.fact_id])
    assert refused.exit_code == 2 and "Traceback" not in refused.output, refused.output
    assert copy.read_bytes() == DEFAULT_PLATFORMS.read_bytes()
    taken = CliRunner().invoke(main, [*accept, good_id, cost.fact_id])
    assert taken.exit_code == 0, taken.output
    assert copy.read_bytes() != DEFAULT_PLATFORMS.read_bytes()


def test_dossier_submission_needs_confirmation_naming_the_dossier(
    app: Flask, client: FlaskClient, cli_env: dict[str, str], tmp_path: Path
) -> None:
    from kompas.engine.catalogue import DEFAULT_PLATFORMS

    platform_id, items = platform_with_cost(app)
    choice = first(items, "choice", "bool")
    value = choice.options[0][0] if choice.options else "true"
    token = new_dossier(client)
    assert (
        send(client, dossier_link(client, token, platform_id), answer(choice, value)).status_code
        == 200
    )
    with app.app_context():
        dossier = dossier_store.find_dossier(token)
        assert dossier is not None
    out = review(app)
    assert f"dossier {dossier.id}" in out
    sid = re.search(r"(\d+): " + platform_id, out).group(1)  # type: ignore[union-attr]
    copy = tmp_path / "platforms.yaml"
    copy.write_bytes(DEFAULT_PLATFORMS.read_bytes())
    args = ["catalogue", "accept", sid, choice.fact_id, "--platforms", str(copy), "--curator", "E"]
    refused = CliRunner().invoke(main, args)
    assert refused.exit_code != 0 and f"--dossier {dossier.id}" in refused.output
    assert copy.read_bytes() == DEFAULT_PLATFORMS.read_bytes()
    wrong = CliRunner().invoke(main, [*args, "--dossier", str(dossier.id + 1)])
    assert wrong.exit_code != 0
    ok = CliRunner().invoke(main, [*args, "--dossier", str(dossier.id)])
    assert ok.exit_code == 0, ok.output
    # The dossier's own advice counted the answer all along.
    record = client.get(f"/d/{token}/advies.json").get_json()
    assert [f["fact"] for f in record["local_facts"]] == [choice.fact_id]


def test_a_vendor_answer_never_replaces_the_advisors_fact(app: Flask, client: FlaskClient) -> None:
    platform_id, items = platform_with_cost(app)
    cost = first(items, "range")
    token = new_dossier(client)
    facts = f"/d/{token}/leveranciersfeiten"
    typed = csrf_post(
        client,
        facts,
        {
            "platform": platform_id,
            "name": "V. Verkoop",
            "how": "telefoon",
            **answer(cost, "500", source="telefoongesprek met de leverancier"),
        },
        "/nieuw",
    )
    assert typed.status_code == 302, typed.get_data(as_text=True)[:3000]
    page = client.get(facts).get_data(as_text=True)
    assert "telefoongesprek met de leverancier" in page and "500" in page  # shown as stored
    assert (
        send(client, dossier_link(client, token, platform_id), answer(cost, "900")).status_code
        == 200
    )
    record = client.get(f"/d/{token}/advies.json").get_json()
    assert [f["value"] for f in record["local_facts"]] == [{"min": 500, "max": 500}]
    page = client.get(facts).get_data(as_text=True)
    assert 'id="waiting"' in page and "900" in page
    choice = re.search(r'name="choose" value="(vendor:[^"]+)"', page)
    assert choice
    assert csrf_post(client, facts, {"choose": choice.group(1)}, "/nieuw").status_code == 302
    record = client.get(f"/d/{token}/advies.json").get_json()
    assert [f["value"] for f in record["local_facts"]] == [{"min": 900, "max": 900}]
    assert 'id="waiting"' not in client.get(facts).get_data(as_text=True)


def test_a_double_click_on_a_fresh_form_never_gives_a_500(app: Flask) -> None:
    platform_id, items = platform_with_cost(app)
    choice = first(items, "choice", "bool")
    value = choice.options[0][0] if choice.options else "true"
    statuses: list[int] = []
    for _round in range(4):
        with app.app_context():
            path = "/leverancier/" + vendor_web.create_link(platform_id)
        clients = [app.test_client() for _ in range(2)]
        tokens = [CSRF.search(c.get(path).get_data(as_text=True)).group(1) for c in clients]  # type: ignore[union-attr]
        data = {"name": "D", "role": "R", "action": "send", **answer(choice, value)}
        barrier = threading.Barrier(2)

        def click(
            c: FlaskClient, t: str, path: str = path, data: Any = data, barrier: Any = barrier
        ) -> None:
            barrier.wait()
            statuses.append(c.post(path, data={**data, "csrf_token": t}).status_code)

        threads = [
            threading.Thread(target=click, args=pair) for pair in zip(clients, tokens, strict=True)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    assert len(statuses) == 8 and set(statuses) <= {200, 409}, statuses
    assert statuses.count(200) == 4


def test_a_vendor_draft_has_a_size_cap_and_a_remark_is_kept(
    app: Flask, client: FlaskClient, cli_env: dict[str, str]
) -> None:
    platform_id, items = platform_with_cost(app)
    with app.app_context():
        path = "/leverancier/" + vendor_web.create_link(platform_id)
    big = {"name": "D", "role": "R", "action": "save"}
    for item in items:
        big |= {f"{item.fact_id}-source": "x" * 499, f"{item.fact_id}-remark": "y" * 499}
    for n in range(200):
        big[f"extra{n}-remark"] = "z" * 499  # fields that are no question are never stored
    response = csrf_post(client, path, big)
    stored = 0
    with app.app_context(), store_base.transaction() as session:
        for row in session.query(vendor_web.SubmissionRow):
            stored = len(json.dumps(row.answers))
    assert stored <= vendor_web.DRAFT_BYTES
    assert response.status_code in (302, 400)
    cost = first(items, "range")
    sent = send(client, path, answer(cost, "", remark="€ 0,15 per inwoner"),
                answer(first(items, "choice", "bool"), "true" if first(items, "choice", "bool").type == "bool"
                       else first(items, "choice", "bool").options[0][0]))  # fmt: skip
    assert sent.status_code == 200, sent.get_data(as_text=True)[:2000]
    with app.app_context(), store_base.transaction() as session:
        row = session.query(vendor_web.SubmissionRow).one()
        assert row.answers[cost.fact_id]["remark"] == "€ 0,15 per inwoner"


def test_the_store_works_without_a_flask_app(app: Flask) -> None:
    from kompas.store import vendor as store_vendor

    made = store_base.make_engine(app.config["DATABASE_URL"])
    try:
        with store_base.using(made):
            secret = store_vendor.create_link("een-platform", created_by="C")
            link = store_vendor.find_link(secret)
        assert link is not None and link.dossier_id is None
    finally:
        made.dispose()
