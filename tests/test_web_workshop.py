"""Workshop mode (werksessie) through the Flask test client.

The facilitator opens a session from the dossier, participants answer through their own
link, the facilitator follows the aggregate and the disagreement agenda, adopts it, and
closes the session. Concurrency and cascading deletes run on SQLite (a file) and on
PostgreSQL (a server the tests start themselves, see tests/pgserver.py).

Question, section and option ids are read from the loaded questionnaire; no platform is
named here.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient

import kompas
from kompas.engine.answers import check_answers
from kompas.engine.answers import normalise_answer
from kompas.engine.answers import visible_questions
from kompas.engine.model import Question
from kompas.engine.model import Questionnaire
from kompas.engine.workshop import aggregate
from kompas.engine.workshop import compare_participant
from kompas.engine.workshop import default_sections
from kompas.engine.workshop import priority_questions
from kompas.engine.workshop import priority_sections
from kompas.engine.workshop_policy import group_summary
from kompas.narrative import describe_answer
from kompas.store import dossier as dossier_store
from kompas.store import workshop as workshop_store
from kompas.web import db
from kompas.web.wizard import facilitator_link
from kompas.web.workshop_shared import workshop_summary

LINK = re.compile(r'id="deelnemerslink">\s*([^<\s]+)\s*<')
THREADS = 30


# -- helpers ----------------------------------------------------------------------------------


def questionnaire(app: Flask) -> Questionnaire:
    return app.extensions["kompas"]["questionnaire"]  # type: ignore[no-any-return]


def soup(response: Any) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def new_dossier(client: FlaskClient, municipality: str = "Werkdorp") -> str:
    response = client.post("/nieuw", data={"municipality": municipality})
    assert response.status_code in (302, 303)
    return urlsplit(response.headers["Location"]).path.split("/")[2]


def dossier_id(app: Flask, token: str) -> int:
    with app.app_context():
        dossier = dossier_store.find_dossier(token)
    assert dossier is not None
    return dossier.id


def open_session(client: FlaskClient, token: str, sections: list[str] | None = None) -> str:
    """Open the werksessie (default sections unless given); returns the participant path."""
    page = soup(client.get(f"/d/{token}/werksessie"))
    if sections is None:
        sections = [i["value"] for i in page.select("input[name=onderdelen][checked]")]
    response = client.post(f"/d/{token}/werksessie/starten", data={"onderdelen": sections})
    assert response.status_code == 303, response.get_data(as_text=True)[:1000]
    return participant_path(client, token)


def participant_path(client: FlaskClient, token: str) -> str:
    html = client.get(f"/d/{token}/werksessie").get_data(as_text=True)
    match = LINK.search(html)
    assert match, "the facilitator page shows the participant link"
    return urlsplit(match.group(1)).path


def join(client: FlaskClient, link: str, name: str) -> str:
    """A participant gives a name; returns their personal page's path."""
    response = client.post(link, data={"naam_of_rol": name})
    assert response.status_code == 303, response.get_data(as_text=True)[:1000]
    return urlsplit(response.headers["Location"]).path


def session_questions(app: Flask, sections: list[str] | None = None) -> tuple[Question, ...]:
    q = questionnaire(app)
    chosen = sections if sections is not None else [s.id for s in default_sections(q)]
    return priority_questions(q, chosen)


def pick(app: Flask) -> dict[str, Question]:
    """One always-shown session question of each kind that no follow-up question depends on
    (answering one with a follow-up sends the participant back to the follow-up)."""
    picked: dict[str, Question] = {}
    questions = session_questions(app)
    steering = {
        cond.subject for q in questions if q.show_if is not None for cond in _leaves(q.show_if)
    }
    for question in questions:
        if question.show_if is None and len(question.options) != 1 and question.id not in steering:
            picked.setdefault(question.type, question)
    assert set(picked) >= {"importance", "single", "multiple"}, picked
    return picked


def _leaves(cond: Any) -> list[Any]:
    return [leaf for child in cond.children for leaf in _leaves(child)] if cond.children else [cond]


def form_value(question: Question, value: Any) -> Any:
    if question.type == "multiple":
        return list(value)
    if question.type == "yesno":
        return "ja" if value else "nee"
    return str(value)


def group_of_three(app: Flask) -> list[tuple[str, dict[str, Any]]]:
    """Three participants that agree on little, as (name, engine answers)."""
    qs = pick(app)
    imp, single, multiple = qs["importance"], qs["single"], qs["multiple"]
    o, m = [x.id for x in single.options], [x.id for x in multiple.options]
    people = [
        ("wethouder", {imp.id: 1, single.id: o[0], multiple.id: [m[0]]}),
        ("welzijn", {imp.id: 3, single.id: o[0], multiple.id: [m[0], m[1]]}),
        ("Wmo", {imp.id: "must", single.id: o[1], multiple.id: [m[1]]}),
    ]
    if "yesno" in qs:
        for i, (_name, answers) in enumerate(people):
            answers[qs["yesno"].id] = i != 1
    return people


def submit(client: FlaskClient, personal: str, name: str, answers: dict[str, Any], app: Flask):
    q = questionnaire(app)
    data: dict[str, Any] = {"naam_of_rol": name}
    data.update({qid: form_value(q.question(qid), v) for qid, v in answers.items()})
    return client.post(personal, data=data)


def stored(app: Flask, token: str) -> dict[str, Any]:
    with app.app_context():
        return dossier_store.load_answers(dossier_id(app, token))


def rows(app: Flask, table: str) -> list[dict[str, Any]]:
    with db.get_engine(app).connect() as connection:
        return [dict(r._mapping) for r in connection.execute(sa.text(f"SELECT * FROM {table}"))]


def answers_of(row: dict[str, Any]) -> dict[str, Any]:
    """A participant row's answers (raw SQL gives JSON text on SQLite)."""
    value = row["answers"]
    return json.loads(value) if isinstance(value, str) else value  # type: ignore[no-any-return]


def browser_form(page: BeautifulSoup, action_end: str) -> dict[str, Any]:
    """What a browser submits for the POST form whose action ends with action_end."""
    form = next(f for f in page.find_all("form") if f.get("action", "").endswith(action_end))
    data: dict[str, list[str]] = {}
    for field in form.find_all(["input", "textarea"]):
        name = field.get("name")
        kind = field.get("type", "text")
        if not name or kind == "submit":
            continue
        if kind in ("radio", "checkbox") and not field.has_attr("checked"):
            continue
        value = field.text if field.name == "textarea" else field.get("value", "")
        data.setdefault(name, []).append(value)
    return data


def table_after(page: BeautifulSoup, heading_id: str) -> Any:
    return page.find(id=heading_id).find_next("table")


def row_headers(table: Any) -> list[str]:
    return [th.get_text(" ", strip=True) for th in table.select("tbody th[scope=row]")]


def norm(app: Flask, qid: str, value: Any) -> Any:
    return normalise_answer(questionnaire(app).question(qid), value)


@pytest.fixture
def session(app: Flask, client: FlaskClient) -> tuple[str, str]:
    """A dossier with an open session: (dossier token, participant link path)."""
    token = new_dossier(client)
    return token, open_session(client, token)


@pytest.fixture
def any_app(make_app: Callable[..., Flask], any_database_url: str) -> Flask:
    """The app on a migrated SQLite file or a fresh PostgreSQL database."""
    return make_app(any_database_url)


# -- the facilitator opens a session --------------------------------------------------------


def test_start_page_offers_sections_and_preselects_those_without_numbers(app, client) -> None:
    token = new_dossier(client)
    page = soup(client.get(f"/d/{token}/werksessie"))
    q = questionnaire(app)
    offered = [i["value"] for i in page.select("input[name=onderdelen]")]
    checked = [i["value"] for i in page.select("input[name=onderdelen][checked]")]
    assert offered == [s.id for s in priority_sections(q)]
    assert checked == [s.id for s in default_sections(q)]
    for section in q.sections:
        if section.id in checked:
            assert not any(x.type == "number" for x in section.questions)
    assert page.find("fieldset").find("legend")
    # Nothing chosen: a clear 400, no session.
    response = client.post(f"/d/{token}/werksessie/starten", data={})
    assert response.status_code == 400
    with app.app_context():
        assert workshop_store.workshop_for_dossier(dossier_id(app, token)) is None


def test_three_participants_aggregate_agenda_and_adoption(app, client, session) -> None:
    token, link = session
    q = questionnaire(app)
    people = group_of_three(app)
    personal = {}
    for name, answers in people:
        participant = app.test_client()
        assert participant.get(link).status_code == 200
        personal[name] = join(participant, link, name)
        response = submit(participant, personal[name], name, answers, app)
        assert response.status_code == 303
        assert response.headers["Location"].endswith("/klaar")

    expected = aggregate(q, [a for _n, a in people])
    page = soup(client.get(f"/d/{token}/werksessie"))

    # Who answered.
    assert row_headers(table_after(page, "deelnemers")) == [n for n, _a in people]
    # The agenda: the engine's order, most disagreement first.
    assert expected.agenda, "the three participants disagree somewhere"
    agenda = table_after(page, "agenda")
    assert agenda.find("caption")
    assert [h.split(" criterium:")[0] for h in row_headers(agenda)] == [
        item.question.text for item in expected.agenda
    ]
    # Aggregated priorities: the group answer of every question in words.
    text = page.get_text(" ", strip=True)
    for item in expected.questions:
        if item.value is not None and item.value != ():
            assert describe_answer(item.question, item.value) in text

    # Adoption: a stored answer that the group's answer would change is marked.
    imp = pick(app)["importance"]
    did = dossier_id(app, token)
    budget = next(x for x in q.questions if x.type == "number")
    with app.app_context():
        dossier_store.save_answers(did, {imp.id: 0, budget.id: norm(app, budget.id, 15000)})
    page = soup(client.get(f"/d/{token}/werksessie"))
    changes = table_after(page, "overnemen")
    row = next(tr for tr in changes.select("tbody tr") if imp.text in tr.th.get_text())
    assert row.find_all("td")[-1].get_text(strip=True) == "ja"

    with app.app_context():
        assert workshop_summary(did) is None
    response = client.post(
        f"/d/{token}/werksessie/overnemen", data=browser_form(page, "/werksessie/overnemen")
    )
    assert response.status_code == 303
    answers = stored(app, token)
    for qid, value in expected.answers.items():
        assert norm(app, qid, answers[qid]) == value, qid
    assert norm(app, budget.id, answers[budget.id]) == 15000  # facts stay

    with app.test_request_context():
        summary = workshop_summary(did)
        assert facilitator_link(did, token) == f"/d/{token}/werksessie"
        assert facilitator_link(did, "niet-het-token") is None
    assert summary is not None
    assert summary.participants == 3
    assert summary.roles == tuple(n for n, _a in people)
    assert imp.id in summary.changed
    spreads = [d.spread for d in summary.disagreements]
    assert spreads == sorted(spreads, reverse=True)
    main = [item for item in expected.agenda if item.disagreement >= 0.3][:5]
    assert [d.question_id for d in summary.disagreements] == [item.id for item in main]
    for d in summary.disagreements:
        value = answers.get(d.question_id)
        settled = value if value is None else norm(app, d.question_id, value)
        assert d.settled == (describe_answer(q.question(d.question_id), settled) or "geen antwoord")

    # The advice page and the dossier page state where the priorities came from.
    advice = soup(client.get(f"/d/{token}/advies"))
    statement = advice.find(id="werksessie").find_parent("section").get_text(" ", strip=True)
    assert "werksessie met 3 deelnemers" in statement
    assert all(name in statement for name, _a in people)
    for d in summary.disagreements:
        assert d.label in statement
    home = soup(client.get(f"/d/{token}/"))
    assert home.find("a", href=f"/d/{token}/werksessie")

    # The thank-you page compares the participant's own priorities with the group's.
    name, own = people[2]
    page = soup(app.test_client().get(personal[name] + "/klaar"))
    catalogue = app.extensions["kompas"]["catalogue"]
    with app.app_context():
        base = dict(check_answers(q, dossier_store.load_answers(did), strict=False).values)
    comparison = compare_participant(q, catalogue, base, own, dict(expected.answers))
    sentence = page.find(class_="comparison").get_text(" ", strip=True)
    assert sentence.startswith("Met uw prioriteiten zou")
    assert comparison.mine[0].platform.name in sentence
    assert comparison.group[0].platform.name in sentence


def test_facilitator_edits_the_aggregate_before_adopting(app, client, session) -> None:
    token, link = session
    people = group_of_three(app)
    for name, answers in people:
        participant = app.test_client()
        submit(participant, join(participant, link, name), name, answers, app)
    imp = pick(app)["importance"]
    page = soup(client.get(f"/d/{token}/werksessie"))
    data = browser_form(page, "/werksessie/overnemen")
    data[imp.id] = ["0"]  # after the discussion: it does not matter after all
    assert client.post(f"/d/{token}/werksessie/overnemen", data=data).status_code == 303
    assert stored(app, token)[imp.id] == 0
    with app.app_context():
        summary = workshop_summary(dossier_id(app, token))
    assert summary is not None
    settled = {d.question_id: d.settled for d in summary.disagreements}
    if imp.id in settled:
        assert settled[imp.id] == describe_answer(imp, 0)
    # A form that does not fit is refused and changes nothing.
    before = stored(app, token)
    bad = dict(data)
    bad["vraag_die_niet_bestaat"] = ["1"]
    assert client.post(f"/d/{token}/werksessie/overnemen", data=bad).status_code == 400
    assert stored(app, token) == before


# -- participants -----------------------------------------------------------------------------


def test_participant_edits_their_own_submission(app, client, session) -> None:
    _token, link = session
    imp = pick(app)["importance"]
    participant = app.test_client()
    personal = join(participant, link, "welzijn")
    assert submit(participant, personal, "welzijn", {imp.id: 1}, app).status_code == 303
    assert submit(participant, personal, "Welzijn (Wmo)", {imp.id: 3}, app).status_code == 303
    people = rows(app, "participant")
    assert len(people) == 1
    assert people[0]["name"] == "Welzijn (Wmo)"
    assert answers_of(people[0]) == {imp.id: 3}
    page = soup(participant.get(f"{personal}?deel={imp.section}"))
    checked = page.select_one(f"input[name={imp.id}][checked]")
    assert checked is not None and checked["value"] == "3"
    first = soup(participant.get(personal))  # the name or role is asked on the first part
    assert first.find("input", attrs={"name": "naam_of_rol"})["value"] == "Welzijn (Wmo)"


def test_follow_up_questions_use_the_participants_own_answers(app, client, session) -> None:
    _token, link = session
    q = questionnaire(app)
    questions = session_questions(app)
    ids = {x.id for x in questions}
    found = None
    for question in questions:
        if question.show_if is None or not question.show_if.answers() <= ids:
            continue
        for dep_id in sorted(question.show_if.answers()):
            dep = q.question(dep_id)
            if dep.show_if is not None:
                continue
            for option in dep.options:
                value = [option.id] if dep.type == "multiple" else option.id
                if question in visible_questions(q, {dep_id: norm(app, dep_id, value)}):
                    found = (question, dep, value)
                    break
            if found:
                break
        if found:
            break
    assert found, "the session has a follow-up question"
    follow_up, dep, value = found
    participant = app.test_client()
    personal = join(participant, link, "communicatie")
    page = soup(participant.get(personal))
    assert page.find(id=f"vraag-{follow_up.id}") is None
    response = submit(participant, personal, "communicatie", {dep.id: value}, app)
    assert response.status_code == 303
    target = response.headers["Location"]
    assert target.endswith(f"?deel={follow_up.section}#vraag-{follow_up.id}")
    shown = soup(participant.get(target.split("#")[0])).find(id=f"vraag-{follow_up.id}")
    assert shown is not None
    assert "vervolgvraag" in shown.select_one("[role=status]").get_text()


def test_numbers_and_free_text_stay_with_the_facilitator(app, client) -> None:
    q = questionnaire(app)
    token = new_dossier(client)
    everything = [s.id for s in priority_sections(q)]
    link = open_session(client, token, everything)
    assert any(x.type == "number" for s in q.sections if s.id in everything for x in s.questions)
    participant = app.test_client()
    page = soup(participant.get(join(participant, link, "wethouder")))
    shown = {f["id"].removeprefix("vraag-") for f in page.select("[id^=vraag-]")}
    assert shown
    for qid in shown:
        assert q.question(qid).type not in ("number", "text"), qid
    assert page.find("textarea") is None


def test_name_or_role_is_required_and_short(app, client, session) -> None:
    _token, link = session
    participant = app.test_client()
    assert participant.post(link, data={"naam_of_rol": "  "}).status_code == 400
    assert participant.post(link, data={"naam_of_rol": "x" * 81}).status_code == 400
    assert rows(app, "participant") == []
    join(participant, link, "x" * 80)
    assert len(rows(app, "participant")) == 1


def test_closing_stops_input_and_reopening_allows_it(app, client, session) -> None:
    token, link = session
    imp = pick(app)["importance"]
    participant = app.test_client()
    personal = join(participant, link, "wethouder")
    submit(participant, personal, "wethouder", {imp.id: 2}, app)
    assert client.post(f"/d/{token}/werksessie/sluiten").status_code == 303

    page = participant.get(link)
    assert page.status_code == 200 and "gesloten" in page.get_data(as_text=True)
    assert soup(page).find("form", method="post") is None
    assert participant.post(link, data={"naam_of_rol": "later"}).status_code == 409
    page = participant.get(personal)
    assert page.status_code == 200 and soup(page).find("form", method="post") is None
    assert submit(participant, personal, "wethouder", {imp.id: 0}, app).status_code == 409
    people = rows(app, "participant")
    assert len(people) == 1
    assert answers_of(people[0]) == {imp.id: 2}
    assert participant.get(personal + "/klaar").status_code == 200

    assert client.post(f"/d/{token}/werksessie/heropenen").status_code == 303
    assert submit(participant, personal, "wethouder", {imp.id: 0}, app).status_code == 303


# -- tokens and access ------------------------------------------------------------------------


def test_tokens_are_unguessable_and_stored_hashed(app, client, session, monkeypatch) -> None:
    token, link = session
    link_token = link.strip("/").split("/")[1]
    participant = app.test_client()
    personal = join(participant, link, "wethouder")
    personal_token = personal.rsplit("/", 1)[1]
    for secret in (link_token, personal_token):
        raw = base64.urlsafe_b64decode(secret + "=" * (-len(secret) % 4))
        assert len(raw) * 8 >= 128
    workshops, people = rows(app, "workshop"), rows(app, "participant")
    assert workshops[0]["token_hash"] == hashlib.sha256(link_token.encode()).hexdigest()
    assert people[0]["token_hash"] == hashlib.sha256(personal_token.encode()).hexdigest()
    dump = repr(workshops) + repr(people)
    for secret in (link_token, personal_token, token):
        assert secret not in dump

    calls: list[tuple[str, str]] = []
    original = hmac.compare_digest

    def spy(a: Any, b: Any) -> bool:
        calls.append((a, b))
        return original(a, b)

    monkeypatch.setattr(workshop_store.hmac, "compare_digest", spy)
    assert participant.get(personal).status_code == 200
    assert any(a == hashlib.sha256(personal_token.encode()).hexdigest() for a, _b in calls)


def test_participant_link_reaches_no_facilitator_page_and_no_other_dossier(
    app, client, session
) -> None:
    token, link = session
    link_token = link.strip("/").split("/")[1]
    participant = app.test_client()
    personal = join(participant, link, "wethouder")
    personal_token = personal.rsplit("/", 1)[1]
    for secret in (link_token, personal_token):
        for path in ("/", "/werksessie", "/advies", "/overzicht", "/verwijderen"):
            assert participant.get(f"/d/{secret}{path}").status_code == 404
        for path in ("/sluiten", "/overnemen", "/starten", "/verwijderen"):
            assert participant.post(f"/d/{secret}/werksessie{path}").status_code == 404
    # The dossier token is no participant link either, and no participant page shows it.
    assert participant.get(f"/w/{token}/").status_code == 404
    for path in (link, personal, personal + "/klaar"):
        assert token not in participant.get(path).get_data(as_text=True)
    # Facilitator pages need the dossier token.
    assert participant.get("/d/onzin/werksessie").status_code == 404

    # Another dossier's session: its link does not open this participant's page.
    other_token = new_dossier(client, "Andere gemeente")
    other_link = open_session(client, other_token)
    other_personal = join(app.test_client(), other_link, "wethouder")
    assert participant.get(f"{other_link}p/{personal_token}").status_code == 404
    assert participant.get(f"{link}p/{other_personal.rsplit('/', 1)[1]}").status_code == 404
    assert other_link != link


def test_csrf_protects_facilitator_and_participant_forms(app: Flask) -> None:
    q = questionnaire(app)
    with app.app_context():
        token, dossier = dossier_store.create_dossier("Veilig")
        workshop = workshop_store.create_workshop(
            dossier.id, token, [s.id for s in default_sections(q)]
        )
    link = f"/w/{workshop_store.link_token(token, workshop.link_salt)}/"
    client = app.test_client()
    assert client.post(f"/d/{token}/werksessie/sluiten", csrf=False).status_code == 400
    assert client.post(link, data={"naam_of_rol": "wethouder"}, csrf=False).status_code == 400
    assert rows(app, "participant") == []
    page = soup(client.get(link))
    csrf = page.find("input", attrs={"name": "csrf_token"})["value"]
    response = client.post(link, data={"naam_of_rol": "wethouder", "csrf_token": csrf})
    assert response.status_code == 303
    page = soup(client.get(f"/d/{token}/werksessie"))
    data = browser_form(page, "/werksessie/sluiten")
    assert client.post(f"/d/{token}/werksessie/sluiten", data=data).status_code == 303
    with app.app_context():
        closed = workshop_store.workshop_for_dossier(dossier.id)
    assert closed is not None and not closed.open
    db.get_engine(app).dispose()


def test_pages_are_accessible_and_need_no_inline_style_or_script(app, client, session) -> None:
    token, link = session
    people = group_of_three(app)
    personal = ""
    for name, answers in people:
        participant = app.test_client()
        personal = join(participant, link, name)
        submit(participant, personal, name, answers, app)
    pages = {
        "facilitator": client.get(f"/d/{token}/werksessie"),
        "join": app.test_client().get(link),
        "answer": app.test_client().get(personal),
        "thanks": app.test_client().get(personal + "/klaar"),
    }
    client.post(f"/d/{token}/werksessie/sluiten")
    pages["closed"] = app.test_client().get(link)
    for name, response in pages.items():
        assert response.status_code == 200, name
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
        page = soup(response)
        assert page.find_all(style=True) == [], name
        assert page.find_all(["script", "style"]) == [], name
        assert len(page.find_all("h1")) == 1, name
        for table in page.find_all("table"):
            assert table.find("caption"), name
            assert all(th.get("scope") in ("col", "row") for th in table.find_all("th")), name
        for field in page.find_all(["input", "textarea", "select"]):
            if field.get("type") in ("hidden", "submit"):
                continue
            assert page.find("label", attrs={"for": field["id"]}), (name, field)
        for radio in page.select("input[type=radio], input[type=checkbox]"):
            assert radio.find_parent("fieldset").find("legend"), name
    qr = soup(pages["facilitator"]).find("svg", class_="qr-code")
    assert qr is not None and qr.get("role") == "img" and qr.find("title")


def test_deleting_the_session_keeps_the_dossier(app, client, session) -> None:
    token, link = session
    participant = app.test_client()
    join(participant, link, "wethouder")
    assert client.get(f"/d/{token}/werksessie/verwijderen").status_code == 200
    assert client.post(f"/d/{token}/werksessie/verwijderen").status_code == 303
    assert rows(app, "workshop") == [] and rows(app, "participant") == []
    assert client.get(f"/d/{token}/").status_code == 200
    assert participant.get(link).status_code == 404


# -- both backends ----------------------------------------------------------------------------


def test_deleting_the_dossier_deletes_session_and_participants(any_app: Flask) -> None:
    client = any_app.test_client()
    token = new_dossier(client, "Weg")
    keep = new_dossier(client, "Blijft")
    imp = pick(any_app)["importance"]
    for dossier_token in (token, keep):
        link = open_session(client, dossier_token)
        for name in ("wethouder", "welzijn"):
            participant = any_app.test_client()
            submit(participant, join(participant, link, name), name, {imp.id: 2}, any_app)
    assert len(rows(any_app, "workshop")) == 2
    assert len(rows(any_app, "participant")) == 4
    assert client.post(f"/d/{token}/verwijderen").status_code in (302, 303)
    kept = dossier_id(any_app, keep)
    assert [w["dossier_id"] for w in rows(any_app, "workshop")] == [kept]
    remaining = rows(any_app, "participant")
    assert len(remaining) == 2
    assert {p["workshop_id"] for p in remaining} == {rows(any_app, "workshop")[0]["id"]}


def test_thirty_participants_at_the_same_moment_lose_nothing(any_app: Flask) -> None:
    client = any_app.test_client()
    token = new_dossier(client)
    link = open_session(client, token)
    qs = pick(any_app)
    imp, single, multiple = qs["importance"], qs["single"], qs["multiple"]
    levels = ["0", "1", "2", "3", "must"]

    def answers(i: int) -> dict[str, Any]:
        return {
            imp.id: levels[i % len(levels)],
            single.id: single.options[i % len(single.options)].id,
            multiple.id: [multiple.options[i % len(multiple.options)].id],
        }

    joined = threading.Barrier(THREADS)
    ready = threading.Barrier(THREADS)
    problems: list[str] = []

    def work(i: int) -> None:
        try:
            participant = any_app.test_client()
            joined.wait(timeout=60)
            personal = join(participant, link, f"deelnemer {i}")
            ready.wait(timeout=60)
            response = submit(participant, personal, f"deelnemer {i}", answers(i), any_app)
            if response.status_code != 303:
                problems.append(f"{i}: {response.status_code}")
        except Exception as exc:  # reported below, with the thread
            problems.append(f"{i}: {exc!r}")

    threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a submission hangs"
    assert problems == []
    people = {p["name"]: p for p in rows(any_app, "participant")}
    assert len(people) == THREADS
    for i in range(THREADS):
        raw = answers_of(people[f"deelnemer {i}"])
        expected = {qid: norm(any_app, qid, v) for qid, v in answers(i).items()}
        assert {qid: norm(any_app, qid, v) for qid, v in raw.items()} == expected
    page = soup(client.get(f"/d/{token}/werksessie"))
    assert len(row_headers(table_after(page, "deelnemers"))) == THREADS


# -- issue 14: short steps, a summary first, feedback in view, every label translated -------


def test_participant_answers_one_section_per_page(app, client, session) -> None:
    """Each part holds one section; saving says 'Deel 1 van N opgeslagen' on the next part
    and keeps the answers of the other parts."""
    _token, link = session
    q = questionnaire(app)
    questions = session_questions(app)
    parts = [s for s in q.sections if any(x in s.questions for x in questions)]
    assert len(parts) >= 2, "the default session has several sections"
    participant = app.test_client()
    personal = join(participant, link, "wethouder")
    first = soup(participant.get(personal))
    assert [h.get_text(strip=True) for h in first.select("form h2")] == [parts[0].title]
    assert f"Deel 1 van {len(parts)}" in first.select_one(".step-count").get_text()
    shown = [f["id"].removeprefix("vraag-") for f in first.select("[id^=vraag-]")]
    assert shown and all(q.question(i).section == parts[0].id for i in shown)
    steering = {c.subject for x in questions if x.show_if is not None for c in _leaves(x.show_if)}
    imp = next(
        x
        for x in questions
        if x.section == parts[1].id
        and x.show_if is None
        and x.id not in steering
        and x.type in ("importance", "single")
    )
    value = "2" if imp.type == "importance" else imp.options[0].id
    # Part 2 first, then part 1: part 1's save must keep part 2's answer.
    response = participant.post(personal, data={"deel": parts[1].id, imp.id: value, "ga": "vorige"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"?deel={parts[0].id}")
    page = soup(participant.get(response.headers["Location"]))
    status = page.select_one("[role=status]")
    assert status is not None
    assert f"Deel 2 van {len(parts)} opgeslagen: {parts[1].title}." in status.get_text()
    response = participant.post(personal, data={"deel": parts[0].id, "naam_of_rol": "wethouder"})
    assert response.headers["Location"].endswith(f"?deel={parts[1].id}")
    assert answers_of(rows(app, "participant")[0]) == {imp.id: norm(app, imp.id, value)}
    # A part that is not the participant's: 404 to read, 400 to post (nothing saved).
    assert participant.get(f"{personal}?deel=bestaat_niet").status_code == 404
    assert participant.post(personal, data={"deel": "bestaat_niet"}).status_code == 400


def test_facilitator_page_opens_with_the_engines_summary(app, client, session) -> None:
    """'Met de prioriteiten van de groep komt X bovenaan; de grootste verschillen zitten
    in …', from kompas.engine.workshop; the details folded."""
    token, link = session
    q = questionnaire(app)
    people = group_of_three(app)
    for name, answers in people:
        participant = app.test_client()
        submit(participant, join(participant, link, name), name, answers, app)
    agg = aggregate(q, [a for _n, a in people])
    with app.app_context():
        base = dossier_store.load_answers(dossier_id(app, token))
    expected = group_summary(q, app.extensions["kompas"]["catalogue"], base, agg)
    assert expected is not None and expected.top
    page = soup(client.get(f"/d/{token}/werksessie"))
    summary = page.find(id="samenvatting").find_parent("section")
    assert summary.find_previous("h2") is None  # the first section of the page
    sentence = summary.select_one(".comparison").get_text(" ", strip=True)
    assert sentence.startswith("Met de prioriteiten van de groep komt ")
    assert expected.top[0].platform.name in sentence
    advice = kompas.advise(q, app.extensions["kompas"]["catalogue"], {**base, **agg.answers})
    assert expected.top[0].platform.id == advice.ranking[0].platform.id
    if expected.differences:
        assert "de grootste verschillen zitten in" in sentence
    for heading in ("deelnemers", "agenda", "prioriteiten"):
        assert page.find(id=heading).find_parent("details") is not None


def test_adoption_result_stands_in_the_adoption_section(app, client, session) -> None:
    """After 'Overnemen' the page lands on #overnemen and the result is right there."""
    token, link = session
    for name, answers in group_of_three(app):
        participant = app.test_client()
        submit(participant, join(participant, link, name), name, answers, app)
    page = soup(client.get(f"/d/{token}/werksessie"))
    response = client.post(
        f"/d/{token}/werksessie/overnemen", data=browser_form(page, "/overnemen")
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith("#overnemen")
    after = soup(client.get(response.headers["Location"]))
    heading = after.find(id="overnemen")
    status = heading.find_next_sibling()
    assert status.get("role") == "status"
    assert "overgenomen in het dossier" in status.get_text()
    # Said once, there (not also at the top of the page, out of view).
    assert len([s for s in after.select(".flashes") if "overgenomen" in s.get_text()]) == 1


def test_workshop_labels_are_translated(app, client, session) -> None:
    """A tie between two options names them in English on an English page."""
    token, link = session
    single = pick(app)["single"]
    a, b = single.options[0], single.options[1]
    for name, option in (("een", a), ("twee", b)):
        participant = app.test_client()
        submit(participant, join(participant, link, name), name, {single.id: option.id}, app)
    page = soup(client.get(f"/d/{token}/werksessie?lang=en", headers={"Accept-Language": "en"}))
    text = page.get_text(" ", strip=True)
    assert f"tie between {a.label.get('en')} / {b.label.get('en')}" in text
    assert str(a.label) not in text or str(a.label) == a.label.get("en")
