"""HTTPS as deployed: behind a TLS-terminating reverse proxy, and what leaves the site.

The app runs on gunicorn over plain HTTP behind a small reverse proxy on loopback
(tests/tls_helpers.py) that terminates TLS and sends X-Forwarded-For/-Proto as nginx does,
with KOMPAS_PROXIES=1 and KOMPAS_PUBLIC_URL set: a real secret key, CSRF on, no development
mode, on PostgreSQL. Chromium walks the wizard, downloads the PDF, imports a file and runs a
workshop with two participants through the proxy. Question ids come from the loaded
questionnaire; no platform is named here (links come from the catalogue pages).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from pypdf import PdfReader

import kompas
from kompas.engine.workshop import aggregate
from tests import browser_helpers as bh
from tests import tls_helpers

pytestmark = [pytest.mark.browser, pytest.mark.gunicorn, pytest.mark.postgres]


@pytest.fixture(scope="module")
def proxied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tls_helpers.ProductionServer]:
    live = tls_helpers.start_proxied_server(tmp_path_factory.mktemp("proxied"))
    yield live
    live.stop()


@pytest.mark.pdf
def test_behind_a_proxy_the_walk_the_advice_and_the_pdf_work(
    browser: Any, proxied: tls_helpers.ProductionServer
) -> None:
    """Create a dossier, save every step, see the advice, download the PDF, over the proxy."""
    q = proxied.questionnaire
    answers = bh.example_answers(q)
    context, recorder = bh.new_context(browser)
    try:
        page = context.new_page()
        token = bh.start_dossier(page, proxied.url, "Proxydorp")
        # The link to keep is built from KOMPAS_PUBLIC_URL: the proxy's https address.
        assert page.locator("#dossierlink").inner_text().strip() == f"{proxied.url}/d/{token}/"
        bh.walk(page, q, answers)
        assert proxied.stored(token) == answers
        page.get_by_role("link", name="Bekijk het advies").first.click()
        page.wait_for_load_state("domcontentloaded")
        # The full ranking is folded on the page (details); its text is there all the same.
        top = page.locator("table.ranking tbody tr").first.locator("th").text_content() or ""
        top = top.strip()
        assert top == kompas.advise(q, kompas.load()[1], answers).ranking[0].platform.name
        link = page.get_by_role("link", name="Download adviesrapport (PDF)").first
        with page.expect_download(timeout=bh.PDF_TIMEOUT_MS) as info:
            link.click(timeout=bh.PDF_TIMEOUT_MS)
        body = info.value.path().read_bytes()
        assert body.startswith(b"%PDF")
        text = " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(body)).pages)
        assert top in " ".join(text.split())
        response = context.request.get(f"{proxied.url}{link.get_attribute('href')}")
        assert response.headers["cache-control"] == "no-store"
        assert not recorder.server_errors, recorder.server_errors
    finally:
        context.close()
    # Same-origin POSTs carried the Referer Flask-WTF's HTTPS check needs, and the proxy
    # told the app it was HTTPS (the Secure cookie came back).
    posts = [h for h in proxied.proxy.seen if h.get("Content-Type", "").startswith("application/")]
    assert posts and all(h.get("Referer", "").startswith(proxied.url + "/") for h in posts)


def test_behind_a_proxy_an_answers_file_is_imported(
    browser: Any, proxied: tls_helpers.ProductionServer
) -> None:
    """The import form over HTTPS: the example answers file becomes a dossier."""
    context, recorder = bh.new_context(browser)
    try:
        page = context.new_page()
        page.goto(proxied.url + "/importeren")
        page.get_by_label("Naam van de gemeente").fill("Inleesstad")
        page.get_by_label("Antwoordenbestand (YAML)").set_input_files(str(bh.EXAMPLE))
        page.get_by_role("button", name="Inlezen").click()
        page.wait_for_load_state("domcontentloaded")
        bh.fail_on_error_summary(page)
        path = bh.path_of(page)
        assert path.startswith("/d/"), (page.url, page.locator("main").inner_text()[:300])
        token = path.split("/")[2]
        assert proxied.stored(token) == bh.example_answers(proxied.questionnaire)
        assert not recorder.server_errors
    finally:
        context.close()


def test_behind_a_proxy_a_workshop_with_two_participants(
    browser: Any, proxied: tls_helpers.ProductionServer
) -> None:
    """Open a session, two people join from their own browsers, the group is adopted."""
    q = proxied.questionnaire
    people = bh.three_participants(q)[:2]
    facilitator, f_recorder = bh.new_context(browser)
    contexts = [facilitator]
    try:
        page = facilitator.new_page()
        token = bh.start_dossier(page, proxied.url, "Werkproxy")
        link = bh.open_workshop(page, proxied.url, token)
        assert link.startswith(f"{proxied.url}/w/"), link
        for name, answers in people:
            context, recorder = bh.new_context(browser)
            contexts.append(context)
            participant = context.new_page()
            personal = bh.join_workshop(participant, link, name)
            assert personal.startswith(f"{proxied.url}/p/") or "/p/" in personal
            bh.answer_workshop(participant, q, answers)
            assert not recorder.server_errors
        page.get_by_role("link", name="Pagina vernieuwen").click()
        page.get_by_role("button", name="Overnemen in het dossier").click()
        page.wait_for_load_state("domcontentloaded")
        assert "zijn overgenomen in het dossier" in page.locator(".flashes").inner_text()
        group = aggregate(q, [a for _n, a in people])
        stored = proxied.stored(token)
        for qid in {qid for _n, a in people for qid in a}:
            value = group.answers.get(qid)
            if value not in (None, ()):
                assert stored[qid] == value, qid
        assert not f_recorder.server_errors
    finally:
        for context in contexts:
            context.close()


def test_https_responses_carry_hsts_and_same_origin_referrer_policy(
    browser: Any, proxied: tls_helpers.ProductionServer
) -> None:
    context, _recorder = bh.new_context(browser)
    try:
        response = context.new_page().goto(proxied.url + "/nieuw")
        assert response is not None and response.status == 200
        assert response.headers["strict-transport-security"] == "max-age=31536000"
        assert response.headers["referrer-policy"] == "same-origin"
        session = [c for c in context.cookies() if c["name"] == "session"]
        assert session and session[0]["secure"] is True
    finally:
        context.close()


def test_no_referer_reaches_another_site_from_a_dossier_page(
    browser: Any, proxied: tls_helpers.ProductionServer
) -> None:
    """Following an external platform link sends no Referer (no dossier token leaks)."""
    context, _recorder = bh.new_context(browser)
    outside: list[dict[str, str]] = []

    def catch(route: Any) -> None:
        outside.append({"url": route.request.url, **route.request.headers})
        route.fulfill(status=200, body="elders", content_type="text/plain")

    try:
        page = context.new_page()
        token = bh.start_dossier(page, proxied.url, "Lekvrij")
        context.route(lambda url: not url.startswith(proxied.url + "/"), catch)
        page.goto(f"{proxied.url}/platforms/")
        page.locator(".platform-card h3 a").first.click()
        external = page.locator("a[rel~=external][href^='http']").first
        assert external.count() == 1, "a platform page links to the platform's site"
        href = external.get_attribute("href")
        # The same link on a dossier page without rel=noreferrer: the Referrer-Policy
        # alone must keep the dossier's address at home.
        page.goto(f"{proxied.url}/d/{token}/")
        page.evaluate(
            """href => { const a = document.createElement('a'); a.href = href;
            a.textContent = 'weg'; a.id = 'weg'; document.querySelector('main').append(a); }""",
            href,
        )
        page.locator("#weg").click()
        page.wait_for_load_state("domcontentloaded")
    finally:
        context.close()
    assert outside, "the external link was followed"
    assert all("referer" not in {k.lower() for k in h} for h in outside), outside


def test_the_language_link_on_a_404_stays_on_the_site(
    browser: Any, proxied: tls_helpers.ProductionServer
) -> None:
    """/%5Cevil.example/x: the 'English' link is a path on this site, and Chromium stays."""
    context, _recorder = bh.new_context(browser)
    elsewhere: list[str] = []
    base = urlsplit(proxied.url)

    def block(route: Any) -> None:
        elsewhere.append(route.request.url)
        route.abort()

    try:
        page = context.new_page()
        context.route(lambda url: urlsplit(url).netloc != base.netloc, block)
        response = page.goto(proxied.url + "/%5Cevil.example/x")
        assert response is not None and response.status == 404
        link = page.get_by_role("link", name="English")
        href = link.get_attribute("href") or ""
        assert href.startswith("/") and not href.startswith("//") and "\\" not in href, href
        link.click()
        page.wait_for_load_state("domcontentloaded")
        assert urlsplit(page.url).netloc == base.netloc, page.url
        assert not elsewhere, elsewhere
    finally:
        context.close()
