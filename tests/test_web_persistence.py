"""Dossier persistence on a real database: SQLite (a file) and PostgreSQL 15 (a server the
tests start themselves, see tests/pgserver.py).

Every test runs on both backends, through the Flask test client (HTTP-level behaviour) and
the functions of kompas.store.dossier. Question, section and option ids are read from the loaded
questionnaire; none is written here.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient

from kompas.engine.answers import check_answers
from kompas.engine.answers import normalise_answer
from kompas.engine.model import Question
from kompas.engine.model import Questionnaire
from kompas.engine.model import Section
from kompas.store import base as store_base
from kompas.store import dossier as dossier_store
from kompas.web import db
from kompas.web import migrate

BACKENDS = ("sqlite", "postgresql")
TOKEN_PATH = re.compile(r"^/d/([^/]+)/$")
TOKEN_CHARS = re.compile(r"^[A-Za-z0-9_-]+$")
NOT_COUNTING = re.compile(r"niet\s+(meer\s+)?mee", re.IGNORECASE)
BOGUS = "vraag_die_niet_meer_bestaat"
BOGUS_OPTION = "optie_die_niet_meer_bestaat"
# A bad step POST: the step, its form data (or raw body) and the content type (None: form).
StepPost = tuple[Section, Any, str | None]


# -- fixtures ----------------------------------------------------------------------------------


@pytest.fixture
def database_url(any_database_url: str) -> str:
    """Every test here runs on a SQLite file and on the session's PostgreSQL."""
    return any_database_url


# The app, its client and the app factory (`make_app`) are tests/conftest.py's: CSRF on.


# -- helpers -----------------------------------------------------------------------------------


def questionnaire(app: Flask) -> Questionnaire:
    return app.extensions["kompas"]["questionnaire"]  # type: ignore[no-any-return]


def first_question(app: Flask, kind: str) -> Question:
    """The first always-shown question of a type."""
    for question in questionnaire(app).questions:
        if question.type == kind and question.show_if is None:
            return question
    raise AssertionError(f"the questionnaire has no always-shown {kind} question")


def section_of(app: Flask, question: Question) -> Section:
    for section in questionnaire(app).sections:
        if question in section.questions:
            return section
    raise AssertionError(f"{question.id} is in no section")


def two_sections(app: Flask) -> tuple[Section, Section]:
    """Two steps ("A" and "B") that each have always-shown questions."""
    sections = [
        s for s in questionnaire(app).sections if any(q.show_if is None for q in s.questions)
    ]
    assert len(sections) >= 2, "the questionnaire needs two steps with questions"
    return sections[0], sections[1]


def form_answer(question: Question, variant: int) -> str | list[str]:
    """A valid form value for a question; another variant gives (where possible) another answer."""
    kind = question.type
    if kind == "single":
        return question.options[variant % len(question.options)].id
    if kind == "multiple":
        return [question.options[variant % len(question.options)].id]
    if kind == "importance":
        return str(variant % 4)
    if kind == "yesno":
        return "ja" if variant % 2 == 0 else "nee"
    if kind == "number":
        low = int(question.minimum or 0)
        value = low + 1 + variant
        if question.maximum is not None:
            value = min(value, int(question.maximum))
        return str(value)
    return f"Antwoord {variant} op {question.id}"


def fill(section: Section, variant: int) -> dict[str, str | list[str]]:
    """Form values for every always-shown question of a section."""
    return {q.id: form_answer(q, variant) for q in section.questions if q.show_if is None}


def new_dossier(client: FlaskClient, municipality: str = "Testgemeente") -> str:
    """Create a dossier through the form; returns the token from the redirect."""
    response = client.post("/nieuw", data={"municipality": municipality})
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:1000]
    match = TOKEN_PATH.match(urlsplit(response.headers["Location"]).path)
    assert match, response.headers["Location"]
    return match.group(1)


def dossier_id(app: Flask, token: str) -> int:
    with app.app_context():
        dossier = dossier_store.find_dossier(token)
    assert dossier is not None
    return dossier.id


def stored(app: Flask, token: str) -> dict[str, Any]:
    """The answers as stored for the dossier behind a token."""
    with app.app_context():
        return dossier_store.load_answers(dossier_id(app, token))


def step_url(token: str, section: Section) -> str:
    return f"/d/{token}/stap/{section.id}"


def save_step(
    client: FlaskClient, token: str, section: Section, data: dict[str, Any], action: str = "opslaan"
) -> None:
    response = client.post(step_url(token, section), data={**data, "actie": action})
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:2000]


def same_answer(question: Question, stored_value: Any, form_value: Any) -> bool:
    return normalise_answer(question, stored_value) == normalise_answer(question, form_value)


def assert_saved(app: Flask, token: str, data: dict[str, Any]) -> None:
    answers = stored(app, token)
    q = questionnaire(app)
    for qid, value in data.items():
        assert qid in answers, f"{qid} was not saved"
        assert same_answer(q.question(qid), answers[qid], value), (qid, answers[qid], value)


def browser_form(html: str) -> dict[str, list[str]]:
    """What a browser would submit for the page's POST form (without a submit button)."""
    soup = BeautifulSoup(html, "html.parser")
    form = soup.find("form", method="post")
    assert form is not None, "the page has no POST form"
    data: dict[str, list[str]] = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if not name or field.has_attr("disabled"):
            continue
        if field.name == "textarea":
            # Browsers drop one newline right after <textarea>, as the HTML spec says.
            text = field.get_text()
            value = [text[2:] if text.startswith("\r\n") else text.removeprefix("\n")]
        elif field.name == "select":
            value = [o.get("value", o.get_text()) for o in field.find_all("option", selected=True)]
        elif field.get("type") in ("radio", "checkbox"):
            value = [field.get("value", "on")] if field.has_attr("checked") else []
        elif field.get("type") in ("submit", "button", "reset", "image", "file"):
            continue
        else:
            value = [field.get("value", "")]
        data.setdefault(name, []).extend(value)
    return data


def page(client: FlaskClient, url: str, status: int = 200) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    assert response.mimetype == "text/html"
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def table_rows(app: Flask) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table in the database, read directly."""
    engine = db.get_engine(app)
    metadata = sa.MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        return {
            name: [dict(row._mapping) for row in connection.execute(sa.select(table))]
            for name, table in metadata.tables.items()
        }


def count_rows(app: Flask, column: Any, value: int) -> int:
    """How many rows of column's table have that value in it."""
    with db.get_engine(app).connect() as connection:
        statement = sa.select(sa.func.count()).select_from(column.table).where(column == value)
        return int(connection.execute(statement).scalar_one())


# -- creating a dossier and its link -----------------------------------------------------------


def test_new_dossier_needs_a_municipality(app: Flask, client: FlaskClient) -> None:
    response = client.post("/nieuw", data={"municipality": ""})
    assert response.status_code == 400
    assert table_rows(app)["dossier"] == []

    token = new_dossier(client, "Gemeente Nergenshuizen")
    with app.app_context():
        dossier = dossier_store.find_dossier(token)
    assert dossier is not None
    assert dossier.municipality == "Gemeente Nergenshuizen"
    assert page(client, f"/d/{token}/").find(string=re.compile("Nergenshuizen"))


def test_token_is_unguessable_and_stored_only_as_a_hash(app: Flask, client: FlaskClient) -> None:
    tokens = [new_dossier(client, f"Gemeente {i}") for i in range(3)]
    assert len(set(tokens)) == len(tokens)
    for token in tokens:
        # URL-safe base64: 6 bits per character.
        assert TOKEN_CHARS.match(token), token
        assert len(token) * 6 >= 128, f"{token!r} has fewer than 128 bits"

    rows = table_rows(app)
    hashes = {row["token_hash"] for row in rows["dossier"]}
    assert hashes == {hashlib.sha256(t.encode()).hexdigest() for t in tokens}
    for row in rows["dossier"]:
        assert re.fullmatch(r"[0-9a-f]{64}", row["token_hash"])
    # The token itself is nowhere in the database, in no table and no column.
    for table, table_rows_ in rows.items():
        for row in table_rows_:
            for column, value in row.items():
                for token in tokens:
                    assert token not in str(value), f"{table}.{column} holds a token in clear"


# -- saving steps ------------------------------------------------------------------------------


def test_steps_are_saved_and_a_stale_tab_erases_no_other_step(
    app: Flask, client: FlaskClient
) -> None:
    step_a, step_b = two_sections(app)
    token = new_dossier(client)

    # An old tab opens step A before anything is answered, and stays open.
    old_tab = app.test_client()
    response = old_tab.get(step_url(token, step_a))
    assert response.status_code == 200
    stale_form = browser_form(response.get_data(as_text=True))
    for qid in fill(step_a, 0):
        assert qid in stale_form, f"step A's form has no field {qid}"

    # Meanwhile steps A and B are answered in the current tab.
    answers_a, answers_b = fill(step_a, 0), fill(step_b, 0)
    save_step(client, token, step_a, answers_a)
    save_step(client, token, step_b, answers_b)
    assert_saved(app, token, answers_a)
    assert_saved(app, token, answers_b)
    before_b = {q.id: stored(app, token).get(q.id) for q in step_b.questions}

    # The old tab now saves its (stale) step A with other answers: the answers the current
    # tab saved meanwhile are not overwritten; the old tab gets the conflict page (409).
    changed_a = fill(step_a, 1)
    stale_form.update({qid: v if isinstance(v, list) else [v] for qid, v in changed_a.items()})
    response = old_tab.post(step_url(token, step_a), data={**stale_form, "actie": "volgende"})
    assert response.status_code == 409, response.get_data(as_text=True)[:2000]

    after = stored(app, token)
    assert {q.id: after.get(q.id) for q in step_b.questions} == before_b
    assert_saved(app, token, answers_a)  # nothing of the stale form was saved


def test_concurrent_saves_lose_nothing(app: Flask, client: FlaskClient) -> None:
    token = new_dossier(client)
    dossier = dossier_id(app, token)
    threads_n, saves_n = 8, 10
    barrier = threading.Barrier(threads_n)
    errors: list[BaseException] = []

    def work(thread: int) -> None:
        try:
            with app.app_context():
                barrier.wait(timeout=30)
                for i in range(saves_n):
                    dossier_store.save_answers(
                        dossier,
                        {f"gelijktijdig_{thread}_{i}": [thread, i], "gelijktijdig_gedeeld": thread},
                    )
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(threads_n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a save hangs"
    assert not errors, errors

    with app.app_context():
        answers = dossier_store.load_answers(dossier)
    expected = {f"gelijktijdig_{t}_{i}": [t, i] for t in range(threads_n) for i in range(saves_n)}
    assert {k: v for k, v in answers.items() if k in expected} == expected
    assert answers["gelijktijdig_gedeeld"] in range(threads_n)
    assert len(answers) == len(expected) + 1


# -- resuming ----------------------------------------------------------------------------------


def test_a_new_browser_resumes_from_the_link(app: Flask, client: FlaskClient) -> None:
    step_a, step_b = two_sections(app)
    token = new_dossier(client)
    answers = {**fill(step_a, 0), **fill(step_b, 0)}
    save_step(client, token, step_a, fill(step_a, 0))
    save_step(client, token, step_b, fill(step_b, 0))

    fresh = app.test_client()  # another browser: no cookies, only the link
    assert page(fresh, f"/d/{token}/").find("h1")
    overview = page(fresh, f"/d/{token}/overzicht")
    shown = {}
    for dt_tag in overview.find_all("dt"):
        dd_tag = dt_tag.find_next_sibling("dd")
        shown[dt_tag.get_text(" ", strip=True)] = dd_tag
    q = questionnaire(app)
    for qid, value in answers.items():
        question = q.question(qid)
        assert question.text in shown, f"the overview does not list {qid}"
        answer = shown[question.text]
        assert answer is not None
        assert not answer.select(".unanswered"), f"{qid} is shown as unanswered after resuming"
        assert answer.get_text(strip=True), f"{qid} is shown without its answer"
        if question.type == "single":
            option = question.option(value)
            assert option is not None
            assert option.label in answer.get_text(" ", strip=True)
    # The step pages come back filled in for the new browser too.
    form = browser_form(fresh.get(step_url(token, step_a)).get_data(as_text=True))
    for qid, value in fill(step_a, 0).items():
        question = q.question(qid)
        got = form.get(qid, [])
        if question.type == "multiple":
            assert got == value, qid
        else:
            assert got and same_answer(question, got[0], value), (qid, got, value)


# -- a changed questionnaire -------------------------------------------------------------------


def test_answers_the_questionnaire_no_longer_knows_do_not_break_pages(
    app: Flask, client: FlaskClient
) -> None:
    single = first_question(app, "single")
    assert single.option(BOGUS_OPTION) is None
    assert BOGUS not in questionnaire(app).index
    token = new_dossier(client)
    with app.app_context():
        dossier_store.save_answers(
            dossier_id(app, token), {BOGUS: "oud antwoord", single.id: BOGUS_OPTION}
        )

    checked = check_answers(questionnaire(app), stored(app, token), strict=False)
    stale = [i for i in checked.ignored if i.reason != "hidden"]
    assert {(i.question_id, i.reason) for i in stale} == {
        (BOGUS, "unknown_question"),
        (single.id, "invalid"),
    }

    overview = page(client, f"/d/{token}/overzicht")
    bogus = overview.find(string=re.compile(BOGUS))
    assert bogus is not None, "the overview does not list the unknown question's answer"
    block = next(p for p in bogus.parents if NOT_COUNTING.search(p.get_text(" ", strip=True)))
    assert block.find("dt") is None, "the unknown answer is listed among the questions"
    assert single.id in block.get_text(" ", strip=True)
    assert BOGUS_OPTION in block.get_text(" ", strip=True)

    advice = page(client, f"/d/{token}/advies")
    note = advice.find(string=NOT_COUNTING)
    assert note is not None, "the advice does not say that some answers do not count"
    assert str(len(stale)) in note.parent.get_text(" ", strip=True)

    # The step with the invalid answer still opens, and the dossier page too.
    page(client, step_url(token, section_of(app, single)))
    page(client, f"/d/{token}/")


# -- deleting ----------------------------------------------------------------------------------


def test_delete_removes_dossier_and_answers(app: Flask, client: FlaskClient) -> None:
    step_a, _step_b = two_sections(app)
    token = new_dossier(client, "Weg")
    other = new_dossier(client, "Blijft")
    save_step(client, token, step_a, fill(step_a, 0))
    save_step(client, other, step_a, fill(step_a, 1))
    gone, kept = dossier_id(app, token), dossier_id(app, other)
    kept_answers = stored(app, other)
    assert count_rows(app, dossier_store.AnswerRow.dossier_id, gone) > 0

    assert client.get(f"/d/{token}/verwijderen").status_code == 200
    response = client.post(f"/d/{token}/verwijderen")
    assert response.status_code in (302, 303)

    assert count_rows(app, dossier_store.DossierRow.id, gone) == 0
    assert count_rows(app, dossier_store.AnswerRow.dossier_id, gone) == 0
    for url in ("/", "overzicht", "advies", f"stap/{step_a.id}", "verwijderen"):
        page(client, f"/d/{token}/{url.lstrip('/')}", status=404)
    assert client.post(f"/d/{token}/verwijderen").status_code == 404
    assert stored(app, other) == kept_answers
    assert count_rows(app, dossier_store.DossierRow.id, kept) == 1


# -- bad requests ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "token",
    [
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "x",
        "x" * 101,
        "%00%ff",
        "..%2F..",
    ],
)
def test_unknown_link_gives_a_friendly_404(client: FlaskClient, token: str) -> None:
    for url in (f"/d/{token}/", f"/d/{token}/overzicht", f"/d/{token}/advies"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.mimetype == "text/html"
        soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        assert soup.find("h1") is not None
        assert soup.find("a", href="/") is not None, "the 404 page links nowhere"
        assert "Traceback" not in soup.get_text()


def _with(app: Flask, question: Question, value: Any) -> tuple[Section, dict[str, Any]]:
    """The question's whole step with other (valid) answers, and one field set to value.

    Every other field differs from what the test saved first, so a save that should have
    been refused shows up as changed answers.
    """
    section = section_of(app, question)
    return section, {**fill(section, 1), question.id: value}


def _urlencoded(data: dict[str, Any]) -> bytes:
    return urlencode(data, doseq=True).encode("ascii")


def _bad_radio(app: Flask) -> StepPost:
    return (*_with(app, first_question(app, "single"), BOGUS_OPTION), None)


def _bad_number(app: Flask) -> StepPost:
    return (*_with(app, first_question(app, "number"), "heel veel"), None)


def _extra_field(app: Flask) -> StepPost:
    section = section_of(app, first_question(app, "single"))
    return section, {**fill(section, 1), "veld_dat_niet_bestaat": "x"}, None


def _unknown_action(app: Flask) -> StepPost:
    section = section_of(app, first_question(app, "single"))
    return section, {**fill(section, 1), "actie": "alles_wissen"}, None


def _raw_invalid_utf8(app: Flask) -> StepPost:
    question = first_question(app, "text")
    section, data = _with(app, question, "")
    del data[question.id]
    body = _urlencoded(data) + f"&{question.id}=".encode() + b"ongeldig \xff\xfe utf-8"
    return section, body, "application/x-www-form-urlencoded"


def _escaped_invalid_utf8(app: Flask) -> StepPost:
    question = first_question(app, "text")
    section, data = _with(app, question, "")
    del data[question.id]
    body = _urlencoded(data) + f"&{question.id}=ongeldig%FF%FE".encode()
    return section, body, "application/x-www-form-urlencoded"


def _multipart_invalid_utf8(app: Flask) -> StepPost:
    question = first_question(app, "text")
    section, data = _with(app, question, "")
    del data[question.id]
    parts = [
        (name, value)
        for name, values in data.items()
        for value in (values if isinstance(values, list) else [values])
    ]
    body = b"".join(
        f'--grens\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in parts
    )
    body += (
        f'--grens\r\nContent-Disposition: form-data; name="{question.id}"\r\n\r\n'.encode()
        + b"ongeldig \xff\xfe\r\n--grens--\r\n"
    )
    return section, body, "multipart/form-data; boundary=grens"


def _ten_megabytes(app: Flask) -> StepPost:
    return (*_with(app, first_question(app, "text"), "x" * (10 * 1024 * 1024)), None)


def _invalid_utf8_bug(what: str) -> str:
    return (
        "BUG: a step POST whose body is not valid UTF-8 is accepted (302) instead of refused "
        f"with 400; {what}"
    )


BAD_INPUTS = [
    pytest.param(_bad_radio, id="unknown-radio-option"),
    pytest.param(_bad_number, id="number-not-a-number"),
    pytest.param(_extra_field, id="unknown-extra-field"),
    pytest.param(_unknown_action, id="unknown-action"),
    pytest.param(_raw_invalid_utf8, id="invalid-utf8-raw"),
    pytest.param(_escaped_invalid_utf8, id="invalid-utf8-percent-escaped"),
    pytest.param(_multipart_invalid_utf8, id="invalid-utf8-multipart"),
    pytest.param(_ten_megabytes, id="ten-megabytes"),
]


@pytest.mark.parametrize("bad", BAD_INPUTS)
def test_bad_step_input_is_rejected_and_changes_nothing(
    app: Flask,
    client: FlaskClient,
    bad: Callable[[Flask], StepPost],
) -> None:
    section, data, content_type = bad(app)
    token = new_dossier(client)
    save_step(client, token, section, fill(section, 0))
    before = stored(app, token)
    assert before, "nothing was saved to compare with"

    response = client.post(step_url(token, section), data=data, content_type=content_type)
    after = stored(app, token)
    changed = {
        qid: (before.get(qid), after.get(qid))
        for qid in before.keys() | after.keys()
        if before.get(qid) != after.get(qid)
    }
    assert 400 <= response.status_code < 500 and not changed, (
        f"status {response.status_code} (Location: {response.headers.get('Location')}); "
        f"changed answers (before, after): {changed}"
    )
    assert client.get(step_url(token, section)).status_code == 200


# -- migrations --------------------------------------------------------------------------------


def test_fresh_database_upgrades_to_head(make_app: Callable[..., Flask], database_url: str) -> None:
    app = make_app(database_url, migrated=False)
    head = migrate.head_revision()
    assert head is not None
    assert migrate.current_revision(app) is None
    migrate.upgrade(app)
    assert migrate.current_revision(app) == head
    with app.app_context():
        migrate.check_schema(app)


def test_downgrade_to_base_and_upgrade_again(
    make_app: Callable[..., Flask], database_url: str
) -> None:
    app = make_app(database_url, migrated=False)
    migrate.upgrade(app)
    migrate.downgrade(app, "base")
    assert migrate.current_revision(app) is None
    tables = set(sa.inspect(db.get_engine(app)).get_table_names())
    assert not tables & {"dossier", "answer"}
    with pytest.raises(store_base.Unmigrated):
        migrate.check_schema(app)

    migrate.upgrade(app)
    assert migrate.current_revision(app) == migrate.head_revision()
    client = app.test_client()
    token = new_dossier(client)
    step_a, _step_b = two_sections(app)
    save_step(client, token, step_a, fill(step_a, 0))
    assert_saved(app, token, fill(step_a, 0))


def test_upgrading_again_keeps_existing_dossiers(
    make_app: Callable[..., Flask], database_url: str
) -> None:
    app = make_app(database_url, migrated=False)
    migrate.upgrade(app)
    client = app.test_client()
    token = new_dossier(client, "Bewaard")
    step_a, _step_b = two_sections(app)
    save_step(client, token, step_a, fill(step_a, 0))
    before = stored(app, token)

    migrate.upgrade(app)  # already at head: nothing happens
    restarted = make_app(
        database_url, migrated=False
    )  # the next deploy runs `kompas db upgrade` again
    migrate.upgrade(restarted)
    assert migrate.current_revision(restarted) == migrate.head_revision()
    assert stored(restarted, token) == before
    with restarted.app_context():
        dossier = dossier_store.find_dossier(token)
    assert dossier is not None
    assert dossier.municipality == "Bewaard"
    assert page(restarted.test_client(), f"/d/{token}/overzicht").find("h1")
