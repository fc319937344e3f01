"""Issue 11 (points 3, 4, 5, 8): bounded input, bad input as 4xx, stale tabs, shared PDFs.

Every web test here runs with CSRF on, as production does: the client reads the csrf_token
from the page's form before it posts, so checks that run before (or inside) Flask-WTF's
CSRF check are tested the way they run behind gunicorn.
"""

from __future__ import annotations

import io
import multiprocessing
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict

import kompas
from kompas.engine.answers import MAX_TEXT
from kompas.engine.answers import normalise_answer
from kompas.engine.model import Question
from kompas.engine.questionnaire import DEFAULT_QUESTIONS
from kompas.errors import AnswerError
from kompas.report import cache
from kompas.store import base as store_base
from kompas.store import dossier as dossier_store
from kompas.store import workshop as workshop_store
from kompas.web import create_app
from kompas.web import db
from kompas.web import migrate
from kompas.web.answers_file import MAX_PROBLEMS
from tests.conftest import TEST_PDF_TIMEOUT
from tests.test_web_persistence import fill
from tests.test_web_persistence import first_question
from tests.test_web_persistence import section_of
from tests.test_web_persistence import two_sections

CSRF = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|value="([^"]+)" name="csrf_token"'
)


# -- fixtures and helpers -----------------------------------------------------------------------


@pytest.fixture
def any_app(make_app: Callable[..., Flask], any_database_url: str) -> Flask:
    """The CSRF-on app on SQLite and on the suite's PostgreSQL."""
    return make_app(any_database_url)


def questions(app: Flask) -> kompas.Questionnaire:
    return app.extensions["kompas"]["questionnaire"]  # type: ignore[no-any-return]


def csrf(html: str) -> str:
    match = CSRF.search(html)
    assert match, "the page has a form with a csrf_token"
    return match.group(1) or match.group(2)


def post_form(client: FlaskClient, url: str, data: Any, form_page: str | None = None, **kw: Any):
    """POST like a browser: the csrf_token comes from the form page (the url by default)."""
    html = client.get(form_page or url).get_data(as_text=True)
    if isinstance(data, dict):
        data = {**data, "csrf_token": csrf(html)}
    return client.post(url, data=data, **kw)


def new_dossier(client: FlaskClient, municipality: str = "Testgemeente") -> str:
    response = post_form(client, "/nieuw", {"municipality": municipality})
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:1000]
    return urlsplit(response.headers["Location"]).path.split("/")[2]


def stored(app: Flask, token: str) -> dict[str, Any]:
    with app.app_context():
        dossier = dossier_store.find_dossier(token)
        assert dossier is not None
        return dossier_store.load_answers(dossier.id)


def dossier_count(app: Flask) -> int:
    import sqlalchemy as sa

    with db.get_engine(app).connect() as connection:
        return int(connection.execute(sa.text("SELECT count(*) FROM dossier")).scalar_one())


def text(response: Any) -> str:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser").get_text(" ", strip=True)


def friendly(response: Any, status: int) -> None:
    assert response.status_code == status, (response.status_code, text(response)[:1500])
    assert response.mimetype == "text/html"
    assert "Traceback" not in response.get_data(as_text=True)


def page_form(html: str) -> list[tuple[str, str]]:
    """What a browser submits for the page's POST form (checked choices, hidden fields)."""
    form = BeautifulSoup(html, "html.parser").find("form", method="post")
    assert form is not None
    pairs = []
    for field in form.find_all(["input", "textarea"]):
        name = field.get("name")
        if not name:
            continue
        if field.name == "textarea":
            pairs.append((name, field.get_text().removeprefix("\n")))
        elif field.get("type") in ("radio", "checkbox"):
            if field.has_attr("checked"):
                pairs.append((name, field.get("value", "on")))
        elif field.get("type") not in ("submit", "button", "file"):
            pairs.append((name, field.get("value", "")))
    return pairs


def start_workshop(client: FlaskClient, token: str) -> str:
    """Open the dossier's werksessie (default sections); returns the participants' path."""
    page = client.get(f"/d/{token}/werksessie").get_data(as_text=True)
    sections = [
        i["value"]
        for i in BeautifulSoup(page, "html.parser").select("input[name=onderdelen][checked]")
    ]
    started = post_form(
        client,
        f"/d/{token}/werksessie/starten",
        {"onderdelen": sections},
        form_page=f"/d/{token}/werksessie",
    )
    assert started.status_code == 303, text(started)[:1000]
    html = client.get(f"/d/{token}/werksessie").get_data(as_text=True)
    link = re.search(r'id="deelnemerslink">\s*([^<\s]+)', html)
    assert link
    return urlsplit(link.group(1)).path


def text_question(app: Flask) -> Question:
    return first_question(app, "text")


# -- point 3: lengths ---------------------------------------------------------------------------


def test_text_answers_have_a_maximum_length_from_questions_yaml(tmp_path: Path) -> None:
    q, _c = kompas.load()
    question = next(x for x in q.questions if x.type == "text")
    assert normalise_answer(question, "字" * MAX_TEXT) == "字" * MAX_TEXT
    with pytest.raises(AnswerError):
        normalise_answer(question, "字" * (MAX_TEXT + 1))

    # A question may allow fewer characters: `max_length` in questions.yaml.
    source = DEFAULT_QUESTIONS.read_text(encoding="utf-8")
    marker = f"      - id: {question.id}\n        type: text\n"
    assert marker in source
    short = tmp_path / "questions.yaml"
    short.write_text(source.replace(marker, marker + "        max_length: 20\n"), "utf-8")
    q2, _c2 = kompas.load(short)
    limited = q2.question(question.id)
    assert limited.max_length == 20
    assert normalise_answer(limited, "x" * 20) == "x" * 20
    with pytest.raises(AnswerError):
        normalise_answer(limited, "x" * 21)

    bad = tmp_path / "bad.yaml"
    bad.write_text(source.replace(marker, marker + "        max_length: 0\n"), "utf-8")
    with pytest.raises(kompas.DataError, match="max_length"):
        kompas.load(bad)


def test_the_cli_refuses_a_too_long_text_answer(runner: Any, tmp_path: Path) -> None:
    from kompas.cli import main

    q, _c = kompas.load()
    question = next(x for x in q.questions if x.type == "text")
    answers = tmp_path / "antwoorden.yaml"
    answers.write_text(f"{question.id}: {'x' * (MAX_TEXT + 1)}\n", "utf-8")
    result = runner.invoke(main, ["advise", str(answers)])
    assert result.exit_code != 0
    assert f"antwoorden.yaml:1: {question.id}: de tekst is langer dan {MAX_TEXT}" in result.output
    english = runner.invoke(main, ["advise", str(answers), "--lang", "en"])
    assert f"{question.id}: the text is longer than {MAX_TEXT}" in english.output


def test_wizard_refuses_a_too_long_text_answer_with_a_message(app: Flask) -> None:
    client = app.test_client()
    token = new_dossier(client)
    question = text_question(app)
    section = section_of(app, question)
    url = f"/d/{token}/stap/{section.id}"
    data = {**fill(section, 0), question.id: "字" * (MAX_TEXT + 1), "actie": "opslaan"}
    response = post_form(client, url, data)
    friendly(response, 400)
    expected = f"Gebruik ten hoogste {MAX_TEXT} tekens; dit antwoord heeft er {MAX_TEXT + 1}"
    assert expected in text(response)
    assert question.id not in stored(app, token)

    data[question.id] = "字" * MAX_TEXT
    assert post_form(client, url, data).status_code in (302, 303)
    assert stored(app, token)[question.id] == "字" * MAX_TEXT


@pytest.mark.parametrize(
    "name",
    ["   ", "Ede\nbudget_per_jaar: 1", "Ede\r\nx", "Ede\u2028x", "Ede\x85x", "E" * 101],
    ids=["blanks", "newline", "crlf", "line-separator", "next-line", "too-long"],
)
def test_bad_municipality_names_are_refused_everywhere(app: Flask, name: str) -> None:
    client = app.test_client()
    friendly(post_form(client, "/nieuw", {"municipality": name}), 400)
    upload = {
        "municipality": name,
        "answers_file": (io.BytesIO(b"{}\n"), "antwoorden.yaml"),
    }
    friendly(post_form(client, "/importeren", upload, content_type="multipart/form-data"), 400)
    assert dossier_count(app) == 0


def test_workshop_names_are_one_short_line(app: Flask) -> None:
    client = app.test_client()
    token = new_dossier(client)
    path = start_workshop(client, token)
    participant = app.test_client()
    for name in ("wethouder\ntoelichting: x", "   ", "x" * 81):
        friendly(post_form(participant, path, {"naam_of_rol": name}), 400)
    assert post_form(participant, path, {"naam_of_rol": "wethouder"}).status_code == 303


def test_the_yaml_export_cannot_be_injected_through_a_name(app: Flask) -> None:
    """A name stored before names were checked still cannot add answers to the export."""
    client = app.test_client()
    evil = "Ede\nbudget_per_jaar: 999\rreclame: true\u2028x: 1\x85y: 2"
    with app.app_context():
        token, dossier = dossier_store.create_dossier(evil, "a\nb: 1")
        question = text_question(app)
        dossier_store.save_answers(dossier.id, {question.id: "gewoon"})
    body = client.get(f"/d/{token}/antwoorden.yaml").get_data(as_text=True)
    assert yaml.safe_load(body) == {question.id: "gewoon"}
    assert body.splitlines()[0].startswith("# ") and "Ede budget_per_jaar: 999" in body


def test_import_lists_a_bounded_number_of_problems(app: Flask) -> None:
    """A 1 MB answers file with 100,000 unknown keys: 50 problems and a count of the rest."""
    keys = 100_000
    lines = "".join(f"k{i:05d}: 1\n" for i in range(keys)).encode()
    assert len(lines) <= 1024 * 1024
    client = app.test_client()
    token = csrf(client.get("/importeren").get_data(as_text=True))
    # The multipart body written here: Werkzeug's test builder would leave a temporary file.
    body = b"".join(
        f'--grens\r\nContent-Disposition: form-data; name="{n}"\r\n\r\n{v}\r\n'.encode()
        for n, v in (("csrf_token", token), ("municipality", "Ede"))
    )
    body += (
        b'--grens\r\nContent-Disposition: form-data; name="answers_file"; '
        b'filename="groot.yaml"\r\nContent-Type: application/yaml\r\n\r\n'
        + lines
        + b"\r\n--grens--\r\n"
    )
    started = time.process_time()
    response = client.post(
        "/importeren", data=body, content_type="multipart/form-data; boundary=grens"
    )
    spent = time.process_time() - started
    friendly(response, 400)
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    items = [li.get_text() for li in soup.select(".error-summary li")]
    assert len(items) == MAX_PROBLEMS + 1, len(items)
    assert items[0] == "groot.yaml, regel 1: onbekende vraag 'k00000'."
    assert items[-1] == f"… en nog {keys - MAX_PROBLEMS:,} andere problemen.".replace(",", ".")
    assert len(response.data) < 64 * 1024, len(response.data)
    assert dossier_count(app) == 0
    print(f"import of {len(lines)} bytes with {keys} unknown keys: {spent:.2f} s CPU")


def test_import_checks_text_lengths_and_caps_problems_of_parsed_files(app: Flask) -> None:
    question = text_question(app)
    unknown = "".join(f"onbekend_{i}: 1\n" for i in range(MAX_PROBLEMS + 7))
    body = f"{question.id}: {'x' * (MAX_TEXT + 1)}\n{unknown}".encode()
    client = app.test_client()
    upload = {"municipality": "Ede", "answers_file": (io.BytesIO(body), "a.yaml")}
    response = post_form(client, "/importeren", upload, content_type="multipart/form-data")
    friendly(response, 400)
    items = [
        li.get_text()
        for li in BeautifulSoup(response.data, "html.parser").select(".error-summary li")
    ]
    assert len(items) == MAX_PROBLEMS + 1
    assert items[-1] == "… en nog 8 andere problemen."
    limit = f"{MAX_TEXT:,}".replace(",", ".")
    assert any(f"tekst van ten hoogste {limit} tekens" in i for i in items), items[:3]


# -- point 4: bad input is a 4xx with CSRF on -----------------------------------------------------


def test_answers_file_sent_as_a_text_field_is_a_400(app: Flask) -> None:
    client = app.test_client()
    data = {"municipality": "Ede", "answers_file": "toelichting: x"}
    response = post_form(client, "/importeren", data, content_type="multipart/form-data")
    friendly(response, 400)
    assert "Kies een antwoordenbestand" in text(response)
    response = post_form(client, "/importeren", data)  # urlencoded
    friendly(response, 400)
    assert dossier_count(app) == 0


def test_invalid_utf8_is_refused_before_the_csrf_check_reads_the_form(app: Flask) -> None:
    client = app.test_client()
    token = csrf(client.get("/nieuw").get_data(as_text=True))
    body = f"csrf_token={token}&municipality=caf%e9".encode()
    response = client.post("/nieuw", data=body, content_type="application/x-www-form-urlencoded")
    friendly(response, 400)
    assert dossier_count(app) == 0

    dossier = new_dossier(client)
    question = text_question(app)
    section = section_of(app, question)
    url = f"/d/{dossier}/stap/{section.id}"
    token = csrf(client.get(url).get_data(as_text=True))
    body = f"csrf_token={token}&actie=opslaan&{question.id}=caf%e9".encode()
    response = client.post(url, data=body, content_type="application/x-www-form-urlencoded")
    friendly(response, 400)
    assert question.id not in stored(app, dossier)


# -- point 3: the PDF in a child process, with a time limit -----------------------------------------


@pytest.mark.pdf
def test_a_pdf_over_the_time_limit_is_a_friendly_503_and_not_remembered_as_a_500(
    make_app: Callable[..., Flask],
) -> None:
    cache.clear_memory()
    app = make_app(KOMPAS_PDF_TIMEOUT=0.05)  # no real report renders this fast
    client = app.test_client()
    token = new_dossier(client)
    response = client.get(f"/d/{token}/advies.pdf")
    friendly(response, 503)
    assert "te groot om te maken" in text(response)
    assert response.headers.get("Retry-After")
    assert not [p for p in multiprocessing.active_children() if p.name == "kompas-pdf"]

    # Asked again soon: refused at once, without rendering again.
    renders = cache.stats.renders
    friendly(client.get(f"/d/{token}/advies.pdf"), 503)
    assert cache.stats.renders == renders

    # With time enough (and the short memory of the failure gone) the same report renders.
    cache.clear_memory()
    app.config["KOMPAS_PDF_TIMEOUT"] = TEST_PDF_TIMEOUT  # generous: a busy machine renders slowly
    ok = client.get(f"/d/{token}/advies.pdf")
    assert ok.status_code == 200 and ok.data.startswith(b"%PDF")


@pytest.mark.pdf
def test_pdf_renders_are_rate_limited_per_address_but_cached_downloads_are_not(
    make_app: Callable[..., Flask],
) -> None:
    cache.clear_memory()
    app = make_app(KOMPAS_LIMIT_PDF="2 per minute")
    client = app.test_client()
    token = new_dossier(client)
    question = text_question(app)
    with app.app_context():
        dossier = dossier_store.find_dossier(token)
        assert dossier is not None
    for _i in range(3):  # one render, then the cache: never limited
        assert client.get(f"/d/{token}/advies.pdf").status_code == 200
    with app.app_context():
        dossier_store.save_answers(dossier.id, {question.id: "tweede versie"})
    assert client.get(f"/d/{token}/advies.pdf").status_code == 200  # second render
    with app.app_context():
        dossier_store.save_answers(dossier.id, {question.id: "derde versie"})
    friendly(client.get(f"/d/{token}/advies.pdf"), 429)


@pytest.mark.pdf
def test_two_servers_with_one_cache_dir_render_a_report_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = tmp_path / "gedeeld"
    monkeypatch.setenv("KOMPAS_CACHE_DIR", str(shared))
    url = f"sqlite:///{tmp_path / 'kompas.sqlite3'}"
    apps = []
    for name in ("a", "b"):
        app = create_app({"TESTING": True, "SECRET_KEY": "k" * 48, "DATABASE_URL": url})
        app.instance_path = str(tmp_path / f"instance-{name}")
        migrate.upgrade(app)
        apps.append(app)
    try:
        cache.clear_memory()
        token = new_dossier(apps[0].test_client())
        first = apps[0].test_client().get(f"/d/{token}/advies.pdf")
        assert first.status_code == 200
        assert list(shared.glob("*.pdf")), "the report is in the shared folder"
        cache.clear_memory()  # the other server has nothing in memory
        renders = cache.stats.renders
        second = apps[1].test_client().get(f"/d/{token}/advies.pdf")
        assert second.status_code == 200 and second.data == first.data
        assert cache.stats.renders == renders, "the second server rendered it again"
        # Deleting the dossier on either server removes the shared file.
        response = post_form(apps[1].test_client(), f"/d/{token}/verwijderen", {})
        assert response.status_code in (302, 303)
        assert not list(shared.glob("*.pdf"))
    finally:
        for app in apps:
            db.get_engine(app).dispose()


# -- point 5: a stale tab never overwrites a newer answer ------------------------------------------


def with_answers(
    form: list[tuple[str, str]], answers: dict[str, Any], action: str = "opslaan"
) -> list[tuple[str, str]]:
    """A loaded form's fields (csrf_token, revisie, ...) with other answers and an action."""
    pairs = [(n, v) for n, v in form if n not in answers and n != "actie"]
    for qid, value in answers.items():
        pairs += [(qid, v) for v in ([value] if isinstance(value, str) else value)]
    return [*pairs, ("actie", action)]


def test_a_stale_tab_gets_a_conflict_page_and_the_advisor_chooses(any_app: Flask) -> None:
    app = any_app
    section, _other = two_sections(app)
    shown = [q for q in section.questions if q.show_if is None]
    first, second = app.test_client(), app.test_client()
    token = new_dossier(first)
    url = f"/d/{token}/stap/{section.id}"
    stale = page_form(second.get(url).get_data(as_text=True))  # tab 2 opens the step, waits

    assert post_form(first, url, {**fill(section, 0), "actie": "opslaan"}).status_code == 302
    saved = stored(app, token)

    # Tab 2 submits the form it loaded before tab 1 saved, with other answers.
    theirs = fill(section, 1)
    response = second.post(url, data=MultiDict(with_answers(stale, theirs)))
    friendly(response, 409)
    assert stored(app, token) == saved, "the stale tab overwrote answers"
    body = text(response)
    changed = [q for q in shown if saved.get(q.id) != normalise_answer(q, theirs[q.id])]
    assert changed
    for question in changed:
        assert str(question.text) in body

    # Keep the stored answer for the first changed question, take tab 2's for the others.
    conflict_form = page_form(response.get_data(as_text=True))
    choice = {f"keuze_{q.id}": "mijn" for q in changed}
    choice[f"keuze_{changed[0].id}"] = "opgeslagen"
    resolved = [(n, v) for n, v in conflict_form if n not in choice] + list(choice.items())
    done = second.post(url, data=MultiDict(resolved))
    assert done.status_code in (302, 303), text(done)[:2000]
    after = stored(app, token)
    assert after[changed[0].id] == saved[changed[0].id]
    for question in changed[1:]:
        assert normalise_answer(question, after[question.id]) == normalise_answer(
            question, theirs[question.id]
        )


def test_saves_of_different_steps_from_two_tabs_keep_working(any_app: Flask) -> None:
    app = any_app
    step_a, step_b = two_sections(app)
    one, two = app.test_client(), app.test_client()
    token = new_dossier(one)
    url_a, url_b = f"/d/{token}/stap/{step_a.id}", f"/d/{token}/stap/{step_b.id}"
    form_a = page_form(one.get(url_a).get_data(as_text=True))
    form_b = page_form(two.get(url_b).get_data(as_text=True))
    answers_a, answers_b = fill(step_a, 0), fill(step_b, 0)
    assert one.post(url_a, data=MultiDict(with_answers(form_a, answers_a))).status_code == 302
    assert two.post(url_b, data=MultiDict(with_answers(form_b, answers_b))).status_code == 302
    assert set(answers_a) | set(answers_b) <= set(stored(app, token))


def test_a_stale_tab_cannot_undo_a_cleared_answer(app: Flask) -> None:
    question = first_question(app, "yesno")
    section = section_of(app, question)
    one, two = app.test_client(), app.test_client()
    token = new_dossier(one)
    url = f"/d/{token}/stap/{section.id}"
    base = fill(section, 0)
    assert post_form(one, url, {**base, "actie": "opslaan"}).status_code == 302
    stale = page_form(two.get(url).get_data(as_text=True))
    assert post_form(one, url, {**base, question.id: "", "actie": "opslaan"}).status_code == 302
    assert question.id not in stored(app, token)
    friendly(two.post(url, data=MultiDict(with_answers(stale, {}))), 409)
    assert question.id not in stored(app, token)

    # The same conflict page in English.
    english = two.post(url + "?lang=en", data=MultiDict(with_answers(stale, {})))
    friendly(english, 409)
    assert "Changed meanwhile" in text(english) and "Intussen gewijzigd" not in text(english)
    assert "The saved answer:" in text(english) and "Your answer from this form:" in text(english)


def test_workshop_adoption_is_one_transaction(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure while recording the adoption leaves the dossier's answers as they were."""
    from tests.test_web_workshop import group_of_three
    from tests.test_web_workshop import submit as submit_participant

    client = app.test_client()
    token = new_dossier(client)
    path = start_workshop(client, token)
    app.config["WTF_CSRF_ENABLED"] = False  # the participants' part is tested elsewhere
    for name, answers in group_of_three(app):
        participant = app.test_client()
        joined = participant.post(path, data={"naam_of_rol": name})
        assert joined.status_code == 303
        submit_participant(
            participant, urlsplit(joined.headers["Location"]).path, name, answers, app
        )
    app.config["WTF_CSRF_ENABLED"] = True
    before = stored(app, token)

    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("the adoption record could not be written")

    monkeypatch.setattr(workshop_store, "record_adoption", broken)
    facilitator = client.get(f"/d/{token}/werksessie").get_data(as_text=True)
    soup = BeautifulSoup(facilitator, "html.parser")
    form = next(
        f for f in soup.find_all("form", method="post") if "overnemen" in f.get("action", "")
    )
    response = client.post(f"/d/{token}/werksessie/overnemen", data=MultiDict(page_form(str(form))))
    assert response.status_code == 500
    assert stored(app, token) == before, "answers changed without an adoption record"
    with app.app_context():
        dossier = dossier_store.find_dossier(token)
        assert dossier is not None
        workshop = workshop_store.workshop_for_dossier(dossier.id)
    assert workshop is not None and workshop.adopted_at is None


def test_migration_0003_keeps_answers_saved_before_it(
    make_app: Callable[..., Flask], any_database_url: str
) -> None:
    app = make_app(any_database_url, migrated=False)
    migrate.upgrade(app, "0002")
    import sqlalchemy as sa

    with db.get_engine(app).begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO dossier (id, token_hash, municipality, advisor, created_at, "
                "updated_at) VALUES (1, :h, 'Oud', '', :t, :t)"
            ),
            {"h": store_base.hash_token("oud-token"), "t": "2026-11-30 10:00:00"},
        )
        connection.execute(
            sa.text(
                "INSERT INTO answer (dossier_id, question_id, value, updated_at) "
                "VALUES (1, 'toelichting', :v, :t)"
            ),
            {"v": '"bewaard"', "t": "2026-11-30 10:00:00"},
        )
    migrate.upgrade(app)
    assert migrate.current_revision(app) == migrate.head_revision()
    with app.app_context():
        found = dossier_store.open_dossier("oud-token")
        assert found is not None
        dossier, answers = found
        assert answers == {"toelichting": "bewaard"} and dossier.revision == 0
        dossier_store.save_answers(dossier.id, {}, {"toelichting"}, base_revision=0)
        assert dossier_store.load_answers(dossier.id) == {}
    migrate.downgrade(app, "0002")
    migrate.upgrade(app)


# -- digits that str.isdigit() accepts and int() does not (found by the form fuzzer) ------------

ODD_DIGITS = ["²", "³", "①", "1²"]


def test_odd_digits_are_answer_errors_not_crashes() -> None:
    """'²' passes str.isdigit() but not int(): an importance or number answer is refused."""
    questions = kompas.load()[0]
    importance = next(q for q in questions.questions if q.type == "importance")
    number = next(q for q in questions.questions if q.type == "number")
    for raw in ODD_DIGITS:
        with pytest.raises(AnswerError):
            normalise_answer(importance, raw)
        with pytest.raises(AnswerError):
            normalise_answer(number, raw)
    # An infinite or undefined number is no answer either.
    for raw in ("1e999", "-1e999", "nan", "inf"):
        with pytest.raises(AnswerError):
            normalise_answer(number, raw)
    assert normalise_answer(importance, " 2 ") == 2


@pytest.mark.parametrize("raw", ODD_DIGITS)
def test_odd_digits_in_a_what_if_or_a_revision_are_a_friendly_400(app: Flask, raw: str) -> None:
    client = app.test_client()
    token = new_dossier(client)
    importance = next(q for q in kompas.load()[0].questions if q.type == "importance")
    friendly(client.get(f"/d/{token}/advies", query_string={importance.id: raw}), 400)
    section = kompas.load()[0].sections[0]
    url = f"/d/{token}/stap/{section.id}"
    form = [(n, v) for n, v in page_form(client.get(url).get_data(as_text=True)) if n != "revisie"]
    response = client.post(url, data=MultiDict([*form, ("revisie", raw)]))
    assert 400 <= response.status_code < 500, response.status_code
    assert "Traceback" not in response.get_data(as_text=True)
