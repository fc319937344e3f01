"""Two browsers on one step in real Chromium: a stale form never overwrites a newer answer.

The issue's case: both have the finance step open; one raises the budget and says yes to
advertising; the other, whose page still shows the old answers, changes the budget too and
saves. The second gets the conflict page with both values, chooses per question, and nothing
is lost. CSRF is on (the live server of tests/browser_helpers.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from kompas.engine.model import Question
from kompas.engine.model import Section
from kompas.numbers import format_number
from tests import browser_helpers as bh

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[bh.LiveServer]:
    live = bh.start_server(tmp_path_factory.mktemp("conflict"))
    yield live
    live.stop()


def number_and_yesno(server: bh.LiveServer) -> tuple[Section, Question, Question]:
    """A step with an always-shown number question and an always-shown yes/no question."""
    for section in server.questionnaire.sections:
        numbers = [q for q in section.questions if q.type == "number" and q.show_if is None]
        yesnos = [q for q in section.questions if q.type == "yesno" and q.show_if is None]
        if numbers and yesnos:
            return section, numbers[0], yesnos[0]
    raise AssertionError("no step has both a number and a yes/no question")


def test_two_browsers_on_one_step_get_a_conflict_page_and_lose_nothing(
    browser: Any, server: bh.LiveServer
) -> None:
    section, number, yesno = number_and_yesno(server)
    low = int(number.minimum or 0)
    first_value, their_value, my_value = low + 10_000, low + 25_000, low + 15_000
    if number.maximum is not None:
        assert my_value <= number.maximum and their_value <= number.maximum

    one, one_log = bh.new_context(browser)
    two, two_log = bh.new_context(browser)
    try:
        tab1 = one.new_page()
        token = bh.start_dossier(tab1, server.url, "Gemeente Twee Tabbladen")
        step = f"{server.url}/d/{token}/stap/{section.id}"
        tab1.goto(step)
        bh.set_answer(tab1, number, first_value)
        bh.set_answer(tab1, yesno, False)
        tab1.locator("button[name=actie][value=opslaan]").click()
        tab1.wait_for_load_state("domcontentloaded")
        bh.fail_on_error_summary(tab1)

        # The second browser opens the same step (through the dossier link) and waits.
        tab2 = two.new_page()
        tab2.goto(step)
        assert tab2.locator(f"[name='{number.id}']").input_value() == format_number(first_value)

        # The first browser saves newer answers.
        tab1.goto(step)
        bh.set_answer(tab1, number, their_value)
        bh.set_answer(tab1, yesno, True)
        tab1.locator("button[name=actie][value=opslaan]").click()
        tab1.wait_for_load_state("domcontentloaded")
        bh.fail_on_error_summary(tab1)
        newer = server.stored(token)
        assert newer[number.id] == their_value and newer[yesno.id] is True

        # The second browser, still on the old page, changes only the budget and saves.
        bh.set_answer(tab2, number, my_value)
        with tab2.expect_response(lambda r: r.request.method == "POST") as posted:
            tab2.locator("button[name=actie][value=opslaan]").click()
        assert posted.value.status == 409
        tab2.wait_for_load_state("domcontentloaded")
        assert server.stored(token) == newer, "the stale page overwrote newer answers"
        conflict = tab2.locator("main").inner_text()
        assert "Intussen gewijzigd" in conflict
        assert format_number(their_value) in conflict and format_number(my_value) in conflict
        # The untouched yes/no is listed too: the old page would have set it back to 'nee'.
        assert tab2.locator(f"#conflict-{yesno.id}").count() == 1
        bh.screenshot(tab2, "conflict")
        blocking = [
            f.line() for f in bh.run_axe(tab2, "conflict") if f.impact in bh.BLOCKING_IMPACTS
        ]
        assert not blocking, "\n".join(blocking)

        # Keep their yes/no (the default), take my budget.
        tab2.locator(f"input[name='keuze_{number.id}'][value=mijn]").check()
        tab2.get_by_role("button", name="Deze keuzes opslaan").click()
        tab2.wait_for_load_state("domcontentloaded")
        bh.fail_on_error_summary(tab2)
        final = server.stored(token)
        assert final[number.id] == my_value
        assert final[yesno.id] is True, "the newer 'ja' was lost"
        for log in (one_log, two_log):
            assert not log.server_errors and not log.page_errors, log
    finally:
        one.close()
        two.close()
