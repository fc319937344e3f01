"""The verification round end to end in Chromium over the production setup (issue 21 part 3).

gunicorn over TLS with a real secret key and CSRF on, on PostgreSQL (tests/tls_helpers.py):
the advisor starts a round from the advice page; two vendors answer in their own browser
contexts, one never does; the round page (also at 390 px), the advice page and the council
PDF show the result. Platforms and facts come from the round itself: none is named here.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from kompas.i18n import language
from kompas.numbers import format_long_date
from kompas.store import dossier as dossier_store
from tests import browser_helpers as bh
from tests import tls_helpers

pytestmark = [pytest.mark.browser, pytest.mark.gunicorn, pytest.mark.postgres, pytest.mark.pdf]

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "burenhulp-dorp.yaml"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tls_helpers.ProductionServer]:
    live = tls_helpers.start_tls_server(tmp_path_factory.mktemp("round"))
    yield live
    live.stop()


def answer_one(context: Any, link: str, said: str) -> str:
    """A vendor opens its link, answers the first yes/no or choice question and sends."""
    form = context.new_page()
    form.goto(link)
    assert "Verificatieronde" not in form.locator("main").inner_text()  # the vendor's own page
    field = form.locator("select[id$='-value']").first
    fact = str(field.get_attribute("id")).removesuffix("-value")
    field.select_option(index=1)
    form.locator("#name").fill("B. Bakker")
    form.locator("#role").fill("accountmanager")
    form.locator(f"#{fact}-source").fill("verklaring leverancier")
    form.locator(f"#{fact}-date").fill(said)
    form.get_by_role("button", name="Versturen").click()
    form.wait_for_load_state("domcontentloaded")
    assert "Bedankt" in form.locator("h1").inner_text()
    return fact


def pdf_text(data: bytes, tmp_path: Path) -> str:
    tool = shutil.which("pdftotext")
    assert tool, "pdftotext is missing: install poppler-utils"
    path = tmp_path / "raad.pdf"
    path.write_bytes(data)
    text = subprocess.run([tool, str(path), "-"], capture_output=True, check=True).stdout
    return " ".join(text.decode().split())


def test_round_in_chromium(
    server: tls_helpers.ProductionServer, browser: Any, tmp_path: Path
) -> None:
    answers = yaml.safe_load(EXAMPLE.read_text())
    advisor, recorder = bh.new_context(browser)
    page = advisor.new_page()
    token = bh.start_dossier(page, server.url, "Dorpen aan de Dijk")
    with server.app.app_context():
        dossier = dossier_store.find_dossier(token)
        assert dossier is not None
        dossier_store.save_answers(dossier.id, answers)
    page.goto(f"{server.url}/d/{token}/advies")
    before = " ".join(page.locator("main").inner_text().split())
    page.get_by_role("button", name="Start een verificatieronde").click()
    page.wait_for_load_state("domcontentloaded")
    assert "Verificatieronde" in page.locator("h1").inner_text()
    cards = page.locator("li.round-vendor")
    n = cards.count()
    assert n >= 3
    links = [page.locator(f"#round-link-{k + 1}").input_value() for k in range(n)]
    names = [cards.nth(k).locator("h2").inner_text() for k in range(n)]
    assert all(link.startswith(server.url + "/leverancier/") for link in links)
    assert len(set(links)) == n
    assert page.locator("button[data-copy]").first.is_visible()  # the copy button, with JS

    # Two vendors answer, each in a browser of its own; the third never opens its link.
    today = dt.date.today()
    said = today.isoformat()
    one, _r1 = bh.new_context(browser)
    two, _r2 = bh.new_context(browser)
    answer_one(one, links[0], said)
    answer_one(two, links[1], said)

    # The round page: per vendor its status, what the answer set, before -> after, next.
    page.goto(f"{server.url}/d/{token}/ronde")
    status = [cards.nth(k).get_attribute("data-status") for k in range(n)]
    assert status[:2] == ["beantwoord", "beantwoord"]
    assert set(status[2:]) == {"verstuurd"}
    text = page.locator("main").inner_text()
    assert text.count("(was: niet bekend)") >= 2
    assert "Kortlijst bij de start" in text
    assert "Kortlijst nu" in text
    assert not page.locator("input.share-link").count()  # links are shown once only

    # At 390 px the round page fits the screen: nothing scrolls sideways.
    phone, _rp = bh.new_context(browser, viewport={"width": 390, "height": 844})
    small = phone.new_page()
    small.goto(f"{server.url}/d/{token}/ronde")
    width = small.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width

    # The advice page and the council PDF say which facts came from the vendors, and when.
    with language("nl"):
        day = format_long_date(today)
    page.goto(f"{server.url}/d/{token}/advies")
    after = " ".join(page.locator("main").inner_text().split())
    assert after != before
    assert after.count(f"volgens de leverancier, {day}") >= 2
    # Rendering the PDF takes a while on a busy machine (the server allows it 20 s).
    response = page.request.get(f"{server.url}/d/{token}/advies.pdf?rapport=kort", timeout=60_000)
    assert response.status == 200
    council = pdf_text(response.body(), tmp_path)
    assert "Wat leveranciers voor dit dossier zeiden" in council
    assert council.count(f"volgens de leverancier, {day}") >= 2
    for name in names[:2]:
        assert re.search(re.escape(name) + r": ", council)
    assert not recorder.server_errors
    for context in (advisor, one, two, phone):
        context.close()
