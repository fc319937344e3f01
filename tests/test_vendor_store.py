"""The store and the curator's commands without a web app; data reload; vendor-link friction.

Issues 18 (persistence without Flask, accept into the configured catalogue, a server that
sees an accepted fact, the vendor questions' order shipped in the package), 20 and 22 (the
link command with KOMPAS_TRUSTED_HOSTS, tokens kept out of logs, a cache that fits and a
limit on the pages that compute vendor questions, no questions about weight-0 criteria).
"""

from __future__ import annotations

import filecmp
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from flask import Flask

import kompas
from kompas.cli import main
from kompas.engine.catalogue import DEFAULT_PLATFORMS
from kompas.engine.vendor import example_profiles
from kompas.store import dossier as dossier_store
from kompas.web import vendor as vendor_web
from kompas.web.logs import redact
from tests.test_vendor_forged import answer
from tests.test_vendor_forged import csrf_post
from tests.test_vendor_forged import first
from tests.test_vendor_forged import platform_with_cost
from tests.test_vendor_forged import send

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_app: Callable[..., Flask]) -> Flask:
    """A CSRF-on app whose catalogue is a copy (KOMPAS_PLATFORMS), as a curator's server runs."""
    copy = tmp_path / "platforms.yaml"
    copy.write_bytes(DEFAULT_PLATFORMS.read_bytes())
    monkeypatch.setenv("KOMPAS_PLATFORMS", str(copy))
    url = f"sqlite:///{tmp_path / 'kompas.sqlite3'}"
    monkeypatch.setenv("KOMPAS_DATABASE_URL", url)
    monkeypatch.setenv("KOMPAS_ENV", "development")
    return make_app(url, PLATFORMS_FILE=str(copy))


def test_the_vendor_questions_order_ships_in_the_package() -> None:
    shipped = sorted((Path(kompas.__file__).parent / "data" / "profiles").glob("*.yaml"))
    examples = sorted((ROOT / "examples").glob("*.yaml"))
    assert [p.name for p in shipped] == [p.name for p in examples]
    assert all(filecmp.cmp(a, b, shallow=False) for a, b in zip(shipped, examples, strict=True))
    assert len(example_profiles()) == len(shipped) > 0


def test_link_accept_and_a_running_server_sees_it(app: Flask, tmp_path: Path) -> None:
    import os

    copy = Path(os.environ["KOMPAS_PLATFORMS"])
    platform_id, items = platform_with_cost(app)
    choice = first(items, "choice", "bool")
    value = choice.options[0][0] if choice.options else "true"
    out = CliRunner().invoke(main, ["catalogue", "link", platform_id, "--curator", "C"])
    assert out.exit_code == 0, out.output
    client = app.test_client()
    path = "/leverancier/" + out.output.strip().rsplit("/leverancier/", 1)[1]
    assert send(client, path, answer(choice, value)).status_code == 200
    review = CliRunner().invoke(main, ["catalogue", "review"]).output
    assert "link van beheerder C" in review
    sid = re.search(r"(\d+): " + platform_id, review).group(1)  # type: ignore[union-attr]
    page = f"/platforms/{platform_id}"
    before = client.get(page)
    packaged = DEFAULT_PLATFORMS.read_bytes()
    time.sleep(1.1)  # the server looks at the file at most once a second
    ok = CliRunner().invoke(main, ["catalogue", "accept", sid, choice.fact_id, "--curator", "E"])
    assert ok.exit_code == 0, ok.output
    assert str(copy) in ok.output
    assert DEFAULT_PLATFORMS.read_bytes() == packaged  # the packaged file is never written
    assert kompas.load(None, copy)[1].platform(platform_id).fact(choice.fact_id).known
    time.sleep(1.1)
    after = client.get(page)
    assert after.status_code == before.status_code == 200
    catalogue = app.extensions["kompas"]["catalogue"]
    assert catalogue.platform(platform_id).fact(choice.fact_id).evidence == "leverancier"
    assert f"inzending {sid}" in after.get_data(as_text=True)


def test_link_works_with_trusted_hosts(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOMPAS_ENV", "production")
    monkeypatch.setenv("KOMPAS_TRUSTED_HOSTS", "kompas.example.nl, .example.nl")
    platform_id = app.extensions["kompas"]["catalogue"].platforms[0].id
    out = CliRunner().invoke(main, ["catalogue", "link", platform_id])
    assert out.exit_code == 0, out.output
    assert re.fullmatch(r"https://kompas\.example\.nl/leverancier/[A-Za-z0-9_-]{32}\n", out.output)


def test_a_refused_accept_names_the_catalogue_file_not_a_temporary_one(tmp_path: Path) -> None:
    import datetime as dt

    from kompas.engine.curate import _block_end
    from kompas.engine.curate import accept_into
    from kompas.engine.vendor import VendorAnswer
    from kompas.errors import KompasError

    _q, c = kompas.load()
    platform = c.platforms[0]
    fid = next(f for f in c.facts if c.facts[f].type == "bool")
    # A valid file whose platform writes its facts in flow style: the edit cannot be applied
    # cleanly (a second `facts:` key), so the accept is refused.
    lines = DEFAULT_PLATFORMS.read_text().split("\n")
    head = re.compile(rf"^  - id: ['\"]?{re.escape(platform.id)}['\"]?\s*$")
    start = next(i for i, line in enumerate(lines) if head.match(line))
    facts = next(i for i in range(start, _block_end(lines, start, 2)) if lines[i] == "    facts:")
    flow = [*lines[:facts], "    facts: {}", *lines[_block_end(lines, facts, 4) :]]
    copy = tmp_path / "platforms.yaml"
    copy.write_text("\n".join(flow))
    assert kompas.load(None, copy)
    said = VendorAnswer(platform.id, fid, True, "verklaring leverancier", dt.date(2026, 11, 1), "N")
    with pytest.raises(KompasError) as refused:
        accept_into(copy, said, "note")
    message = str(refused.value)
    assert re.search(r"platforms\.yaml:[0-9]+", message), message
    assert not re.search(r"tmp\w+\.yaml", message), message
    assert sorted(tmp_path.iterdir()) == [copy] and copy.read_text() == "\n".join(flow)


def test_vendor_tokens_never_reach_a_log_line() -> None:
    line = '127.0.0.1 - - "GET /leverancier/Abc_def-1234567890abcdefghijkl HTTP/1.1" 200'
    assert "Abc_def" not in redact(line) and "/leverancier/…" in redact(line)


def test_no_questions_about_criteria_weighted_zero(app: Flask) -> None:
    from kompas.engine.vendor import criteria_of_fact

    q = app.extensions["kompas"]["questionnaire"]
    answers = yaml.safe_load((ROOT / "examples" / "burenhulp-dorp.yaml").read_text())
    platform_id, items = platform_with_cost(app)
    client = app.test_client()
    token = (
        csrf_post(client, "/nieuw", {"municipality": "Nul"})
        .headers["Location"]
        .split("/d/")[1]
        .strip("/")
    )
    with app.app_context():
        dossier = dossier_store.find_dossier(token)
        assert dossier is not None
        dossier_store.save_answers(dossier.id, answers)
        link = vendor_web.find_link(vendor_web.create_link(platform_id, dossier_id=dossier.id))
        assert link is not None
        advice = kompas.advise(q, app.extensions["kompas"]["catalogue"], answers)
        weighed = {r.criterion_id for r in advice.ranking[0].results if r.weight > 0 or r.must}
        with app.test_request_context():
            asked = vendor_web.weighed_items(link)
    assert asked and len(asked) < len(items)
    for item in items:
        feeds = {c.id for c in criteria_of_fact(q, item.fact_id)}
        assert (item in asked) == bool(feeds & weighed)


def test_pages_computing_vendor_questions_are_limited(make_app: Callable[..., Flask]) -> None:
    app = make_app(KOMPAS_LIMIT_VENDOR_QUESTIONS="2 per minute")
    catalogue = app.extensions["kompas"]["catalogue"]
    ids = [p.id for p in catalogue.platforms[:3]]
    with app.app_context():
        links = ["/leverancier/" + vendor_web.create_link(pid) for pid in ids]
    vendor_web._ITEMS.clear()  # a fresh process: nothing computed yet
    client = app.test_client()
    assert [client.get(link).status_code for link in links] == [200, 200, 429]
    # Cached pages cost little and are not what the limit counts; the cache holds every pair.
    assert len(vendor_web._ITEMS) == 2


@pytest.mark.parametrize("number", [".inf", "-5", "1e12", ".nan"])
def test_a_fill_in_file_with_an_insane_cost_is_refused(number: str) -> None:
    from kompas.engine.vendor import read_answers_text

    _q, c = kompas.load()
    range_fact = next(f for f in c.facts if c.facts[f].type == "range")
    text = (
        f"platform: {c.platforms[0].id}\nname: N\nrole: R\nfacts:\n"
        f"  {range_fact}: {{value: {{min: {number}, max: {number}}}, "
        "source: verklaring leverancier, date: 2026-11-30}\n"
    )
    answers, check = read_answers_text(text, "vul-in.yaml", c)
    assert answers == []
    # Refused on the value itself (as no number, or as out of range), never taken in.
    problems = [str(p) for p in check.errors]
    assert any(f"{range_fact}.value" in p and "number" in p for p in problems), problems


def test_a_huge_submission_number_is_a_usage_error(app: Flask) -> None:
    """Found by soak/fuzz.py's curator target: an OverflowError escaped before."""
    huge = "9" * 30
    for args in (
        ["accept", huge, "hosting", "--curator", "E"],
        ["accept", "1", "x", "--dossier", huge, "--curator", "E"],
        ["reject", huge, "x", "--reason", "r", "--curator", "E"],
    ):
        result = CliRunner().invoke(main, ["catalogue", *args])
        assert result.exit_code == 2 and isinstance(result.exception, SystemExit), result.output
