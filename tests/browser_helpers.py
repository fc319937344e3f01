"""Helpers for the real-browser tests: a live app server, Chromium through Playwright, axe-core.

The browser is Debian's Chromium (/usr/bin/chromium, `apt-get install -y chromium`; `make
test-services` installs it when run as root), driven by the `playwright` package. Playwright's
own browser downloads are never used. axe-core comes with `axe-playwright-python` and runs
offline inside the page.

Question ids come from the loaded questionnaire; no platform is named here.
"""

from __future__ import annotations

import os
import secrets
import threading
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from werkzeug.serving import BaseWSGIServer
from werkzeug.serving import WSGIRequestHandler
from werkzeug.serving import make_server

import kompas
from kompas.engine.model import Question
from kompas.engine.model import Questionnaire
from kompas.engine.workshop import default_sections
from kompas.engine.workshop import priority_questions
from kompas.store import dossier as dossier_store
from kompas.web import create_app
from kompas.web import db
from kompas.web.forms import form_value
from kompas.web.migrate import upgrade

if TYPE_CHECKING:
    from playwright.sync_api import Browser
    from playwright.sync_api import BrowserContext
    from playwright.sync_api import Page
    from playwright.sync_api import Playwright

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "burenhulp-dorp.yaml"
SCREENSHOTS = ROOT / "test-output" / "screenshots"
CHROMIUM = os.environ.get("KOMPAS_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-gpu",
    "--no-first-run",
    "--disable-sync",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = ("serious", "critical")
TIMEOUT_MS = 15_000
# A PDF may take up to the test servers' render limit (120 s, tls_helpers.SLOW_MACHINE) plus
# queueing behind another render on a busy machine.
PDF_TIMEOUT_MS = 300_000


# -- the browser ------------------------------------------------------------------------------


def start_playwright() -> Playwright:
    """Playwright's driver, or a failed test that says what to install."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail(
            "the browser tests need the 'playwright' package: run `make install` "
            "(or `.venv/bin/pip install -e '.[dev]'`). Never run `playwright install`: "
            "the tests use Debian's Chromium.",
            pytrace=False,
        )
    return sync_playwright().start()


def launch_chromium(playwright: Playwright) -> Browser:
    """Debian's Chromium, headless; a missing Chromium is a failure with a clear message."""
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}, so the browser tests cannot run. Install it "
            "with `apt-get update && apt-get install -y chromium` (as root, `make test-services` "
            "does this), or point KOMPAS_TEST_CHROMIUM at a Chromium binary.",
            pytrace=False,
        )
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@dataclass
class Recorder:
    """What the pages of one browser context did: requests, console, server errors."""

    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)

    def attach(self, context: BrowserContext) -> None:
        context.on("request", lambda request: self.requests.append(request.url))
        context.on("response", self._response)
        context.on("console", self._console)
        context.on("weberror", lambda error: self.page_errors.append(str(error.error)))

    def _response(self, response: Any) -> None:
        if response.status >= 500:
            self.server_errors.append(f"{response.status} {response.url}")

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)


def new_context(browser: Browser, **options: Any) -> tuple[BrowserContext, Recorder]:
    """A fresh browser context (its own cookies: another browser) with a recorder.

    The TLS servers' certificates come from a throwaway CA Chromium does not know."""
    context = browser.new_context(**{"ignore_https_errors": True, **options})
    context.set_default_timeout(TIMEOUT_MS)
    recorder = Recorder()
    recorder.attach(context)
    return context, recorder


# -- the app ----------------------------------------------------------------------------------


class _QuietHandler(WSGIRequestHandler):
    def log(self, type: str, message: str, *args: Any) -> None:
        pass


@dataclass
class LiveServer:
    """The app served on 127.0.0.1 (a free port) from a thread, with CSRF on."""

    app: Flask
    url: str
    server: BaseWSGIServer
    thread: threading.Thread

    @property
    def questionnaire(self) -> Questionnaire:
        return self.app.extensions["kompas"]["questionnaire"]  # type: ignore[no-any-return]

    def stored(self, token: str) -> dict[str, Any]:
        """A dossier's saved answers, normalised by the engine."""
        with self.app.app_context():
            dossier = dossier_store.find_dossier(token)
            assert dossier is not None, "the dossier exists"
            raw = dossier_store.load_answers(dossier.id)
        return dict(kompas.check_answers(self.questionnaire, raw, strict=False).values)

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=10)
        self.server.server_close()
        db.get_engine(self.app).dispose()


def start_server(directory: Path) -> LiveServer:
    """Serve a fresh app on a migrated SQLite file in `directory`."""
    app = create_app(
        {
            "KOMPAS_DEV": True,  # plain http on 127.0.0.1: no Secure cookies
            "SECRET_KEY": secrets.token_urlsafe(32),
            "DATABASE_URL": f"sqlite:///{directory / 'kompas.sqlite3'}",
            "KOMPAS_REPORT_CACHE": str(directory / "report-cache"),
        }
    )
    assert app.config.get("WTF_CSRF_ENABLED", True), "CSRF stays on in the browser tests"
    upgrade(app)
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="kompas-live", daemon=True)
    thread.start()
    return LiveServer(app, f"http://127.0.0.1:{server.server_port}", server, thread)


# -- answers ----------------------------------------------------------------------------------


def example_answers(questionnaire: Questionnaire) -> dict[str, Any]:
    """The realistic answer set of examples/burenhulp-dorp.yaml, normalised by the engine."""
    raw = kompas.engine.yamlsource.load_file(EXAMPLE)[0].plain()
    return dict(kompas.check_answers(questionnaire, raw).values)


def workshop_picks(questionnaire: Questionnaire) -> dict[str, Question]:
    """One always-shown question of each kind participants answer in the default sections."""
    picked: dict[str, Question] = {}
    chosen = [s.id for s in default_sections(questionnaire)]
    for question in priority_questions(questionnaire, chosen):
        if question.show_if is None and len(question.options) != 1:
            picked.setdefault(question.type, question)
    assert {"importance", "single", "multiple"} <= set(picked), picked
    return picked


def three_participants(questionnaire: Questionnaire) -> list[tuple[str, dict[str, Any]]]:
    """Three stakeholders who agree on little, as (role, engine answers)."""
    qs = workshop_picks(questionnaire)
    imp, single, multiple = qs["importance"], qs["single"], qs["multiple"]
    o = [x.id for x in single.options]
    m = [x.id for x in multiple.options]
    return [
        ("wethouder", {imp.id: 1, single.id: o[0], multiple.id: [m[0]]}),
        ("welzijn", {imp.id: 3, single.id: o[0], multiple.id: [m[0], m[1]]}),
        ("Wmo", {imp.id: "must", single.id: o[1], multiple.id: [m[1]]}),
    ]


# -- pages ------------------------------------------------------------------------------------


def path_of(page: Page) -> str:
    return urlsplit(page.url).path


def shown_questions(page: Page) -> list[str]:
    """The ids of the questions on the page, in page order."""
    return [
        str(element.get_attribute("id")).removeprefix("vraag-")
        for element in page.locator("form [id^='vraag-']").all()
    ]


def set_answer(page: Page, question: Question, value: Any) -> None:
    """Answer one question by clicking and typing, as an advisor would."""
    raw = form_value(question, value)
    scope = page.locator(f"#vraag-{question.id}")
    if question.type == "multiple":
        for box in scope.locator(f"input[type=checkbox][name='{question.id}']").all():
            box.set_checked(box.get_attribute("value") in raw)
    elif question.type in ("single", "importance", "yesno"):
        scope.locator(f"input[type=radio][name='{question.id}'][value='{raw}']").check()
    else:
        scope.locator(f"[name='{question.id}']").fill(raw)


def answer_shown(page: Page, questionnaire: Questionnaire, answers: dict[str, Any]) -> list[str]:
    """Answer every question on the page that has an answer; returns the ids shown."""
    shown = shown_questions(page)
    for qid in shown:
        if qid in answers:
            set_answer(page, questionnaire.question(qid), answers[qid])
    return shown


def fail_on_error_summary(page: Page) -> None:
    summary = page.locator(".error-summary")
    if summary.count():
        pytest.fail(f"{page.url} shows an error: {summary.first.inner_text()[:500]}")


def start_dossier(page: Page, base_url: str, municipality: str) -> str:
    """Landing page -> 'Nieuw advies starten' -> municipality -> the dossier; returns its token."""
    page.goto(base_url + "/")
    page.get_by_role("link", name="Nieuw advies starten").click()
    page.get_by_label("Naam van de gemeente").fill(municipality)
    page.get_by_role("button", name="Dossier aanmaken").click()
    page.wait_for_load_state("domcontentloaded")
    fail_on_error_summary(page)
    path = path_of(page)
    assert path.startswith("/d/"), page.url
    return path.split("/")[2]


def walk(page: Page, questionnaire: Questionnaire, answers: dict[str, Any]) -> list[str]:
    """From the dossier page, answer every step by clicking 'Volgende stap' until the overview.

    Follow-up questions appear after saving (the same step comes back); they are answered too.
    Returns the sections in the order they were shown."""
    page.get_by_role("link", name="Begin met de vragen").click()
    visited: list[str] = []
    for _ in range(3 * len(questionnaire.sections)):
        page.wait_for_load_state("domcontentloaded")
        path = path_of(page)
        if path.endswith("/overzicht"):
            return visited
        assert "/stap/" in path, page.url
        fail_on_error_summary(page)
        visited.append(path.split("/stap/")[1])
        answer_shown(page, questionnaire, answers)
        page.locator("button[name=actie][value=volgende]").click()
    pytest.fail(f"the walk did not reach the overview: {visited}")


def open_workshop(page: Page, base_url: str, token: str) -> str:
    """The facilitator opens the session from the dossier page; returns the participant link."""
    page.goto(f"{base_url}/d/{token}/")
    page.get_by_role("link", name="Naar de werksessie").click()
    page.get_by_role("button", name="Werksessie openen").click()
    page.wait_for_load_state("domcontentloaded")
    fail_on_error_summary(page)
    return page.locator("#deelnemerslink").inner_text().strip()


def join_workshop(page: Page, link: str, name: str) -> str:
    """A participant opens the link and gives a role; returns their personal page's URL."""
    page.goto(link)
    page.get_by_label("Uw naam of rol").fill(name)
    page.get_by_role("button", name="Naar de vragen").click()
    page.wait_for_load_state("domcontentloaded")
    fail_on_error_summary(page)
    assert "/p/" in path_of(page), page.url
    return page.url


def answer_workshop(page: Page, questionnaire: Questionnaire, answers: dict[str, Any]) -> None:
    """A participant answers part after part of their personal page (follow-ups too) until
    the thank-you page."""
    for _ in range(3 * len(questionnaire.sections)):
        answer_shown(page, questionnaire, answers)
        page.locator("button[name=ga][value=volgende]").click()
        page.wait_for_load_state("domcontentloaded")
        fail_on_error_summary(page)
        if path_of(page).endswith("/klaar"):
            return
    pytest.fail(f"the participant did not reach the thank-you page: {page.url}")


# -- accessibility ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AxeFinding:
    page: str
    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]
    summary: str

    def line(self) -> str:
        where = ", ".join(self.targets[:3]) + (" ..." if len(self.targets) > 3 else "")
        return (
            f"{self.page}: {self.rule} ({self.impact}) {self.help} "
            f"[{len(self.targets)}x: {where}] {self.summary}"
        )


def screenshot(page: Page, name: str) -> Path:
    """A full-page screenshot in test-output/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def run_axe(page: Page, name: str) -> list[AxeFinding]:
    """axe-core's WCAG 2.1 A/AA rules on the page as it is now."""
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        pytest.fail(
            "the accessibility tests need 'axe-playwright-python': run `make install` "
            "(or `.venv/bin/pip install -e '.[dev]'`).",
            pytrace=False,
        )
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    results = Axe().run(page, options=options)
    findings = []
    for violation in results.response["violations"]:
        nodes = violation.get("nodes", [])
        targets = tuple(" ".join(map(str, n.get("target", []))) for n in nodes)
        summary = " ".join((nodes[0].get("failureSummary") or "").split()) if nodes else ""
        findings.append(
            AxeFinding(
                name,
                violation["id"],
                violation.get("impact") or "unknown",
                violation.get("help", ""),
                targets,
                summary[:300],
            )
        )
    return findings


FOCUS_STYLE_JS = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const s = getComputedStyle(e);
  return {
    tag: e.tagName.toLowerCase(), id: e.id, type: e.getAttribute('type') || '',
    name: e.getAttribute('name') || '', value: e.getAttribute('value') || '',
    text: (e.innerText || '').trim().slice(0, 60), cls: e.className || '',
    outlineStyle: s.outlineStyle, outlineWidth: s.outlineWidth, boxShadow: s.boxShadow,
    checked: !!e.checked,
  };
}"""


def focused(page: Page) -> dict[str, Any] | None:
    """The focused element and its computed focus styles."""
    return page.evaluate(FOCUS_STYLE_JS)  # type: ignore[no-any-return]


def focus_visible(info: dict[str, Any]) -> bool:
    """Whether the focused element shows a focus indicator (an outline or a box shadow)."""
    outline = info["outlineStyle"] != "none" and info["outlineWidth"] not in ("0px", "")
    return outline or info["boxShadow"] not in ("none", "")
