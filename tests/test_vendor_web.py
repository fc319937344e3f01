"""Vendor links, the vendor's form, a dossier's local facts and the curator's CLI (Flask client)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

from kompas.cli import main
from kompas.web import vendor as vendor_web

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "burenhulp-dorp.yaml"


def start(client, municipality="Dorpen aan de Dijk"):
    response = client.post("/nieuw", data={"municipality": municipality, "advisor": "A. de Vries"})
    assert response.status_code == 302
    return response.headers["Location"].split("/d/")[1].strip("/")


def with_answers(app, token):
    from kompas.store import dossier as dossier_store

    answers = yaml.safe_load(EXAMPLE.read_text())
    with app.app_context():
        dossier = dossier_store.find_dossier(token)
        dossier_store.save_answers(dossier.id, answers)
    return answers


def choice_question(app, platform_id):
    with app.test_request_context():
        items = vendor_web.items_for(platform_id)
    return next(i for i in items if i.type in ("choice", "bool"))


def send_link(client, token, platform_id, share=False):
    data = {"platform": platform_id, **({"share": "1"} if share else {})}
    response = client.post(f"/d/{token}/leverancier", data=data)
    assert response.status_code == 200, response.data
    link = BeautifulSoup(response.data, "html.parser").select_one("#vendor-link")["value"]
    secret = link.rsplit("/leverancier/", 1)[1]
    assert len(secret) >= 22  # at least 128 bits in URL-safe base64
    return "/leverancier/" + secret, secret


def ranked_platform(app):
    from kompas import advise
    from kompas import load

    q, c = load()
    result = advise(q, c, yaml.safe_load(EXAMPLE.read_text()))
    for r in result.ranking:
        for cr in r.unknowns:
            if any(c.facts[f.id].type == "bool" and f.status == "unknown" for f in cr.facts):
                return r.platform.id
    raise AssertionError("no ranked platform with an unknown bool fact")


def test_vendor_link_form_and_dossier_advice(app, client):
    token = start(client)
    answers = with_answers(app, token)
    platform_id = ranked_platform(app)
    path, secret = send_link(client, token, platform_id)
    with app.app_context():
        from kompas.store import base as store_base

        assert store_base.hash_token(secret) != secret
        with store_base.transaction() as session:
            stored = [r.token_hash for r in session.query(vendor_web.VendorLinkRow)]
        assert stored == [store_base.hash_token(secret)]
    page = client.get(path)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Dorpen aan de Dijk" not in text  # not shared
    for value in answers.values():
        if isinstance(value, str) and len(value) > 20:
            assert value not in text  # the dossier's answers stay private
    item = choice_question(app, platform_id)
    fid = item.fact_id
    value = "true" if item.type == "bool" else item.options[0][0]
    # Bad input: clear messages, nothing lost.
    bad = client.post(
        path,
        data={
            "name": "B. Bakker",
            "role": "accountmanager",
            f"{fid}-value": "geen_optie" if item.type == "choice" else "misschien",
            f"{fid}-source": "htp//kapot",
            f"{fid}-date": (dt.date.today() + dt.timedelta(days=5)).isoformat(),
            "action": "send",
        },
    )
    assert bad.status_code == 400
    body = bad.get_data(as_text=True)
    assert "webadres" in body and "toekomst" in body
    assert "htp//kapot" in body  # kept as typed
    # Save a half-filled form and continue later.
    saved = client.post(
        path,
        data={f"{fid}-value": value, f"{fid}-source": "verklaring leverancier", "action": "save"},
    )
    assert saved.status_code == 302
    again = client.get(path).get_data(as_text=True)
    assert "verklaring leverancier" in again
    before = client.get(f"/d/{token}/advies").get_data(as_text=True)
    sent = client.post(
        path,
        data={
            "name": "B. Bakker",
            "role": "accountmanager",
            f"{fid}-value": value,
            f"{fid}-source": "verklaring leverancier",
            f"{fid}-date": "2026-11-30",
            "action": "send",
        },
    )
    assert sent.status_code == 200, sent.data
    after = client.get(f"/d/{token}/advies").get_data(as_text=True)
    assert before != after
    assert "volgens de leverancier, 30 november 2026" in after
    assert "volgens de leverancier, 30 november 2026" not in before
    record = client.get(f"/d/{token}/advies.json").get_json()
    assert record["local_facts"][0]["fact"] == fid
    # Submissions never change the catalogue by themselves.
    with app.app_context():
        c = app.extensions["kompas"]["catalogue"]
        assert c.platform(platform_id).fact(fid).status == "unknown"


def test_expired_and_unknown_links_are_404(app, client):
    with app.app_context():
        secret = vendor_web.create_link("hoplr", days=1)
        from kompas.store import base as store_base

        with store_base.transaction() as session:
            row = session.query(vendor_web.VendorLinkRow).one()
            row.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    assert client.get(f"/leverancier/{secret}").status_code == 404
    assert client.get("/leverancier/raden").status_code == 404


def test_shared_municipality_is_shown(app, client):
    token = start(client, "Gemeente Voorbeeld")
    path, _secret = send_link(client, token, "hoplr", share=True)
    assert "Gemeente Voorbeeld" in client.get(path).get_data(as_text=True)


def test_advisor_types_in_a_vendor_answer(app, client):
    token = start(client)
    with_answers(app, token)
    platform_id = ranked_platform(app)
    item = choice_question(app, platform_id)
    value = "true" if item.type == "bool" else item.options[0][0]
    page = client.get(f"/d/{token}/leveranciersfeiten?platform={platform_id}")
    assert page.status_code == 200
    response = client.post(
        f"/d/{token}/leveranciersfeiten",
        data={
            "platform": platform_id,
            "name": "C. de Wit, sales",
            "how": "telefoon",
            f"{item.fact_id}-value": value,
            f"{item.fact_id}-source": "verklaring leverancier",
            f"{item.fact_id}-date": "2026-11-28",
        },
    )
    assert response.status_code == 302
    record = client.get(f"/d/{token}/advies.json").get_json()
    (local,) = record["local_facts"]
    assert local["fact"] == item.fact_id and local["evidence"] == "leverancier"
    assert "telefoon" in local["note"]


def test_curator_accepts_and_rejects_by_cli(app, client, runner, tmp_path, monkeypatch):
    from kompas import load

    monkeypatch.setenv("KOMPAS_DATABASE_URL", app.config["DATABASE_URL"])
    monkeypatch.setenv("KOMPAS_ENV", "development")
    _q, c = load()
    platform_id = "hoplr" if "hoplr" in c.index else c.platforms[0].id
    result = runner.invoke(main, ["catalogue", "link", platform_id, "--days", "30"])
    assert result.exit_code == 0, result.output
    path = "/leverancier/" + result.output.strip().rsplit("/leverancier/", 1)[1]
    with app.test_request_context():
        items = [i for i in vendor_web.items_for(platform_id) if i.type == "choice"][:3]
    assert len(items) == 3
    data = {"name": "D. Dijk", "role": "directeur", "action": "send"}
    for item in items:
        data |= {
            f"{item.fact_id}-value": item.options[0][0],
            f"{item.fact_id}-source": "verklaring leverancier",
            f"{item.fact_id}-date": "2026-11-30",
        }
    assert client.post(path, data=data).status_code == 200
    review = runner.invoke(main, ["catalogue", "review"])
    assert review.exit_code == 0, review.output
    sid = re.search(r"(\d+): " + platform_id, review.output).group(1)
    copy = tmp_path / "platforms.yaml"
    shutil.copy(ROOT / "platforms.yaml", copy)
    for item in items[:2]:
        ok = runner.invoke(
            main,
            ["catalogue", "accept", sid, item.fact_id, "--platforms", str(copy), "--curator", "E"],
        )
        assert ok.exit_code == 0, ok.output
    no = runner.invoke(
        main,
        ["catalogue", "reject", sid, items[2].fact_id, "--reason", "geen bron", "--curator", "E"],
    )
    assert no.exit_code == 0, no.output
    twice = runner.invoke(
        main,
        ["catalogue", "accept", sid, items[0].fact_id, "--platforms", str(copy), "--curator", "E"],
    )
    assert twice.exit_code != 0
    _q, fresh = load(None, copy)
    for item in items[:2]:
        fact = fresh.platform(platform_id).fact(item.fact_id)
        assert fact.value == item.options[0][0]
        assert "inzending " + sid in fact.note and "E" in fact.note
    assert fresh.platform(platform_id).fact(items[2].fact_id).status == "unknown"
    review = runner.invoke(main, ["catalogue", "review"])
    assert "accepted (E)" in review.output and "rejected (E)" in review.output


def test_vendor_form_is_rate_limited(make_app):
    app = make_app(KOMPAS_LIMIT_VENDOR="2 per minute", RATELIMIT_ENABLED=True)
    with app.app_context():
        secret = vendor_web.create_link("hoplr", days=1)
    client = app.test_client()
    codes = [
        client.post(f"/leverancier/{secret}", data={"action": "save"}).status_code for _ in range(3)
    ]
    assert codes == [302, 302, 429]
    assert client.get(f"/leverancier/{secret}").status_code == 200  # reading stays possible
