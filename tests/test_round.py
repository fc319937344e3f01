"""The verification round (issue 21 part 3): whom it asks what, its storage, before -> after.

The store runs on SQLite and on PostgreSQL; the engine part on the shipped examples.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask import Flask

import kompas
from kompas.engine.model import Fact
from kompas.engine.round import ANSWERED
from kompas.engine.round import EXPIRED
from kompas.engine.round import OPENED
from kompas.engine.round import SENT
from kompas.engine.round import compare
from kompas.engine.round import has_supplier
from kompas.engine.round import snapshot
from kompas.engine.vendor import VendorAnswer
from kompas.pipeline import explain
from kompas.present.round import next_questions
from kompas.present.round import round_plan
from kompas.present.round import round_story
from kompas.store import base as store_base
from kompas.store import dossier as dossier_store
from kompas.store import local as local_store
from kompas.store import round as round_store
from kompas.store import vendor as store_vendor

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "burenhulp-dorp.yaml"


def _answers() -> dict[str, Any]:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    return dict(data.get("answers", data))


@pytest.fixture(scope="module")
def loaded() -> tuple[Any, Any]:
    return kompas.load()


def test_a_round_asks_the_shortlisted_platforms_with_a_supplier(loaded: tuple[Any, Any]) -> None:
    q, c = loaded
    explanation = explain(q, c, _answers())
    shortlist = explanation.probable.acceptability.shortlist
    plan = round_plan(explanation)
    asked = [pid for pid, _facts in plan]
    assert asked == [p for p in shortlist if has_supplier(c.platform(p))]
    # The example's shortlist holds an approach run by residents: nobody to send a link to.
    assert len(asked) < len(shortlist)
    for pid, facts in plan:
        assert 0 < len(facts) <= 6
        assert all(c.platform(pid).fact(f).status == "unknown" for f in facts)


def test_a_vendors_questions_are_its_most_worth_first(loaded: tuple[Any, Any]) -> None:
    from kompas.engine.probable import ask

    q, c = loaded
    explanation = explain(q, c, _answers())
    ranked = ask(
        q, explanation.catalogue, explanation.advice.answers, explanation.probable, questions=999
    )
    for pid, facts in round_plan(explanation):
        own = [x for x in ranked.questions if x.platform_id == pid]
        assert list(facts) == [x.fact for x in own][: len(facts)]
        worth = [x.worth for x in own[: len(facts)]]
        assert worth == sorted(worth, reverse=True)


def test_before_after_unchanged_without_answers(loaded: tuple[Any, Any]) -> None:
    q, c = loaded
    acc = explain(q, c, _answers()).probable.acceptability
    change = compare(snapshot(acc), acc)
    assert not change.changed
    assert change.before == change.after == acc.shortlist
    assert all(s.before == pytest.approx(s.after, abs=1e-6) for s in change.shifts)


def test_an_answer_that_settles_a_fact_moves_the_shares(loaded: tuple[Any, Any]) -> None:
    q, c = loaded
    explanation = explain(q, c, _answers())
    start = snapshot(explanation.probable.acceptability)
    pid, facts = round_plan(explanation)[0]
    spec = c.facts[facts[0]]
    # Whichever answer to the best question: the expected change is not zero, so some answer
    # moves the shares; try the values the fact can have.
    values: list[Any] = [True, False] if spec.type == "bool" else list(spec.values)[:4]
    moved = False
    for value in values:
        local = {
            pid: {spec.id: Fact(spec.id, "known", value, "leverancier", evidence="leverancier")}
        }
        after = explain(q, c, _answers(), local_facts=local).probable.acceptability
        change = compare(start, after)
        moved = moved or change.changed
    assert moved


# -- storage ---------------------------------------------------------------------------------


@pytest.fixture
def bound(any_database_url: str, make_app: Callable[..., Flask]) -> Any:
    app = make_app(any_database_url)
    made = store_base.make_engine(app.config["DATABASE_URL"])
    try:
        with store_base.using(made):
            yield app
    finally:
        made.dispose()


def _dossier(app: Flask) -> int:
    with app.app_context():
        _token, dossier = dossier_store.create_dossier("Testgemeente", "Adviseur")
    return dossier.id


def test_a_round_stores_links_snapshot_and_status(bound: Flask) -> None:
    dossier_id = _dossier(bound)
    plan = [("p1", ("ads", "hosting")), ("p2", ("cost_per_year",)), ("p3", ())]
    start = {"stance": "neutraal", "shortlist": ["p1", "p2"], "first": {"p1": 0.6, "p2": 0.4}}
    round_id, tokens = round_store.start_round(dossier_id, plan, start, created_by="A")
    assert sorted(tokens) == ["p1", "p2", "p3"]
    links = {pid: store_vendor.find_link(t) for pid, t in tokens.items()}
    assert all(link is not None and link.dossier_id == dossier_id for link in links.values())
    l1, l2, l3 = (links[p] for p in ("p1", "p2", "p3"))
    assert l1 is not None and l2 is not None and l3 is not None
    assert round_store.round_questions(l1.id) == ("ads", "hosting")
    rnd = round_store.latest_round(dossier_id)
    assert rnd is not None and rnd.id == round_id and rnd.snapshot == start
    assert [v.status for v in rnd.vendors] == [SENT, SENT, SENT]
    round_store.mark_opened(l1.id)
    first_open = round_store.latest_round(dossier_id).vendors[0].opened_at  # type: ignore[union-attr]
    round_store.mark_opened(l1.id)  # a second opening keeps the first time
    assert round_store.latest_round(dossier_id).vendors[0].opened_at == first_open  # type: ignore[union-attr]
    sid = store_vendor.save_submission(l2, "ingediend", "N", "R", {})
    rnd = round_store.latest_round(dossier_id)
    assert rnd is not None
    assert [v.status for v in rnd.vendors] == [OPENED, ANSWERED, SENT]
    assert rnd.vendors[1].submission_id == sid
    # A vendor who never answers: after the link's last day its status is expired, the
    # answered one stays answered.
    later = store_base.now() + dt.timedelta(days=31)
    assert [v.status for v in round_store.dossier_rounds(dossier_id, later)[0].vendors] == [
        EXPIRED,
        ANSWERED,
        EXPIRED,
    ]
    assert store_vendor.find_link(tokens["p3"]) is not None  # still valid today
    assert round_store.round_questions(999_999) is None


def test_a_round_is_deleted_with_its_dossier(bound: Flask) -> None:
    dossier_id = _dossier(bound)
    _id, tokens = round_store.start_round(dossier_id, [("p1", ("ads",))], {"shortlist": []})
    with bound.app_context():
        dossier_store.delete_dossier(dossier_id)
    assert round_store.dossier_rounds(dossier_id) == []
    assert store_vendor.find_link(tokens["p1"]) is None
    with store_base.transaction() as session:
        assert session.query(round_store.RoundLinkRow).count() == 0


def test_the_round_story_shows_answers_and_before_after(
    bound: Flask, loaded: tuple[Any, Any]
) -> None:
    q, c = loaded
    dossier_id = _dossier(bound)
    explanation = explain(q, c, _answers())
    plan = round_plan(explanation)
    start = snapshot(explanation.probable.acceptability)
    _id, tokens = round_store.start_round(dossier_id, plan, start)
    pid, facts = plan[0]
    link = store_vendor.find_link(tokens[pid])
    assert link is not None
    spec = c.facts[facts[0]]
    value: Any = True if spec.type == "bool" else next(iter(spec.values))
    given = VendorAnswer(pid, spec.id, value, "https://example.org", dt.date(2026, 12, 1), "N")
    sid = store_vendor.save_submission(link, "ingediend", "N", "R", {})
    assert sid is not None
    local_store.set_local_facts(dossier_id, [given], local_store.VENDOR, sid)
    answers = local_store.answers_by_submission(dossier_id, c)
    assert [a.fact_id for a in answers[sid]] == [spec.id]
    now = explain(q, c, _answers(), local_facts=local_store.local_facts(dossier_id, c))
    rnd = round_store.latest_round(dossier_id)
    assert rnd is not None
    ranked = next_questions(now)
    story = round_story(now, rnd, c, answers, ranked)
    first = story.vendors[0]
    assert first.platform_id == pid and first.status == ANSWERED
    assert len(first.changed) == 1 and "niet bekend" in first.changed[0]
    assert [v.status for v in story.vendors[1:]] == [SENT] * (len(plan) - 1)
    assert story.before and story.after and story.shifts
    unchanged = dataclasses.replace(rnd, snapshot=snapshot(now.probable.acceptability))
    assert not round_story(now, unchanged, c, answers, ranked).changed


# -- command line ----------------------------------------------------------------------------


def test_round_start_and_status_on_the_command_line(
    bound: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from kompas.cli import main

    monkeypatch.setenv("KOMPAS_DATABASE_URL", bound.config["DATABASE_URL"])
    monkeypatch.setenv("KOMPAS_ENV", "development")
    monkeypatch.delenv("KOMPAS_PUBLIC_URL", raising=False)
    monkeypatch.delenv("KOMPAS_TRUSTED_HOSTS", raising=False)
    with bound.app_context():
        token, dossier = dossier_store.create_dossier("Testgemeente", "Adviseur")
        dossier_store.save_answers(dossier.id, _answers())
    none = CliRunner().invoke(main, ["round", "status", token])
    assert none.exit_code == 0, none.output
    assert "nog geen verificatieronde" in none.output
    link = f"http://127.0.0.1:5000/d/{token}"
    out = CliRunner().invoke(main, ["round", "start", link, "--days", "14"])
    assert out.exit_code == 0, out.output
    urls = [line.split(": ", 1)[1] for line in out.output.splitlines() if "/leverancier/" in line]
    rnd = round_store.latest_round(dossier.id)
    assert rnd is not None and len(urls) == len(rnd.vendors) > 0
    assert all(store_vendor.find_link(u.rsplit("/", 1)[1]) is not None for u in urls)
    status = CliRunner().invoke(main, ["round", "status", token, "--lang", "en"])
    assert status.exit_code == 0, status.output
    assert "Verification round of" in status.output
    assert status.output.count("sent, not opened yet") == len(urls)
    wrong = CliRunner().invoke(main, ["round", "status", "geen-dossier"])
    assert wrong.exit_code != 0 and "Geen dossier" in wrong.output


@pytest.mark.parametrize("token", ["-hAbc_9-xYz", "--Abc-9_xYz"])
def test_a_pasted_token_that_starts_with_a_dash_is_the_dossier(
    bound: Flask, monkeypatch: pytest.MonkeyPatch, token: str
) -> None:
    from click.testing import CliRunner

    from kompas.cli import main

    monkeypatch.setenv("KOMPAS_DATABASE_URL", bound.config["DATABASE_URL"])
    monkeypatch.setenv("KOMPAS_ENV", "development")
    with bound.app_context(), monkeypatch.context() as chosen:
        chosen.setattr(dossier_store.secrets, "token_urlsafe", lambda _n: token)
        made, dossier = dossier_store.create_dossier("Testgemeente", "Adviseur")
        dossier_store.save_answers(dossier.id, _answers())
    assert made == token
    status = CliRunner().invoke(main, ["round", "status", token])
    assert status.exit_code == 0, status.output
    assert "nog geen verificatieronde" in status.output
    out = CliRunner().invoke(main, ["round", "start", token, "--days", "14"])
    assert out.exit_code == 0, out.output
    assert round_store.latest_round(dossier.id) is not None
    # A real option still is one, before or after the token; a mistyped one is no dossier.
    english = CliRunner().invoke(main, ["round", "status", "--lang", "en", token])
    assert english.exit_code == 0 and "Verification round of" in english.output
    typo = CliRunner().invoke(main, ["round", "status", token, "--dayz"])
    assert typo.exit_code != 0


def test_round_status_reads_the_dossier_without_building_an_app(
    make_app: Callable[..., Flask],
) -> None:
    """`kompas round status` opens the configured database through kompas.store: no Flask."""
    import os
    import subprocess
    import sys

    app = make_app()
    with app.app_context():
        token, dossier = dossier_store.create_dossier("Testgemeente", "Adviseur")
        dossier_store.save_answers(dossier.id, _answers())
    code = (
        "import sys; from kompas.cli import main\n"
        "main(['round', 'status', sys.argv[1]], standalone_mode=False)\n"
        "print('loaded:', ','.join(m for m in ('flask', 'kompas.web') if m in sys.modules))"
    )
    env = os.environ | {"KOMPAS_DATABASE_URL": app.config["DATABASE_URL"], "KOMPAS_LANG": "nl"}
    out = subprocess.run(
        [sys.executable, "-c", code, token], capture_output=True, text=True, env=env, check=True
    )
    assert "nog geen verificatieronde" in out.stdout
    assert out.stdout.splitlines()[-1] == "loaded: "


@pytest.mark.pdf
def test_the_council_pdf_says_what_the_vendor_said_and_when(
    loaded: tuple[Any, Any], tmp_path: Path
) -> None:
    from kompas.engine.vendor import local_fact_map
    from kompas.report import render_pdf
    from tests.test_probable_pipeline import one_line
    from tests.test_probable_pipeline import pdf_text

    q, c = loaded
    explanation = explain(q, c, _answers())
    pid, facts = round_plan(explanation)[0]
    spec = c.facts[facts[0]]
    value: Any = True if spec.type == "bool" else next(iter(spec.values))
    given = VendorAnswer(pid, spec.id, value, "verklaring", dt.date(2026, 12, 12), "N", "R")
    after = explain(q, c, _answers(), local_facts=local_fact_map([given]))
    text = pdf_text(render_pdf(after, municipality="Kansdorp", full=False), tmp_path)
    assert "volgens de leverancier, 12 december 2026" in one_line(text)
    assert c.platform(pid).name in text
