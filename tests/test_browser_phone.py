"""The advice on a phone and at a glance (issue 22), in Chromium on the production setup.

At 390 x 844 the advice, how sure it is and the next step are on the first screen; chart text
is at least 12 px as drawn; shortlist cards name their numbers; a range ("31–92") is never cut
at a line's end or an edge; at 1280 px the page reaches its folded details within about three
screens. `make screenshots` keeps the phone's first screen in test-output/pages/.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from kompas.cli import read_answers
from tests import browser_helpers as bh
from tests import tls_helpers
from tests.conftest import stored_dossier

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 900}
SHOOT = bool(os.environ.get("KOMPAS_SCREENSHOTS"))
SHOTS = bh.ROOT / "test-output" / "pages"

OPEN_ALL_JS = "() => document.querySelectorAll('main details').forEach(d => { d.open = true; })"

# Where each element's box sits on the first screen, before any scrolling.
BOXES_JS = """sels => sels.map(s => {
  const e = document.querySelector(s);
  if (!e) return [s, null, null];
  const r = e.getBoundingClientRect();
  return [s, Math.round(r.top), Math.round(r.bottom)];
})"""

# Every text in a picture with its size as drawn: the font size times the picture's scale.
CHART_TEXT_JS = """() => [...document.querySelectorAll('main svg.chart text')].map(t => {
  const scale = t.getScreenCTM().a;
  return [t.closest('svg').classList[1], t.textContent,
          parseFloat(getComputedStyle(t).fontSize) * scale];
})"""

# Every range in the page's text ("31–92", "0,5 – 3+") that wraps after its dash or runs past
# the screen's edge or its scroll box; and every range in a picture that runs past the picture.
CUT_RANGES_JS = r"""() => {
  const pattern = /\d+(,\d+)?\s?–\s?(\d+(,\d+)?\+?|meer dan 3)/g;
  const cut = [];
  const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest('svg')) continue;
    for (const m of node.data.matchAll(pattern)) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const rects = [...range.getClientRects()].filter(r => r.width > 0);
      if (!rects.length) continue;
      const tops = new Set(rects.map(r => Math.round(r.top)));
      let box = node.parentElement.closest('.table-scroll');
      const edge = box ? box.getBoundingClientRect().right : window.innerWidth;
      const right = Math.max(...rects.map(r => r.right));
      if (tops.size > 1 || right > edge + 0.5) cut.push([m[0], tops.size, right, edge]);
    }
  }
  for (const t of document.querySelectorAll('main svg.chart text')) {
    if (!/–/.test(t.textContent)) continue;
    const r = t.getBoundingClientRect(), s = t.closest('svg').getBoundingClientRect();
    if (r.right > s.right + 0.5 || r.left < s.left - 0.5) cut.push([t.textContent, r.right, s.right]);
  }
  return cut;
}"""


@pytest.fixture(scope="module")
def server(tls_server: tls_helpers.ProductionServer) -> tls_helpers.ProductionServer:
    """The session's TLS server (conftest): every test here makes its own dossier."""
    return tls_server


@pytest.fixture(scope="module")
def token(server: tls_helpers.ProductionServer) -> str:
    return stored_dossier(server.app, read_answers(bh.EXAMPLE), advisor="A. Adviseur")


def _advice_page(
    browser: Any, server: tls_helpers.ProductionServer, token: str, viewport: dict[str, int]
) -> tuple[Any, Any, bh.Recorder]:
    context, recorder = bh.new_context(browser, viewport=viewport)
    page = context.new_page()
    page.goto(f"{server.url}/d/{token}/advies")
    page.wait_for_load_state("load")
    return context, page, recorder


def test_phone_first_screen_holds_advice_certainty_and_next_step(
    browser: Any, server: tls_helpers.ProductionServer, token: str
) -> None:
    """At 390 x 844, before scrolling: the headline, how sure the advice is, the next step."""
    context, page, recorder = _advice_page(browser, server, token, PHONE)
    try:
        if SHOOT:
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / "advies-eerste-scherm-telefoon.png"))
        boxes = page.evaluate(BOXES_JS, [".headline", ".certainty", ".next-step"])
        for selector, top, bottom in boxes:
            assert top is not None, f"the advice page has no {selector}"
            assert top >= 0 and bottom <= PHONE["height"], (
                f"{selector} is at {top}-{bottom} px, not on the first screen of a phone"
            )
        certainty = page.locator(".certainty").inner_text()
        assert page.locator("p.stability").inner_text().split(":")[-1].strip() in (certainty), (
            "the first screen names the same stability as the section on it"
        )
        assert page.locator(".next-step").inner_text().strip()
        assert not recorder.server_errors and not recorder.page_errors
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["390", "1280"])
def test_chart_text_is_at_least_12_px(
    browser: Any, server: tls_helpers.ProductionServer, token: str, viewport: dict[str, int]
) -> None:
    """Every text in every picture is drawn at 12 px or more, details opened."""
    context, page, _ = _advice_page(browser, server, token, viewport)
    try:
        page.evaluate(OPEN_ALL_JS)
        texts = page.evaluate(CHART_TEXT_JS)
        assert {kind for kind, _, _ in texts} >= {"chart-scores", "chart-weights", "chart-tornado"}
        small = [(kind, text, round(size, 1)) for kind, text, size in texts if size < 12]
        assert not small, f"chart text under 12 px at {viewport['width']} px: {small[:5]}"
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["390", "1280"])
def test_ranges_are_never_cut(
    browser: Any, server: tls_helpers.ProductionServer, token: str, viewport: dict[str, int]
) -> None:
    """No "31–" at a line's end or an edge, in the text or in a picture, details opened."""
    context, page, _ = _advice_page(browser, server, token, viewport)
    try:
        page.evaluate(OPEN_ALL_JS)
        cut = page.evaluate(CUT_RANGES_JS)
        assert not cut, f"ranges cut at {viewport['width']} px: {cut[:5]}"
    finally:
        context.close()


def test_phone_shortlist_cards_name_their_numbers(
    browser: Any, server: tls_helpers.ProductionServer, token: str
) -> None:
    """On a phone the shortlist table is a card per platform: each number says what it is."""
    context, page, _ = _advice_page(browser, server, token, PHONE)
    try:
        page.evaluate(OPEN_ALL_JS)
        cells = page.locator("section:has(#kortlijst) td").evaluate_all(
            """tds => tds.map(td => [td.textContent.trim(),
                 getComputedStyle(td, '::before').content])"""
        )
        assert cells, "the shortlist has a table"
        bare = [text for text, before in cells if before in ("none", "normal", '""')]
        assert not bare, f"shortlist numbers without a label on a phone: {bare}"
    finally:
        context.close()


def test_wide_page_reaches_its_folded_details_within_three_screens(
    browser: Any, server: tls_helpers.ProductionServer, token: str
) -> None:
    """At 1280 x 900 the details start within about three screens and are folded."""
    context, page, _ = _advice_page(browser, server, token, LAPTOP)
    try:
        first = page.locator("main > section > details.fold:first-child").first
        assert first.count() == 1, "the details are not folded (no <details> sections)"
        top = first.evaluate("d => d.getBoundingClientRect().top + window.scrollY")
        # "About three screens": a tenth of room for a short block another part adds.
        assert top <= 3.3 * LAPTOP["height"], f"the details start at {top} px"
        # From there on every section is folded, except the downloads at the end.
        after = page.evaluate(
            """() => { const all = [...document.querySelectorAll('main > *')];
              const i = all.findIndex(e => e.matches('section:has(> details.fold:first-child)'));
              return all.slice(i).map(e => [e.getAttribute('aria-labelledby') || e.tagName,
                e.matches(':has(> details.fold:first-child)'),
                e.matches(':has(> details[open])')]); }"""
        )
        unfolded = [x[0] for x in after if not x[1] and x[0] != "downloads"]
        assert not unfolded, f"unfolded sections among the details: {unfolded}"
        assert not [x[0] for x in after if x[2]], "a detail is open"
        height = page.evaluate("() => document.documentElement.scrollHeight")
        assert height <= 5 * LAPTOP["height"], f"the page is {height} px tall at 1280 px"
    finally:
        context.close()
