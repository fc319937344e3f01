"""The verification round on the web (issue 21 part 3): start it from the advice page, vendors
answer or never do, the round page and the advice show it. CSRF on, SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kompas.store import base as store_base
from kompas.store import dossier as dossier_store
from kompas.store import vendor as store_vendor
from kompas.web import vendor as vendor_web
from tests.test_round import _answers
from tests.test_vendor_forged import answer
from tests.test_vendor_forged import csrf_post
from tests.test_vendor_forged import new_dossier
from tests.test_vendor_forged import send

LINK = re.compile(r'id="round-link-\d+" value="([^"]+)"')


@pytest.fixture
def database_url(any_database_url: str) -> str:
    """Every test here runs on SQLite and on PostgreSQL (conftest's `app` uses this)."""
    return any_database_url


def _items(app: Flask, path: str) -> Any:
    with app.test_request_context():
        link = store_vendor.find_link(path.rsplit("/", 1)[1])
        assert link is not None
        return link, vendor_web.weighed_items(link)


def _answerable(items: Any) -> Any:
    return next(i for i in items if i.type in ("bool", "choice"))


def test_a_round_from_the_advice_page_to_the_answers(app: Flask, client: FlaskClient) -> None:
    from kompas.store import round as round_store

    token = new_dossier(client)
    with app.app_context():
        dossier = dossier_store.find_dossier(token)
        assert dossier is not None
        dossier_store.save_answers(dossier.id, _answers())
    advice = client.get(f"/d/{token}/advies").get_data(as_text=True)
    assert "Start een verificatieronde" in advice
    started = csrf_post(client, f"/d/{token}/ronde", {}, f"/d/{token}/advies")
    assert started.status_code == 200
    page = started.get_data(as_text=True)
    links = ["/leverancier/" + u.rsplit("/leverancier/", 1)[1] for u in LINK.findall(page)]
    assert len(links) >= 3
    assert page.count("verstuurd, nog niet geopend") == len(links)
    # The page shown later never repeats a link (only hashes are kept): a new one can be made.
    later = client.get(f"/d/{token}/ronde").get_data(as_text=True)
    assert not LINK.search(later) and later.count("Maak een nieuwe link") == len(links)

    # Vendor 1 answers, vendor 2 opens the form and stops, vendor 3 never comes.
    one, two = app.test_client(), app.test_client()
    link1, items1 = _items(app, links[0])
    with app.app_context():
        asked = round_store.round_questions(link1.id)
    assert asked and [i.fact_id for i in items1] == [
        f for f in asked if f in {i.fact_id for i in items1}
    ]
    item = _answerable(items1)
    value = item.options[0][0] if item.options else "true"
    sent = send(one, links[0], answer(item, value))
    assert sent.status_code == 200, sent.get_data(as_text=True)[:1500]
    assert two.get(links[1]).status_code == 200
    now = client.get(f"/d/{token}/ronde").get_data(as_text=True)
    assert "beantwoord" in now and "geopend, nog niet beantwoord" in now
    assert now.count("verstuurd, nog niet geopend") == len(links) - 2
    assert "(was: niet bekend)" in now
    assert "Kortlijst bij de start" in now
    # The advice marks the vendor's fact with the day it was given, and so does the record.
    advice = client.get(f"/d/{token}/advies").get_data(as_text=True)
    assert "volgens de leverancier, 30 november 2026" in advice
    record = client.get(f"/d/{token}/advies.json").get_json()
    said = [f["said"] for f in record["local_facts"] if f["fact"] == item.fact_id]
    assert said and "30 november 2026" in said[0]


def test_a_vendor_who_never_answers_expires_and_nothing_breaks(
    app: Flask, client: FlaskClient
) -> None:
    token = new_dossier(client)
    with app.app_context():
        dossier = dossier_store.find_dossier(token)
        assert dossier is not None
        dossier_store.save_answers(dossier.id, _answers())
    before = client.get(f"/d/{token}/advies.json").get_json()
    started = csrf_post(client, f"/d/{token}/ronde", {}, f"/d/{token}/advies")
    links = LINK.findall(started.get_data(as_text=True))
    assert links
    with app.app_context(), store_base.transaction() as session:
        for row in session.query(store_vendor.VendorLinkRow).all():
            row.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    page = client.get(f"/d/{token}/ronde").get_data(as_text=True)
    assert page.count("verlopen zonder antwoord") == len(links)
    assert "Nog geen verandering" in page
    gone = app.test_client().get("/leverancier/" + links[0].rsplit("/leverancier/", 1)[1])
    assert gone.status_code == 404
    after = client.get(f"/d/{token}/advies.json").get_json()
    assert after["summary"] == before["summary"]
    assert after["acceptability"] == before["acceptability"]


def test_the_round_page_without_a_round_and_an_unknown_dossier(client: FlaskClient) -> None:
    token = new_dossier(client)
    page = client.get(f"/d/{token}/ronde")
    assert page.status_code == 200
    assert "nog geen verificatieronde" in page.get_data(as_text=True)
    assert client.get("/d/bestaat-niet/ronde").status_code == 404
    refused = client.post(f"/d/{token}/ronde", csrf=False)  # no CSRF token
    assert refused.status_code == 400


def _started(app: Flask, client: FlaskClient) -> tuple[str, list[str]]:
    """A dossier with the test answers and a round started from its advice page."""
    token = new_dossier(client)
    with app.app_context():
        dossier = dossier_store.find_dossier(token)
        assert dossier is not None
        dossier_store.save_answers(dossier.id, _answers())
    started = csrf_post(client, f"/d/{token}/ronde", {}, f"/d/{token}/advies")
    assert started.status_code == 200
    page = started.get_data(as_text=True)
    return token, ["/leverancier/" + u.rsplit("/leverancier/", 1)[1] for u in LINK.findall(page)]


def test_a_second_view_of_the_round_page_computes_nothing_again(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kompas import verification
    from kompas.web import advice_views

    token, _links = _started(app, client)
    calls = {"explain": 0, "rank": 0}

    def counted(name: str, function: Any) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            calls[name] += 1
            return function(*args, **kwargs)

        return call

    # The pipeline as each caller reaches it, and the ranking of the next questions.
    monkeypatch.setattr(advice_views, "explain", counted("explain", advice_views.explain))
    monkeypatch.setattr(verification, "explain", counted("explain", verification.explain))
    monkeypatch.setattr(
        advice_views, "next_questions", counted("rank", advice_views.next_questions)
    )
    monkeypatch.setattr(
        verification, "next_questions", counted("rank", verification.next_questions)
    )
    advice_views._cached.cache_clear()
    advice_views._ranked.cache_clear()
    first = client.get(f"/d/{token}/ronde")
    assert first.status_code == 200
    assert calls == {"explain": 1, "rank": 1}  # the counters see the work when there is some
    second = client.get(f"/d/{token}/ronde")
    assert second.status_code == 200
    assert calls == {"explain": 1, "rank": 1}
    # The advice page reads the same cached explanation.
    assert client.get(f"/d/{token}/advies").status_code == 200
    assert calls["explain"] == 1
    token_field = re.compile(r'name="csrf_token" value="[^"]*"')
    pages = [token_field.sub("", p.get_data(as_text=True)) for p in (first, second)]
    assert pages[0] == pages[1]


def test_a_vendor_answer_that_differs_from_the_advisors_fact_shows_on_the_round_page(
    app: Flask, client: FlaskClient
) -> None:
    token, links = _started(app, client)
    link, items = _items(app, links[0])
    item = next(i for i in items if i.type == "choice" and len(i.options) >= 2)
    mine, theirs = item.options[0][0], item.options[1][0]
    facts = f"/d/{token}/leveranciersfeiten"
    typed = csrf_post(
        client,
        facts,
        {"platform": link.platform_id, "name": "V. Verkoop", "how": "telefoon"}
        | answer(item, mine, source="telefoongesprek met de leverancier"),
        "/nieuw",
    )
    assert typed.status_code == 302, typed.get_data(as_text=True)[:3000]
    sent = send(app.test_client(), links[0], answer(item, theirs))
    assert sent.status_code == 200, sent.get_data(as_text=True)[:1500]
    page = client.get(f"/d/{token}/ronde").get_data(as_text=True)
    # The same answer the vendor-facts page asks the advisor to settle, one line on the round.
    assert 'id="waiting"' in client.get(facts).get_data(as_text=True)
    assert page.count('class="round-differing"') == 1
    line = re.search(r'class="round-differing">(.*?)</p>', page, re.S)
    assert line and "uw eigen feit geldt tot u kiest" in line.group(1)
    assert f"/d/{token}/leveranciersfeiten#waiting" in line.group(1)
