"""The wizard through Flask's test client: a realistic advisor's walk, resume, edit, exports."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup

import kompas
from kompas.present.words import whole
from kompas.store import base as store_base
from kompas.store import dossier as dossier_store
from kompas.web import create_app

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "burenhulp-dorp.yaml"


def example_answers() -> dict[str, Any]:
    """The realistic answer set of the example file, normalised by the engine."""
    q, _c = kompas.load()
    raw = kompas.engine.yamlsource.load_file(EXAMPLE)[0].plain()
    return {k: v for k, v in kompas.check_answers(q, raw).values.items()}


def form_data(question: kompas.Question, value: Any) -> Any:
    """An answer as a browser would post it."""
    if question.type == "multiple":
        return list(value)
    if question.type == "yesno":
        return "ja" if value else "nee"
    return str(value)


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def start(client, municipality: str = "Dorpen aan de Dijk") -> str:
    """Create a dossier through the start page; returns its token."""
    response = client.post("/nieuw", data={"municipality": municipality, "advisor": "A. de Vries"})
    assert response.status_code == 302
    return response.headers["Location"].split("/d/")[1].strip("/")


def walk(client, token: str, answers: dict[str, Any]) -> list[str]:
    """Answer every step as shown, following follow-up questions; returns the pages visited."""
    q = kompas.load()[0]
    visited = []
    section = q.sections[0].id
    for _ in range(3 * len(q.sections)):
        page = soup(client.get(f"/d/{token}/stap/{section}"))
        shown = [f["id"].removeprefix("vraag-") for f in page.select("[id^=vraag-]")]
        data: dict[str, Any] = {"actie": "volgende"}
        for qid in shown:
            if qid in answers:
                data[qid] = form_data(q.question(qid), answers[qid])
        response = client.post(f"/d/{token}/stap/{section}", data=data)
        assert response.status_code == 302, soup(response).get_text()[:500]
        visited.append(section)
        target = response.headers["Location"]
        if "/overzicht" in target:
            return visited
        section = target.split("/stap/")[1].split("#")[0]
    raise AssertionError(f"the walk did not end: {visited}")


def stored(app, token: str) -> dict[str, Any]:
    with app.app_context():
        return dossier_store.load_answers(dossier_store.find_dossier(token).id)


def test_landing_page_explains_and_starts(client):
    """The landing page says what Kompas does, that it is neutral, and how to start."""
    page = soup(client.get("/"))
    assert page.html["lang"] == "nl"
    text = page.get_text(" ")
    assert "neutraal" in text and "Nieuw advies starten" in text


def test_start_needs_only_the_municipality(client):
    """Starting asks the municipality; an empty name gets a Dutch error next to the field."""
    response = client.post("/nieuw", data={"municipality": ""})
    assert response.status_code == 400
    page = soup(response)
    assert page.select_one(".field-error").get_text(strip=True).startswith("Fout:")
    token = start(client)
    assert len(token) >= 32
    home = soup(client.get(f"/d/{token}/"))
    assert "Bewaar deze link" in home.get_text()
    assert home.select_one("#dossierlink").get_text().endswith(f"/d/{token}/")


def test_full_walk_saves_every_answer_and_gives_the_engines_advice(app, client):
    """A realistic answer set through every step ends in the same advice as the engine's."""
    answers = example_answers()
    token = start(client)
    visited = walk(client, token, answers)
    q, c = kompas.load()
    assert [s.id for s in q.sections] == sorted(set(visited), key=visited.index)
    saved = stored(app, token)
    assert kompas.check_answers(q, saved).values == answers
    page = soup(client.get(f"/d/{token}/advies"))
    expected = kompas.advise(q, c, answers)
    names = [
        row.select_one("th").get_text(strip=True) for row in page.select("table.ranking tbody tr")
    ]
    assert names == [r.platform.name for r in expected.ranking]
    excluded = {
        th.get_text(strip=True)
        for th in page.find(id="uitgesloten").find_parent("section").select("table tbody th")
    }
    assert excluded == {r.platform.name for r in expected.excluded}
    assert expected.top.platform.name in page.select_one("#kort").find_parent("section").get_text()
    vendor = page.find(id="leverancier").find_parent("section").get_text()
    # Vendor questions grouped per question, from the shortlist, most decisive first.
    from kompas.engine.analysis import analyse
    from kompas.present.story import present

    story = present(expected, analyse(q, c, answers), q, c)
    assert story.vendor_topics
    for topic in story.vendor_topics:
        assert str(topic.criterion) in vendor and topic.question in vendor
        assert topic.ask_to in " ".join(vendor.split())


def test_step_shows_count_help_and_step_list(client):
    """Each step shows 'Stap i van n', the step list and every question's help text."""
    q = kompas.load()[0]
    token = start(client)
    section = q.sections[1]
    page = soup(client.get(f"/d/{token}/stap/{section.id}"))
    assert f"Stap 2 van {len(q.sections)}" in page.select_one(".step-count").get_text()
    assert page.select_one('[aria-current="step"]').get_text().startswith(section.title)
    helps = {p.get_text(strip=True) for p in page.select(".help")}
    for question in section.questions:
        if question.show_if is None:
            assert any(h.startswith(question.help[:40]) for h in helps)


def test_resume_from_the_link_in_a_new_client(app, client):
    """Whoever opens the link later (no cookies) finds the saved answers."""
    answers = example_answers()
    token = start(client)
    walk(client, token, answers)
    other = app.test_client()
    overview = soup(other.get(f"/d/{token}/overzicht")).get_text(" ")
    q = kompas.load()[0]
    from kompas.narrative import describe_answer

    for qid, value in answers.items():
        with app.test_request_context():
            assert describe_answer(q.question(qid), value) in overview


def test_back_and_edit(app, client):
    """'Vorige stap' goes back, and changing an answer replaces only that answer."""
    q = kompas.load()[0]
    token = start(client)
    second = q.sections[1]
    response = client.post(f"/d/{token}/stap/{second.id}", data={"actie": "vorige"})
    assert response.headers["Location"].endswith(f"/stap/{q.sections[0].id}")
    single = next(x for x in q.sections[0].questions if x.type == "single" and x.show_if is None)
    first, other = single.options[0].id, single.options[1].id
    client.post(f"/d/{token}/stap/{q.sections[0].id}", data={single.id: first, "actie": "opslaan"})
    assert stored(app, token)[single.id] == first
    client.post(f"/d/{token}/stap/{q.sections[0].id}", data={single.id: other, "actie": "opslaan"})
    assert stored(app, token)[single.id] == other
    client.post(f"/d/{token}/stap/{q.sections[0].id}", data={single.id: "", "actie": "opslaan"})
    assert single.id not in stored(app, token)


def test_conditional_question_appears_without_javascript(app, client):
    """An answer that makes a follow-up visible brings the advisor back to it."""
    q = kompas.load()[0]
    conditional = next(x for x in q.questions if x.show_if is not None and x.show_if.op == "has")
    trigger = q.question(conditional.show_if.subject)
    value = conditional.show_if.operand.value
    if isinstance(value, tuple):  # `values: [...]`: any one of them shows the question
        value = value[0]
    section = next(s for s in q.sections if trigger in s.questions)
    token = start(client)
    before = soup(client.get(f"/d/{token}/stap/{section.id}"))
    assert before.find(id=f"vraag-{conditional.id}") is None
    response = client.post(
        f"/d/{token}/stap/{section.id}", data={trigger.id: [value], "actie": "volgende"}
    )
    target = response.headers["Location"]
    if conditional in section.questions:
        assert target.endswith(f"/stap/{section.id}#vraag-{conditional.id}")
    shown = soup(client.get(target.split("#")[0]))
    if conditional in section.questions:
        assert shown.find(id=f"vraag-{conditional.id}") is not None


def test_validation_error_keeps_input_and_saves_nothing(app, client):
    """A number that is no number: Dutch error by the field, other input kept, nothing saved."""
    q = kompas.load()[0]
    number = next(x for x in q.questions if x.type == "number" and x.show_if is None)
    section = next(s for s in q.sections if number in s.questions)
    text = next((x for x in section.questions if x.type == "text"), None)
    token = start(client)
    data = {number.id: "heel veel", "actie": "volgende"}
    if text:
        data[text.id] = "bewaar deze invoer"
    response = client.post(f"/d/{token}/stap/{section.id}", data=data)
    assert response.status_code == 400
    page = soup(response)
    assert "Vul een getal in" in page.find(id=f"vraag-{number.id}").get_text()
    if text:
        assert "bewaar deze invoer" in page.find(id=f"vraag-{text.id}").get_text()
    assert stored(app, token) == {}


def test_overview_lists_answers_and_what_is_open(client):
    """The overview shows answers per section, 'wijzigen' links and open questions."""
    token = start(client)
    page = soup(client.get(f"/d/{token}/overzicht"))
    q = kompas.load()[0]
    assert len(page.select("main h2")) >= len(q.sections)
    assert "Nog niet beantwoord" in page.get_text()
    links = [a["href"] for a in page.find_all("a") if a.get_text(strip=True).startswith("wijzigen")]
    assert links and all(f"/d/{token}/stap/" in href for href in links)


def test_exports_round_trip(app, client):
    """YAML answers, JSON decision record and CSV match the dossier; the YAML imports again."""
    answers = example_answers()
    token = start(client)
    walk(client, token, answers)
    q, c = kompas.load()

    response = client.get(f"/d/{token}/antwoorden.yaml")
    assert response.mimetype == "application/yaml"
    assert "attachment" in response.headers["Content-Disposition"]
    exported = yaml.safe_load(response.get_data(as_text=True))
    assert kompas.check_answers(q, exported).values == answers

    record = json.loads(client.get(f"/d/{token}/advies.json").get_data(as_text=True))
    assert record["dossier"]["municipality"] == "Dorpen aan de Dijk"
    assert kompas.same_outcome(record, kompas.recompute(record, q, c))

    rows = list(
        csv.reader(
            io.StringIO(
                client.get(f"/d/{token}/advies.csv").get_data(as_text=True).lstrip("\ufeff")
            ),
            delimiter=";",
        )
    )
    assert len(rows) == 1 + len(c.platforms)
    assert rows[1][1] == "kandidaat"
    assert rows[1][3] == kompas.advise(q, c, answers).top.platform.name
    advice = kompas.advise(q, c, answers)
    statuses = {row[2]: row[1] for row in rows[1:]}
    assert all(statuses[r.platform.id] == "voorbeeld van één gemeente" for r in advice.examples)

    upload = (io.BytesIO(response.get_data()), "antwoorden.yaml")
    imported = client.post(
        "/importeren",
        data={"municipality": "Kopie", "answers_file": upload},
        content_type="multipart/form-data",
    )
    assert imported.status_code == 302
    new_token = imported.headers["Location"].split("/d/")[1].strip("/")
    assert kompas.check_answers(q, stored(app, new_token)).values == answers


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"doelen: [burenhulp\n", "is never closed"),
        (b"onbekende_vraag: 3\n", "onbekende vraag 'onbekende_vraag'"),
        (b"- een\n- lijst\n", "verwacht per regel een vraag"),
        (b"\xff\xfe rommel", "geen UTF-8"),
        (b"", "leeg"),
    ],
    ids=["syntax", "unknown-question", "not-a-mapping", "not-utf8", "empty"],
)
def test_import_reports_a_broken_file_and_creates_nothing(app, client, content, message):
    """A broken answers file is refused with a clear message; no dossier is created."""
    response = client.post(
        "/importeren",
        data={"municipality": "X", "answers_file": (io.BytesIO(content), "a.yaml")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert message in soup(response).select_one(".error-summary").get_text()
    with app.app_context(), store_base.transaction() as session:
        assert session.query(dossier_store.DossierRow).count() == 0


def test_import_reports_every_wrong_answer(client):
    """Each answer that does not fit is named, with what would fit."""
    q = kompas.load()[0]
    single = next(x for x in q.questions if x.type == "single")
    number = next(x for x in q.questions if x.type == "number")
    content = f"{single.id}: planeet\n{number.id}: veel\n".encode()
    response = client.post(
        "/importeren",
        data={"municipality": "X", "answers_file": (io.BytesIO(content), "a.yaml")},
        content_type="multipart/form-data",
    )
    problems = [li.get_text() for li in soup(response).select(".error-summary li")]
    assert len(problems) == 2
    assert f"{single.id}: 'planeet' past niet bij deze vraag (kies uit: " in problems[0]


def test_delete_needs_confirmation_and_removes_everything(app, client):
    """Deleting asks first, then removes the dossier: the link gives a friendly 404."""
    token = start(client)
    assert "Weet u zeker" in client.get(f"/d/{token}/verwijderen").get_data(as_text=True)
    assert client.post(f"/d/{token}/verwijderen").status_code == 302
    gone = client.get(f"/d/{token}/")
    assert gone.status_code == 404
    assert "bestaat niet" in gone.get_data(as_text=True)


def test_csrf_is_required(client):
    """With CSRF on (the default), a post without a token gets the friendly 400 page."""
    response = client.post("/nieuw", data={"municipality": "Zonder token"}, csrf=False)
    assert response.status_code == 400
    assert "beveiligingskenmerk" in response.get_data(as_text=True)
    page = soup(client.get("/nieuw"))
    token = page.find("input", attrs={"name": "csrf_token"})["value"]
    response = client.post("/nieuw", data={"municipality": "Met token", "csrf_token": token})
    assert response.status_code == 302
    forged = client.post(
        "/nieuw", data={"municipality": "Vervalst", "csrf_token": token[:-4] + "AAAA"}
    )
    assert forged.status_code == 400


def test_yaml_text_is_escaped(tmp_path, make_app):
    """Text from the data files can never inject markup: '<script>' renders as text."""
    from tests.conftest import MINI_PLATFORMS
    from tests.conftest import MINI_QUESTIONS

    questions = tmp_path / "questions.yaml"
    questions.write_text(
        MINI_QUESTIONS.read_text().replace(
            "Welke doelen?", "Welke <script>alert(1)</script> doelen?"
        )
    )
    app = make_app(QUESTIONS_FILE=str(questions), PLATFORMS_FILE=str(MINI_PLATFORMS))
    client = app.test_client()
    token = start(client, "<b>Gemeente</b>")
    html = client.get(f"/d/{token}/stap/doelen").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>Gemeente</b>" not in html and "&lt;b&gt;Gemeente&lt;/b&gt;" in html


def test_security_headers(client):
    """Every page carries a strict CSP, a same-origin Referrer-Policy and frame protection."""
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_refuses_to_start_without_secret_key_in_production(tmp_path, monkeypatch):
    """Outside development the app refuses to start without a secret key, and says why."""
    from kompas.web import ConfigError

    monkeypatch.delenv("KOMPAS_SECRET_KEY", raising=False)
    monkeypatch.delenv("KOMPAS_DEV", raising=False)
    with pytest.raises(ConfigError, match="KOMPAS_SECRET_KEY"):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'k.db'}"})


def test_advice_page_says_how_sure_it_is(app, client):
    """The advice page shows the stability, the tie-break questions and the combinations."""
    from kompas.engine.analysis import analyse

    answers = example_answers()
    token = start(client)
    walk(client, token, answers)
    q, c = kompas.load()
    analysis = analyse(q, c, answers)
    page = soup(client.get(f"/d/{token}/advies"))
    sure = page.find(id="zekerheid").find_parent("section").get_text(" ")
    from kompas.present.story import present
    from kompas.present.words import stability_label

    assert stability_label(analysis.robustness.label) in sure
    story = present(kompas.advise(q, c, answers), analysis, q, c)
    assert all(line in sure for line in story.robustness.lines)
    if analysis.tied:
        section = page.find(id="verschil").find_parent("section")
        # The tie-break questions link to their step (the section also links other stances).
        links = [a for a in section.find_all("a") if "/stap/" in a.get("href", "")]
        shown = [s.question for s in story.robustness.separators]
        assert [a.get_text(strip=True) for a in links] == shown
        assert all(f"/d/{token}/stap/" in a["href"] for a in links)
    combos = page.find(id="naast-elkaar").find_parent("section")
    best = analysis.combinations.pairs[0]
    assert " + ".join(c.platform(p).name for p in best.platform_ids) in combos.get_text()


def test_what_if_recomputes_without_saving_until_asked(app, client):
    """A what-if changes the ranking shown, not the stored answers; 'opslaan' stores it."""
    q, c = kompas.load()
    answers = example_answers()
    token = start(client)
    walk(client, token, answers)
    before = stored(app, token)
    importance = next(x for x in q.questions if x.type == "importance" and x.id in answers)
    new_value = 0 if answers[importance.id] != 0 else 3
    page = soup(client.get(f"/d/{token}/advies", query_string={importance.id: str(new_value)}))
    assert "Wat-als-berekening" in page.get_text()
    expected = kompas.advise(q, c, {**answers, importance.id: new_value})
    names = [
        row.select_one("th").get_text(strip=True) for row in page.select("table.ranking tbody tr")
    ]
    assert names == [r.platform.name for r in expected.ranking]
    assert stored(app, token) == before
    assert client.get(f"/d/{token}/advies", query_string={importance.id: "7"}).status_code == 400
    saved = client.post(f"/d/{token}/wat-als", data={importance.id: str(new_value)})
    assert saved.status_code == 302
    assert stored(app, token)[importance.id] == new_value


def test_dossier_creation_is_rate_limited_with_a_friendly_page(make_app):
    """Too many new dossiers from one address get a Dutch 429 page."""
    app = make_app(KOMPAS_LIMIT_DOSSIERS="3 per minute")
    client = app.test_client()
    codes = [client.post("/nieuw", data={"municipality": f"G{i}"}).status_code for i in range(4)]
    assert codes == [302, 302, 302, 429]
    page = client.post("/nieuw", data={"municipality": "G"})
    assert "Even rustig aan" in page.get_data(as_text=True)
    assert client.get("/nieuw").status_code == 200  # reading the form is not limited


def test_tokens_never_reach_the_logs():
    """Request paths with a dossier or participant token are redacted in log lines."""
    import logging

    from kompas.web.logs import RedactTokens
    from kompas.web.logs import redact

    token = "P16IOdJAxIdAhVKJle1mt_Hd49IaKjfa"
    assert token not in redact(f'"GET /d/{token}/stap/doelen HTTP/1.1" 200')
    assert redact(f"/w/{token}/p/{token}/klaar") == "/w/…/p/…/klaar"
    record = logging.LogRecord(
        "werkzeug", logging.INFO, __file__, 1, '"GET %s HTTP/1.1"', (f"/d/{token}/",), None
    )
    RedactTokens().filter(record)
    assert token not in record.getMessage()


def test_behind_a_proxy_limits_count_per_visitor(make_app, monkeypatch):
    """With KOMPAS_PROXIES the forwarded address counts, so one visitor cannot block others."""
    monkeypatch.setenv("KOMPAS_PROXIES", "1")
    app = make_app(KOMPAS_LIMIT_DOSSIERS="2 per minute")
    client = app.test_client()

    def post(visitor: str) -> int:
        headers = {"X-Forwarded-For": visitor}
        return client.post("/nieuw", data={"municipality": "G"}, headers=headers).status_code

    assert [post("10.0.0.1") for _ in range(3)] == [302, 302, 429]
    assert post("10.0.0.2") == 302


# ------------------------------------------------ issue 14: feedback, step buttons, prefill


def test_every_save_is_confirmed_with_the_step_number(client):
    """'Volgende stap' lands on the next step with 'Stap 1 opgeslagen' in a status region."""
    q = kompas.load()[0]
    token = start(client)
    first = q.sections[0]
    response = client.post(f"/d/{token}/stap/{first.id}", data={"actie": "volgende"})
    assert response.headers["Location"].endswith(f"/stap/{q.sections[1].id}")
    page = soup(client.get(response.headers["Location"]))
    status = page.select_one("[role=status]")
    assert status is not None
    assert f"Stap 1 opgeslagen: {first.title}." in status.get_text()
    # Shown once: the next page no longer has it.
    again = soup(client.get(response.headers["Location"]))
    assert "opgeslagen:" not in again.get_text()


def test_follow_up_confirmation_stands_in_the_new_question(app, client):
    """A save that adds a follow-up question confirms it inside that question (in view)."""
    q = kompas.load()[0]
    conditional, trigger, section = next(
        (x, q.question(x.show_if.subject), s)
        for s in q.sections
        for x in s.questions
        if x.show_if is not None
        and x.show_if.op == "has"
        and q.question(x.show_if.subject) in s.questions
    )
    value = conditional.show_if.operand.value
    value = value[0] if isinstance(value, tuple) else value
    token = start(client)
    response = client.post(
        f"/d/{token}/stap/{section.id}", data={trigger.id: [value], "actie": "volgende"}
    )
    target = response.headers["Location"]
    assert target.endswith(f"#vraag-{conditional.id}")
    page = soup(client.get(target.split("#")[0]))
    box = page.find(id=f"vraag-{conditional.id}")
    note = box.select_one("[role=status]")
    assert note is not None and "opgeslagen" in note.get_text()
    assert "vervolgvraag" in note.get_text()


def test_step_buttons_save_what_was_typed(app, client):
    """The step list on a step page submits the form: the typed answer is kept."""
    q = kompas.load()[0]
    token = start(client)
    section = next(s for s in q.sections if any(x.type == "text" for x in s.questions))
    text_q = next(x for x in section.questions if x.type == "text")
    other = next(s for s in q.sections if s.id != section.id)
    page = soup(client.get(f"/d/{token}/stap/{section.id}"))
    form_id = page.find("form", method="post")["id"]
    button = page.find("button", value=f"naar:{other.id}")
    assert button is not None and button["form"] == form_id and button["type"] == "submit"
    # Enter in a text field presses the first submit button of the form: 'Volgende stap'.
    first = page.find(lambda t: t.name == "button" and t.get("form") == form_id)
    assert not first.get("name")  # no 'actie': the server goes forward
    response = client.post(
        f"/d/{token}/stap/{section.id}",
        data={"actie": f"naar:{other.id}", text_q.id: "Wat ik net typte"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/stap/{other.id}")
    assert stored(app, token)[text_q.id] == "Wat ik net typte"
    for target, path in (("overzicht", "/overzicht"), ("advies", "/advies")):
        response = client.post(f"/d/{token}/stap/{section.id}", data={"actie": f"naar:{target}"})
        assert response.headers["Location"].endswith(path)
    bad = client.post(f"/d/{token}/stap/{section.id}", data={"actie": "naar:bestaat_niet"})
    assert bad.status_code == 400


def test_inhabitants_from_the_start_prefill_the_question(app, client):
    """The number given when the dossier was made fills the inhabitants question."""
    q = kompas.load()[0]
    question = next(x for x in q.questions if x.prefill == "inhabitants")
    response = client.post(
        "/nieuw", data={"municipality": "Dijkstad", "advisor": "", "inhabitants": "30000"}
    )
    token = response.headers["Location"].split("/d/")[1].strip("/")
    page = soup(client.get(f"/d/{token}/stap/{question.section}"))
    field = page.find("input", attrs={"name": question.id})
    assert field["value"].replace(".", "") == "30000"  # Dutch thousands separator
    assert "Ingevuld met wat u bij het starten" in page.find(id=f"vraag-{question.id}").get_text()
    assert question.id not in stored(app, token)  # saved only with the step
    client.post(
        f"/d/{token}/stap/{question.section}",
        data={"actie": "volgende", question.id: field["value"]},
    )
    assert stored(app, token)[question.id] == 30000
    # An answer given in the wizard wins over the start value.
    client.post(
        f"/d/{token}/stap/{question.section}", data={"actie": "volgende", question.id: "1200"}
    )
    page = soup(client.get(f"/d/{token}/stap/{question.section}"))
    assert page.find("input", attrs={"name": question.id})["value"] == "1.200"


def test_progress_counts_steps_and_questions(client):
    """'Stap 3 van 7 · 0 van N vragen beantwoord', and a progress bar with the same numbers."""
    q = kompas.load()[0]
    token = start(client)
    page = soup(client.get(f"/d/{token}/stap/{q.sections[2].id}"))
    count = page.select_one(".step-count").get_text()
    assert f"Stap 3 van {len(q.sections)}" in count
    bar = page.select_one("progress")
    assert f"{bar['value']} van {bar['max']} vragen beantwoord" in count


def test_comparator_from_the_dossier_shows_its_criteria(app, client):
    """Opened with the dossier, the comparison shows the advice's scores and ✓/✗/? per
    criterion, and a link back to the advice."""
    answers = example_answers()
    token = start(client)
    walk(client, token, answers)
    q, c = kompas.load()
    explained = kompas.explain(q, c, stored(app, token), strict=False)
    advice = explained.advice
    page = soup(client.get(f"/platforms/vergelijk?d={token}"))
    assert page.find("a", string="Terug naar uw advies")["href"] == f"/d/{token}/advies"
    table = page.select_one("table.criteria-compare")
    heads = [th.get_text(strip=True) for th in table.select("thead th")][2:]
    # The advice's shortlist (the one every page names), at most 4 of it, in its order.
    top = [advice.result(row.platform_id) for row in explained.story.shortlist][:4]
    assert len(top) >= 2
    assert heads == [r.platform.name for r in top]
    scores = [td.get_text(" ", strip=True) for td in table.select("tr.score-row td")][1:]
    for cell, r in zip(scores, top, strict=True):
        assert cell.startswith(whole(r.score))
    words = {"met": "ja", "partial": "deels", "unmet": "nee", "unknown": "onbekend"}
    rows = table.select("tbody tr:not(.score-row)")
    counted = [a for a in advice.active if a.must or a.weight > 0]
    assert len(rows) == len(counted)
    for row, a in zip(rows, counted, strict=True):
        assert row.find("th").get_text(strip=True) == a.label
        for td, r in zip(row.select("td.mark"), top, strict=True):
            result = r.result(a.id)
            if result is not None and result.state in words:
                assert td.get_text(" ", strip=True).endswith(words[result.state])
    # A wrong selection keeps the dossier on the list page.
    wrong = client.get(f"/platforms/vergelijk?d={token}&p={top[0].platform.id}")
    assert wrong.status_code == 400
    kept = soup(wrong).find("input", attrs={"name": "d"})
    assert kept is not None and kept["value"] == token
    assert client.get("/platforms/vergelijk?d=geen-geldige-link").status_code == 404


def test_dossier_page_links_to_the_comparison_with_its_criteria(app, client):
    """Once something is answered, the dossier page opens the comparator with the dossier."""
    token = start(client)
    assert (
        soup(client.get(f"/d/{token}/")).find("a", href=f"/platforms/vergelijk?d={token}") is None
    )
    walk(client, token, example_answers())
    link = soup(client.get(f"/d/{token}/")).find("a", href=f"/platforms/vergelijk?d={token}")
    assert link is not None
    assert soup(client.get(link["href"])).select_one("table.criteria-compare") is not None


def test_the_dossier_pages_comparison_is_the_advice_pages_shortlist(client):
    """'De kortlijst van uw advies vergelijken' on the dossier page compares the platforms the
    advice page lists under 'De kortlijst', in its order: all of them, or its first 4 and a
    sentence saying how many there are (dossier made and answered through the forms, CSRF on)."""
    token = start(client)
    walk(client, token, example_answers())
    link = soup(client.get(f"/d/{token}/")).find(
        "a", string="De kortlijst van uw advies vergelijken"
    )
    assert link is not None
    advice = soup(client.get(f"/d/{token}/advies"))
    short = [th.get_text(strip=True) for th in advice.select("table.shortlist tbody th")]
    named = [text.split(". ", 1)[1] for text in short]
    assert len(named) >= 2

    page = soup(client.get(link["href"]))
    table = page.select_one("table.criteria-compare")
    heads = [th.get_text(strip=True) for th in table.select("thead th")][2:]
    assert heads == named[:4]
    said = page.select_one("p.shortlist-chosen").get_text(" ", strip=True)
    if len(named) > 4:
        assert f"De eerste 4 van de {len(named)} platforms op de kortlijst" in said
    else:
        assert said == "De kortlijst van uw advies, in dezelfde volgorde."
