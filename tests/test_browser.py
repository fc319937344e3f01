"""Kompas in a real browser: the advisor's walk, no-JS, a workshop, accessibility, keyboard, security.

One headless Chromium (Debian's, see tests/browser_helpers.py) serves the whole module; every
scenario gets its own browser context (its own cookies: another browser). The app runs as in
production (tests/tls_helpers.py): gunicorn over TLS on 127.0.0.1 with a certificate the test
makes, a real secret key, CSRF on, no development mode, on PostgreSQL. Question ids come from
the loaded questionnaire and platforms from the engine's advice: no platform is named here.

Screenshots of every page type go to test-output/screenshots/; the axe findings that do not
fail the test (moderate, minor) are printed and written to test-output/axe-findings.txt.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

import kompas
from kompas.engine.workshop import aggregate
from kompas.narrative import describe_answer
from kompas.web import create_app
from kompas.web.migrate import upgrade
from tests import browser_helpers as bh
from tests import tls_helpers

pytestmark = [pytest.mark.browser, pytest.mark.gunicorn, pytest.mark.postgres]

QUESTIONNAIRE, CATALOGUE = kompas.load()


# -- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(tls_server: tls_helpers.ProductionServer) -> tls_helpers.ProductionServer:
    """The session's TLS server (conftest): every test here makes its own dossier."""
    return tls_server


@pytest.fixture(scope="module")
def answers(server: tls_helpers.ProductionServer) -> dict[str, Any]:
    return bh.example_answers(server.questionnaire)


@dataclass
class Advisor:
    """A dossier an advisor completed in the browser, and what the browser saw on the way."""

    context: Any
    recorder: bh.Recorder
    token: str
    link: str
    visited: list[str]
    overview: str
    advice_url: str
    top_row: str


@pytest.fixture(scope="module")
def advisor(
    browser: Any, server: tls_helpers.ProductionServer, answers: dict[str, Any]
) -> Iterator[Advisor]:
    """Landing -> new dossier -> every step by clicking -> overview -> advice."""
    context, recorder = bh.new_context(browser)
    page = context.new_page()
    token = bh.start_dossier(page, server.url, "Dorpen aan de Dijk")
    link = page.locator("#dossierlink").inner_text().strip()
    visited = bh.walk(page, server.questionnaire, answers)
    overview = page.locator("main").inner_text()
    page.get_by_role("link", name="Bekijk het advies").first.click()
    page.wait_for_load_state("domcontentloaded")
    page.locator("#rangorde").click()  # the full ranking is folded (issue 22)
    top_row = page.locator("table.ranking tbody tr").first.locator("th").inner_text().strip()
    yield Advisor(context, recorder, token, link, visited, overview, page.url, top_row)
    context.close()


# -- 1. a new advisor completes a dossier ------------------------------------------------------


def test_advisor_walks_every_step_and_gets_the_engines_advice(
    advisor: Advisor, server: tls_helpers.ProductionServer, answers: dict[str, Any]
) -> None:
    """Every step is shown in order (follow-ups on the same step), every answer is saved, and
    the advice page puts the engine's top platform first."""
    q = server.questionnaire
    assert list(dict.fromkeys(advisor.visited)) == [s.id for s in q.sections]
    assert server.stored(advisor.token) == answers
    with server.app.test_request_context():
        for qid, value in answers.items():
            assert describe_answer(q.question(qid), value) in advisor.overview, qid
    expected = kompas.advise(q, CATALOGUE, answers)
    assert expected.top is not None
    assert advisor.top_row == expected.ranking[0].platform.name == expected.top.platform.name
    assert not advisor.recorder.server_errors
    assert not advisor.recorder.page_errors


def test_advisor_resumes_from_the_link_in_a_new_browser(
    browser: Any, advisor: Advisor, server: tls_helpers.ProductionServer, answers: dict[str, Any]
) -> None:
    """The link copied from #dossierlink opens the dossier in another browser (no cookies)."""
    assert advisor.link == f"{server.url}/d/{advisor.token}/"
    context, recorder = bh.new_context(browser)
    try:
        page = context.new_page()
        page.goto(advisor.link)
        assert page.get_by_role("heading", level=1).inner_text().endswith("Dorpen aan de Dijk")
        page.get_by_role("link", name="Overzicht van de antwoorden").click()
        assert bh.path_of(page) == f"/d/{advisor.token}/overzicht"
        text = page.locator("main").inner_text()
        with server.app.test_request_context():
            for qid, value in answers.items():
                assert describe_answer(server.questionnaire.question(qid), value) in text, qid
        assert not recorder.server_errors
    finally:
        context.close()


def test_advisor_compares_platforms_from_the_advice_page(advisor: Advisor) -> None:
    """Ticking three platforms in the ranking and submitting shows them side by side."""
    page = advisor.context.new_page()
    page.goto(advisor.advice_url)
    page.locator("#rangorde").click()  # the full ranking is folded (issue 22)
    rows = page.locator("table.ranking tbody tr")
    boxes = page.locator("table.ranking input[type=checkbox][name=p]")
    for i in range(boxes.count()):
        boxes.nth(i).uncheck()
    chosen = []
    for i in (0, 1, 2):
        rows.nth(i).locator("input[type=checkbox]").check()
        chosen.append(rows.nth(i).locator("th").inner_text().strip())
    page.get_by_role("button", name="Vergelijk de aangevinkte platforms").click()
    assert bh.path_of(page) == "/platforms/vergelijk"
    facts = "table.compare:not(.criteria-compare)"
    headers = page.locator(f"{facts} thead th[scope=col]").all_inner_texts()
    assert [h.strip() for h in headers[1:]] == chosen
    assert page.locator(f"{facts} tbody tr").count() == len(CATALOGUE.facts)
    # Opened from the advice, it also compares them on the dossier's own criteria.
    criteria = page.locator("table.criteria-compare thead th[scope=col]").all_inner_texts()
    assert [h.strip() for h in criteria[2:]] == chosen
    page.close()


@pytest.mark.pdf
def test_advisor_downloads_the_pdf_report(
    advisor: Advisor, server: tls_helpers.ProductionServer
) -> None:
    """'Download adviesrapport (PDF)' on the advice page gives a PDF with the top platform."""
    page = advisor.context.new_page()
    page.goto(advisor.advice_url)
    link = page.get_by_role("link", name="Download adviesrapport (PDF)")
    if link.count() == 0:
        pytest.fail(
            "the advice page has no link 'Download adviesrapport (PDF)' (route "
            "wizard.export_pdf): the advisor cannot download the report",
            pytrace=False,
        )
    href = link.first.get_attribute("href")
    with page.expect_download(timeout=bh.PDF_TIMEOUT_MS) as info:
        link.first.click(timeout=bh.PDF_TIMEOUT_MS)
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    body = Path(download.path()).read_bytes()
    assert body.startswith(b"%PDF")
    response = advisor.context.request.get(f"{server.url}{href}")
    assert response.status == 200
    assert response.headers["content-type"].split(";")[0] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    text = " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(body)).pages)
    assert advisor.top_row in " ".join(text.split())
    page.close()


def test_an_answers_file_is_imported_over_tls(
    browser: Any, server: tls_helpers.ProductionServer, answers: dict[str, Any]
) -> None:
    """The import form with the example answers file becomes a dossier with those answers."""
    context, recorder = bh.new_context(browser)
    try:
        page = context.new_page()
        page.goto(server.url + "/importeren")
        page.get_by_label("Naam van de gemeente").fill("Inleesdorp")
        page.get_by_label("Antwoordenbestand (YAML)").set_input_files(str(bh.EXAMPLE))
        page.get_by_role("button", name="Inlezen").click()
        page.wait_for_load_state("domcontentloaded")
        bh.fail_on_error_summary(page)
        path = bh.path_of(page)
        assert path.startswith("/d/"), page.url
        assert server.stored(path.split("/")[2]) == answers
        assert not recorder.server_errors
    finally:
        context.close()


# -- 2. without JavaScript -----------------------------------------------------------------------


def test_the_whole_walk_works_without_javascript(
    browser: Any, server: tls_helpers.ProductionServer, answers: dict[str, Any]
) -> None:
    """With JavaScript off: start, every step (follow-ups too), overview, advice, compare."""
    context, recorder = bh.new_context(browser, java_script_enabled=False)
    try:
        page = context.new_page()
        token = bh.start_dossier(page, server.url, "Zonder Script")
        visited = bh.walk(page, server.questionnaire, answers)
        assert list(dict.fromkeys(visited)) == [s.id for s in server.questionnaire.sections]
        assert server.stored(token) == answers
        page.get_by_role("link", name="Bekijk het advies").first.click()
        expected = kompas.advise(server.questionnaire, CATALOGUE, answers)
        page.locator("#rangorde").click()  # the full ranking is folded (issue 22)
        first = page.locator("table.ranking tbody tr").first.locator("th").inner_text()
        assert first.strip() == expected.ranking[0].platform.name
        # The comparison form is a plain GET form: the three pre-ticked platforms.
        page.get_by_role("button", name="Vergelijk de aangevinkte platforms").click()
        facts = "table.compare:not(.criteria-compare)"
        headers = page.locator(f"{facts} thead th[scope=col]").all_inner_texts()
        assert [h.strip() for h in headers[1:]] == [r.platform.name for r in expected.ranking[:3]]
        assert not recorder.server_errors
    finally:
        context.close()


# -- 3. a workshop with three participants -------------------------------------------------------


def test_workshop_with_three_participants(
    browser: Any, server: tls_helpers.ProductionServer
) -> None:
    """The facilitator opens a session, three people join from their own browsers, the
    facilitator sees them, adopts the group's priorities, and the advice states the workshop."""
    q = server.questionnaire
    people = bh.three_participants(q)
    facilitator, f_recorder = bh.new_context(browser)
    contexts = [facilitator]
    try:
        page = facilitator.new_page()
        token = bh.start_dossier(page, server.url, "Werkdorp")
        link = bh.open_workshop(page, server.url, token)
        assert link.startswith(f"{server.url}/w/")
        for name, answers in people:
            context, recorder = bh.new_context(browser)
            contexts.append(context)
            participant = context.new_page()
            bh.join_workshop(participant, link, name)
            bh.answer_workshop(participant, q, answers)
            assert participant.get_by_role("heading", level=1).inner_text() == f"Bedankt, {name}"
            assert not recorder.server_errors

        page.get_by_role("link", name="Pagina vernieuwen").click()
        page.locator("summary", has=page.locator("#deelnemers")).click()  # folded
        table = page.locator("details", has=page.locator("#deelnemers")).locator("table")
        names = [t.strip() for t in table.locator("tbody th[scope=row]").all_inner_texts()]
        assert names == [n for n, _a in people]

        page.get_by_role("button", name="Overnemen in het dossier").click()
        page.wait_for_load_state("domcontentloaded")
        assert "zijn overgenomen in het dossier" in page.locator(".flashes").inner_text()
        assert in_view(page, page.locator(".flashes")), "the result of 'Overnemen' is in view"
        group = aggregate(q, [a for _n, a in people])
        stored = server.stored(token)
        for qid in {qid for _n, a in people for qid in a}:
            value = group.answers.get(qid)
            if value not in (None, ()):
                assert stored[qid] == value, qid

        page.get_by_role("link", name="Naar het advies").click()
        section = page.locator("section", has=page.locator("#werksessie"))
        text = " ".join(section.inner_text().split())
        assert "werksessie met 3 deelnemers" in text
        assert "(" + ", ".join(n for n, _a in people) + ")" in text
        assert not f_recorder.server_errors
    finally:
        for context in contexts:
            context.close()


def in_view(page: Any, locator: Any) -> bool:
    """Whether the element is (wholly) inside the viewport as the page stands."""
    box = locator.bounding_box()
    size = page.viewport_size
    return bool(box and box["y"] >= 0 and box["y"] + box["height"] <= size["height"])


def test_saves_are_confirmed_in_view_on_a_phone(
    browser: Any, server: tls_helpers.ProductionServer
) -> None:
    """At 390 px: 'Stap 1 opgeslagen' is in view after 'Volgende stap'; a step button of the
    step list saves what was typed; a participant's part is confirmed in view too."""
    q = server.questionnaire
    context, recorder = bh.new_context(browser, viewport={"width": 390, "height": 800})
    try:
        page = context.new_page()
        token = bh.start_dossier(page, server.url, "Telefoonwijk")
        page.goto(f"{server.url}/d/{token}/stap/{q.sections[0].id}")
        page.locator("button[name=actie][value=volgende]").click()
        page.wait_for_load_state("domcontentloaded")
        status = page.locator("[role=status]").first
        assert f"Stap 1 opgeslagen: {q.sections[0].title}." in status.inner_text()
        assert in_view(page, status)

        text_q = next(x for x in q.questions if x.type == "text" and x.show_if is None)
        other = next(s for s in q.sections if s.id != text_q.section)
        page.goto(f"{server.url}/d/{token}/stap/{text_q.section}")
        page.locator(f"[name='{text_q.id}']").fill("Getypt en dan een andere stap gekozen")
        page.locator(f"button[value='naar:{other.id}']").click()
        page.wait_for_load_state("domcontentloaded")
        assert bh.path_of(page).endswith(f"/stap/{other.id}")
        assert server.stored(token)[text_q.id] == "Getypt en dan een andere stap gekozen"

        link = bh.open_workshop(page, server.url, token)
        bh.join_workshop(page, link, "wethouder")
        page.locator("button[name=ga][value=volgende]").click()
        page.wait_for_load_state("domcontentloaded")
        status = page.locator("[role=status]").first
        assert "Deel 1 van" in status.inner_text() and in_view(page, status)
        assert not recorder.server_errors
    finally:
        context.close()


# -- 4. accessibility of every page type ---------------------------------------------------------


@dataclass
class Site:
    """A site with something on every page: a walked dossier, an open and a closed workshop."""

    context: Any
    base: str
    token: str  # walked with the example answers; no workshop
    workshop_token: str  # an open workshop with participants
    participant_link: str
    personal_url: str
    closed_link: str


@pytest.fixture(scope="module")
def site(
    browser: Any, server: tls_helpers.ProductionServer, answers: dict[str, Any]
) -> Iterator[Site]:
    q = server.questionnaire
    context, _recorder = bh.new_context(browser)
    page = context.new_page()
    token = bh.start_dossier(page, server.url, "Toegankelijk")
    bh.walk(page, q, answers)

    workshop_token = bh.start_dossier(page, server.url, "Werkstad")
    participant_link = bh.open_workshop(page, server.url, workshop_token)
    personal_url = ""
    for name, person_answers in bh.three_participants(q)[:2]:
        other, _r = bh.new_context(browser)
        p = other.new_page()
        url = bh.join_workshop(p, participant_link, name)
        bh.answer_workshop(p, q, person_answers)
        personal_url = personal_url or url
        other.close()

    closed_token = bh.start_dossier(page, server.url, "Gesloten Gemeente")
    closed_link = bh.open_workshop(page, server.url, closed_token)
    page.get_by_role("button", name="Werksessie sluiten").click()
    page.wait_for_load_state("domcontentloaded")
    page.close()
    yield Site(
        context,
        server.url,
        token,
        workshop_token,
        participant_link,
        personal_url,
        closed_link,
    )
    context.close()


def _goto(path: str, status: int = 200) -> Callable[[Any, Site], None]:
    def visit(page: Any, site: Site) -> None:
        response = page.goto(site.base + path.format(t=site.token, w=site.workshop_token))
        assert response is not None and response.status == status, (path, response)

    return visit


def _new_with_errors(page: Any, site: Site) -> None:
    page.goto(site.base + "/nieuw")
    page.get_by_role("button", name="Dossier aanmaken").click()
    assert page.locator(".field-error").count() >= 1


def _step_with_errors(page: Any, site: Site) -> None:
    number = next(x for x in QUESTIONNAIRE.questions if x.type == "number" and x.show_if is None)
    page.goto(f"{site.base}/d/{site.token}/stap/{number.section}")
    page.locator(f"[name='{number.id}']").fill("heel veel")
    page.locator("button[name=actie][value=volgende]").click()
    assert page.locator(".error-summary").count() == 1


def _import_with_errors(page: Any, site: Site) -> None:
    page.goto(site.base + "/importeren")
    page.get_by_label("Naam van de gemeente").fill("Inleesdorp")
    page.get_by_label("Antwoordenbestand (YAML)").set_input_files(
        {"name": "a.yaml", "mimeType": "application/yaml", "buffer": b"onbekende_vraag: 3\n"}
    )
    page.get_by_role("button", name="Inlezen").click()
    assert "onbekende vraag" in page.locator(".error-summary").inner_text()


def _platform_detail(page: Any, site: Site) -> None:
    page.goto(site.base + "/platforms/")
    page.locator(".platform-card h3 a").first.click()
    assert bh.path_of(page).startswith("/platforms/")


def _compare(page: Any, site: Site) -> None:
    page.goto(site.base + "/platforms/")
    boxes = page.locator("input[type=checkbox][name=p]")
    for i in range(3):
        boxes.nth(i).check()
    page.get_by_role("button", name="Vergelijk geselecteerde platforms").click()
    assert bh.path_of(page) == "/platforms/vergelijk"
    # The documented setbacks of each compared platform, under the tables.
    assert page.locator("#kanttekeningen .drawback-column").count() == 3


def _bad_compare(page: Any, site: Site) -> None:
    response = page.goto(f"{site.base}/platforms/vergelijk?p={CATALOGUE.platforms[0].id}")
    assert response is not None and response.status == 400


def _what_if(page: Any, site: Site) -> None:
    page.goto(f"{site.base}/d/{site.token}/advies")
    page.locator("#wat-als").click()  # the what-if is folded (issue 22)
    select = page.locator("form.what-if select").first
    select.select_option(index=0)
    page.get_by_role("button", name="Herbereken").click()
    assert page.locator(".what-if-banner").count() == 1


def _join(page: Any, site: Site) -> None:
    page.goto(site.participant_link)


def _join_with_errors(page: Any, site: Site) -> None:
    page.goto(site.participant_link)
    page.get_by_role("button", name="Naar de vragen").click()
    assert page.locator(".error-summary").count() == 1


def _answer(page: Any, site: Site) -> None:
    page.goto(site.personal_url)


def _thanks(page: Any, site: Site) -> None:
    page.goto(site.personal_url + "/klaar")


def _closed(page: Any, site: Site) -> None:
    page.goto(site.closed_link)
    assert "gesloten" in page.get_by_role("heading", level=1).inner_text()


PAGES: dict[str, Callable[[Any, Site], None]] = {
    "start": _goto("/"),
    "werkwijze": _goto("/werkwijze"),
    "nieuw": _goto("/nieuw"),
    "nieuw-fouten": _new_with_errors,
    "dossier": _goto("/d/{t}/"),
    **{f"stap-{s.id}": _goto(f"/d/{{t}}/stap/{s.id}") for s in QUESTIONNAIRE.sections},
    "stap-fouten": _step_with_errors,
    "overzicht": _goto("/d/{t}/overzicht"),
    "advies": _goto("/d/{t}/advies"),
    "advies-wat-als": _what_if,
    "platforms": _goto("/platforms/"),
    "platform": _platform_detail,
    "vergelijk": _compare,
    "importeren": _goto("/importeren"),
    "importeren-fouten": _import_with_errors,
    "verwijderen": _goto("/d/{t}/verwijderen"),
    "fout-404": _goto("/d/bestaat-niet/", 404),
    "fout-400": _goto("/platforms/?categorie=bestaat-niet", 400),
    "vergelijk-te-weinig": _bad_compare,
    "vergelijk-dossier": _goto("/platforms/vergelijk?d={t}"),
    "werksessie-start": _goto("/d/{t}/werksessie"),
    "werksessie": _goto("/d/{w}/werksessie"),
    "werksessie-verwijderen": _goto("/d/{w}/werksessie/verwijderen"),
    "deelnemer-aanmelden": _join,
    "deelnemer-aanmelden-fouten": _join_with_errors,
    "deelnemer-vragen": _answer,
    "deelnemer-bedankt": _thanks,
    "werksessie-gesloten": _closed,
}
FINDINGS = bh.ROOT / "test-output" / "axe-findings.txt"


@pytest.fixture(scope="module")
def findings_file() -> Iterator[list[str]]:
    lines: list[str] = []
    yield lines
    FINDINGS.parent.mkdir(parents=True, exist_ok=True)
    FINDINGS.write_text("\n".join(lines) + ("\n" if lines else ""), encoding="utf-8")


@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_serious_accessibility_problems(
    name: str,
    site: Site,
    findings_file: list[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    """axe-core (WCAG 2.1 A and AA rules): nothing serious or critical on any page type.
    Moderate and minor findings are printed; a full-page screenshot is saved."""
    page = site.context.new_page()
    try:
        PAGES[name](page, site)
        page.wait_for_load_state("load")
        bh.screenshot(page, name)
        findings = bh.run_axe(page, name)
    finally:
        page.close()
    blocking = [f for f in findings if f.impact in bh.BLOCKING_IMPACTS]
    others = [f for f in findings if f.impact not in bh.BLOCKING_IMPACTS]
    findings_file.extend(f.line() for f in findings)
    if others:
        with capsys.disabled():
            for finding in others:
                print(f"\naxe: {finding.line()}", end="")
    assert not blocking, "\n".join(f.line() for f in blocking)


WIDTHS = {"laptop": 1280, "telefoon": 390}
# `make screenshots` sets this: a PNG of every page type at both widths in test-output/.
SHOOT = bool(os.environ.get("KOMPAS_SCREENSHOTS"))
WIDTH_SHOTS = bh.ROOT / "test-output" / "pages"


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("name", list(PAGES))
def test_page_fits_the_width_without_violations(name: str, width: str, site: Site) -> None:
    """At 1280 px and at 390 px (a phone) no page scrolls sideways, and axe-core (WCAG 2.1
    A and AA) finds nothing at all."""
    page = site.context.new_page()
    page.set_viewport_size({"width": WIDTHS[width], "height": 900})
    try:
        PAGES[name](page, site)
        page.wait_for_load_state("load")
        if SHOOT:
            WIDTH_SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(WIDTH_SHOTS / f"{name}-{width}.png"), full_page=True)
        scroll, inner = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
        wide = page.evaluate(WIDEST_JS)
        findings = bh.run_axe(page, f"{name}-{width}")
    finally:
        page.close()
    assert scroll <= inner, f"{name} at {WIDTHS[width]} px is {scroll} px wide; widest: {wide}"
    assert not findings, "\n".join(f.line() for f in findings)


# The elements that stick out furthest to the right: what to fix when a page is too wide.
WIDEST_JS = """() => [...document.querySelectorAll('main *')]
  .map(e => [Math.round(e.getBoundingClientRect().right), e.tagName.toLowerCase() +
    (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : '')])
  .filter(([r]) => r > window.innerWidth).sort((a, b) => b[0] - a[0]).slice(0, 5)"""


# -- 5. keyboard only ------------------------------------------------------------------------


def _tab_to(
    page: Any, match: Callable[[dict[str, Any]], bool], seen: list[dict[str, Any]]
) -> dict[str, Any]:
    """Press Tab until the focused element matches; every element passed is kept in seen."""
    for _ in range(80):
        page.keyboard.press("Tab")
        info = bh.focused(page)
        assert info is not None, "focus left the page"
        seen.append(info)
        if match(info):
            return info
    pytest.fail(f"Tab never reached the element; last focused: {seen[-3:]}")


def test_keyboard_only_through_a_step(browser: Any, server: tls_helpers.ProductionServer) -> None:
    """Skip link first, then Tab, Space and arrow keys through the first step, Enter on
    'Volgende stap': the answers are saved and every focused element shows a focus ring."""
    q = server.questionnaire
    section = q.sections[0]
    questions = [x for x in section.questions if x.show_if is None]
    wanted: dict[str, Any] = {}
    for question in questions:
        if question.type == "multiple":
            wanted[question.id] = [o.id for o in question.options[:2]]
        elif question.type == "single":
            wanted[question.id] = question.options[1].id
        elif question.type == "importance":
            wanted[question.id] = 2
        elif question.type == "yesno":
            wanted[question.id] = True
        elif question.type == "number":
            wanted[question.id] = 1200
        elif question.type == "text":
            wanted[question.id] = "Met het toetsenbord ingevuld."
    assert {x.type for x in questions} & {"multiple", "single"}, "the first step has choices"

    context, recorder = bh.new_context(browser)
    try:
        page = context.new_page()
        token = bh.start_dossier(page, server.url, "Toetsenburg")
        page.goto(f"{server.url}/d/{token}/stap/{section.id}")
        seen: list[dict[str, Any]] = []

        # The skip link is the first stop, visible when focused, and leads to the content.
        page.keyboard.press("Tab")
        skip = bh.focused(page)
        assert skip is not None and "skip-link" in skip["cls"], skip
        seen.append(skip)
        box = page.locator(".skip-link").bounding_box()
        assert box is not None and box["x"] >= 0 and box["y"] >= 0, box
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "inhoud"

        for question in questions:
            if question.id not in wanted:
                continue
            qid = question.id
            if question.type == "multiple":
                for i, option in enumerate(question.options):
                    info = _tab_to(page, lambda f, v=option.id: f["value"] == v, seen)
                    assert info["name"] == qid and info["type"] == "checkbox", info
                    if (option.id in wanted[qid]) != info["checked"]:
                        page.keyboard.press("Space")
                    assert bh.focused(page)["checked"] == (option.id in wanted[qid]), i
            elif question.type in ("single", "importance", "yesno"):
                info = _tab_to(page, lambda f, n=qid: f["name"] == n, seen)
                radios = page.locator(f"input[type=radio][name='{qid}']")
                values = radios.evaluate_all("els => els.map(e => e.value)")
                target = {"yesno": "ja" if wanted[qid] else "nee"}.get(
                    question.type, str(wanted[qid])
                )
                steps = values.index(target) - values.index(info["value"])
                for _ in range(abs(steps)):
                    page.keyboard.press("ArrowDown" if steps > 0 else "ArrowUp")
                page.keyboard.press("Space")
                info = bh.focused(page)
                assert info["value"] == target and info["checked"], info
                seen.append(info)
            elif question.type in ("text", "number"):
                _tab_to(page, lambda f, n=qid: f["name"] == n, seen)
                page.keyboard.type(str(wanted[qid]))

        _tab_to(page, lambda f: f["name"] == "actie" and f["value"] == "volgende", seen)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert bh.path_of(page) != f"/d/{token}/stap/{section.id}" or "#vraag-" in page.url

        invisible = [f for f in seen if not bh.focus_visible(f)]
        assert not invisible, f"focused without a visible focus indicator: {invisible}"
        stored = server.stored(token)
        for qid, value in wanted.items():
            expected = kompas.check_answers(q, {qid: value}).values[qid]
            assert stored.get(qid) == expected, qid
        assert not recorder.server_errors
    finally:
        context.close()


def test_enter_in_a_text_field_goes_forward(
    browser: Any, server: tls_helpers.ProductionServer
) -> None:
    """Pressing Enter in the number field of a later step saves and goes to the next step
    (the form's default button is 'Volgende stap', not 'Vorige stap')."""
    q = server.questionnaire
    number = next(
        x
        for x in q.questions
        if x.type == "number" and x.show_if is None and q.sections[0].id != x.section
    )
    index = next(i for i, s in enumerate(q.sections) if s.id == number.section)
    context, _recorder = bh.new_context(browser)
    try:
        page = context.new_page()
        token = bh.start_dossier(page, server.url, "Entermond")
        page.goto(f"{server.url}/d/{token}/stap/{number.section}")
        page.locator(f"[name='{number.id}']").focus()
        page.keyboard.type("12000")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        after = bh.path_of(page)
        assert after.endswith(f"/stap/{q.sections[index + 1].id}") or (
            after.endswith(f"/stap/{number.section}") and "#vraag-" in page.url
        ), page.url
        assert server.stored(token)[number.id] == 12000
    finally:
        context.close()


# -- 6. security in the browser ------------------------------------------------------------------


def test_no_third_party_requests_and_no_csp_errors(
    advisor: Advisor, server: tls_helpers.ProductionServer
) -> None:
    """Every request of the advisor's walk (and of the catalogue pages) stays on the app's
    own origin, and the console shows no Content-Security-Policy violation."""
    page = advisor.context.new_page()
    page.goto(server.url + "/platforms/")
    page.locator(".platform-card h3 a").first.click()
    page.goto(advisor.advice_url)
    page.locator("#toelichting").click()  # the explanations are folded (issue 22)
    page.locator("details.platform").last.locator("summary").click()
    page.close()
    assert len(advisor.recorder.requests) > 2 * len(server.questionnaire.sections)
    foreign = [u for u in advisor.recorder.requests if not u.startswith(server.url + "/")]
    assert not foreign, f"requests to other origins: {foreign}"
    csp = [
        m
        for m in advisor.recorder.console_errors
        if "Content Security Policy" in m or "Content-Security-Policy" in m
    ]
    assert not csp, csp
    assert not advisor.recorder.page_errors


def test_security_headers_and_cookie_flags_in_the_browser(
    browser: Any, server: tls_helpers.ProductionServer
) -> None:
    """A page's headers as the browser got them, and the session cookie's flags."""
    context, _recorder = bh.new_context(browser)
    try:
        page = context.new_page()
        response = page.goto(server.url + "/nieuw")
        assert response is not None and response.status == 200
        headers = response.headers
        csp = headers["content-security-policy"]
        directives = {d.strip().split(" ")[0]: d.strip() for d in csp.split(";")}
        assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
        assert directives["frame-ancestors"] == "frame-ancestors 'none'"
        assert directives["default-src"] == "default-src 'self'"
        assert headers["referrer-policy"] == "same-origin"
        assert headers["strict-transport-security"].startswith("max-age=")
        assert headers["x-content-type-options"] == "nosniff"
        cookies = [
            c
            for c in context.cookies()
            if c["name"] == server.app.config.get("SESSION_COOKIE_NAME", "session")
        ]
        assert cookies, context.cookies()
        cookie = cookies[0]
        assert cookie["httpOnly"] is True
        assert cookie["sameSite"] == "Lax"
        assert cookie["secure"] is True  # production over HTTPS
        assert page.evaluate("document.cookie") == "", "scripts cannot read the session cookie"
    finally:
        context.close()


def test_production_config_sets_secure_cookies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without development or testing flags the session cookie is Secure, HttpOnly, Lax."""
    monkeypatch.delenv("KOMPAS_DEV", raising=False)
    database = f"sqlite:///{tmp_path / 'k.db'}"
    upgrade(create_app({"TESTING": True, "SECRET_KEY": "s" * 40, "DATABASE_URL": database}))
    app = create_app(
        {"SECRET_KEY": "s" * 40, "DATABASE_URL": database, "TRUSTED_HOSTS": ["127.0.0.1"]}
    )
    assert not app.testing and not app.debug
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
