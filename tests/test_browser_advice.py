"""The advice page in Chromium on the production setup (gunicorn over TLS): at 1280 px and
390 px it does not scroll sideways, passes axe-core, and shows its pictures, table of
contents and folded details (issue 14, folded per section since issue 22)."""

from __future__ import annotations

from typing import Any

import pytest

from kompas.cli import read_answers
from tests import browser_helpers as bh
from tests import tls_helpers
from tests.conftest import stored_dossier

pytestmark = [pytest.mark.browser, pytest.mark.gunicorn, pytest.mark.postgres]


@pytest.fixture(scope="module")
def server(tls_server: tls_helpers.ProductionServer) -> tls_helpers.ProductionServer:
    """The session's TLS server (conftest): every test here makes its own dossier."""
    return tls_server


@pytest.fixture(scope="module")
def token(server: tls_helpers.ProductionServer) -> str:
    return stored_dossier(server.app, read_answers(bh.EXAMPLE), advisor="A. Adviseur")


@pytest.mark.parametrize("width", [1280, 390])
def test_advice_page_fits_the_screen_and_passes_axe(
    browser: Any, server: tls_helpers.ProductionServer, token: str, width: int
) -> None:
    context, recorder = bh.new_context(browser, viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"{server.url}/d/{token}/advies")
        scroll, client = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert scroll <= client, f"the page scrolls sideways at {width} px ({scroll} > {client})"
        findings = [
            f for f in bh.run_axe(page, f"advice-{width}") if f.impact in ("serious", "critical")
        ]
        assert not findings, "\n".join(f.line() for f in findings)
        # The three pictures are inline SVG with a text alternative.
        for kind in ("scores", "weights", "tornado"):
            chart = page.locator(f"svg.chart-{kind}")
            assert chart.count() == 1, kind
            assert chart.get_attribute("role") == "img"
            assert (chart.get_attribute("aria-label") or "").strip()
        # Every entry of the table of contents leads to a heading on the page.
        targets = page.locator("nav.toc a").evaluate_all("links => links.map(a => a.hash)")
        assert len(targets) >= 8
        for target in targets:
            assert page.locator(target).count() == 1, target
        # Per-platform details are folded inside the folded explanations, and open without
        # JavaScript (a <details>).
        details = page.locator("details.platform")
        assert details.count() >= 3
        assert details.evaluate_all("ds => ds.every(d => !d.open)")
        page.locator("#toelichting").click()
        details.first.locator("summary").click()
        assert details.first.evaluate("d => d.open")
        scroll, client = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert scroll <= client, f"an opened platform scrolls sideways at {width} px"
        assert not recorder.server_errors and not recorder.page_errors
    finally:
        context.close()
