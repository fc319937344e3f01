"""Everyday friction in Chromium (issue 22), on a live app with CSRF on: a follow-up in a
later workshop part does not skip the parts in between; the facilitator sees why a
participant answered fewer questions than the session has; 'wijzigen' on the overview leads
back to the overview; '62.000' inhabitants is accepted when a dossier is made.

Question, section and option ids come from the loaded questionnaire; no platform is named."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from kompas.engine.model import Question
from kompas.engine.model import Questionnaire
from kompas.engine.workshop import default_sections
from kompas.engine.workshop import priority_questions
from tests import browser_helpers as bh


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[bh.LiveServer]:
    live = bh.start_server(tmp_path_factory.mktemp("workshop"))
    yield live
    live.stop()


def later_follow_up(q: Questionnaire) -> tuple[Question, str, Question]:
    """An option of a participant's multiple-choice question that brings up a follow-up two or
    more parts later (as the target group 'with a need for help' does): (question, option,
    follow-up)."""
    chosen = [s.id for s in default_sections(q)]
    asked = priority_questions(q, chosen)
    order = {sid: i for i, sid in enumerate(chosen)}
    for question in asked:
        if question.type != "multiple" or question.show_if is not None:
            continue
        for option in question.options:
            for follow in asked:
                condition = repr(follow.show_if)
                if (
                    follow.show_if is not None
                    and question.id in condition
                    and repr(option.id) in condition
                    and order[follow.section] >= order[question.section] + 2
                ):
                    return question, option.id, follow
    pytest.fail("the questionnaire has no follow-up two parts after its cause")


def test_a_follow_up_in_a_later_part_does_not_skip_the_parts_in_between(
    browser: Any, server: bh.LiveServer
) -> None:
    q = server.questionnaire
    cause, option, follow = later_follow_up(q)
    chosen = [s.id for s in default_sections(q)]
    context, recorder = bh.new_context(browser)
    try:
        page = context.new_page()
        token = bh.start_dossier(page, server.url, "Deeldorp")
        link = bh.open_workshop(page, server.url, token)
        bh.join_workshop(page, link, "welzijn")
        visited: list[str] = []
        for _ in range(3 * len(chosen)):
            part = (
                page.url.split("deel=")[1].split("&")[0].split("#")[0]
                if "deel=" in page.url
                else chosen[0]
            )
            visited.append(part)
            if cause.id in bh.shown_questions(page):
                bh.set_answer(page, cause, (option,))
            page.locator("button[name=ga][value=volgende]").click()
            page.wait_for_load_state("domcontentloaded")
            bh.fail_on_error_summary(page)
            if bh.path_of(page).endswith("/klaar"):
                break
            if follow.id in bh.shown_questions(page):
                assert bh.path_of(page) and follow.section in page.url
        parts = list(dict.fromkeys(visited))
        start = parts.index(cause.section)
        expected = [s for s in chosen if s in parts]
        assert parts == expected, f"parts in order, none skipped: {parts}"
        between = chosen[chosen.index(cause.section) + 1 : chosen.index(follow.section)]
        assert between and all(s in parts[start:] for s in between), (between, parts)
        assert follow.section in parts
        assert not recorder.server_errors

        # The facilitator's table says why the count is below the session's question count.
        page.goto(f"{server.url}/d/{token}/werksessie")
        page.locator("summary", has=page.locator("#deelnemers")).click()
        row = page.locator("details", has=page.locator("#deelnemers")).locator("tbody tr").first
        text = " ".join(row.inner_text().split())
        assert "niet van toepassing door de antwoorden" in text, text
        assert "nog open in:" in text, text
    finally:
        context.close()


def test_changing_an_answer_from_the_overview_returns_to_the_overview(
    browser: Any, server: bh.LiveServer
) -> None:
    q = server.questionnaire
    question = next(x for x in q.questions if x.type == "single" and x.show_if is None)
    context, recorder = bh.new_context(browser)
    try:
        page = context.new_page()
        token = bh.start_dossier(page, server.url, "Overzichtdorp")
        page.goto(f"{server.url}/d/{token}/overzicht")
        page.locator(f"a[href*='#vraag-{question.id}']").first.click()
        page.wait_for_load_state("domcontentloaded")
        assert f"/stap/{question.section}" in page.url
        bh.set_answer(page, question, question.options[1].id)
        page.get_by_role("button", name="Opslaan en terug naar het overzicht").click()
        page.wait_for_load_state("domcontentloaded")
        bh.fail_on_error_summary(page)
        assert bh.path_of(page).endswith("/overzicht"), page.url
        assert server.stored(token)[question.id] == question.options[1].id
        # Enter in the form (the hidden first button) goes back to the overview too.
        text_q = next(x for x in q.questions if x.type == "text" and x.show_if is None)
        page.locator(f"a[href*='#vraag-{text_q.id}']").first.click()
        page.wait_for_load_state("domcontentloaded")
        page.locator(f"[name='{text_q.id}']").fill("Gewijzigd vanuit het overzicht")
        page.locator(f"[name='{text_q.id}']").press("Control+Enter")
        page.wait_for_load_state("domcontentloaded")
        if not bh.path_of(page).endswith("/overzicht"):
            # A textarea takes Enter as a new line: submit as a keyboard user would.
            page.get_by_role("button", name="Opslaan en terug naar het overzicht").click()
            page.wait_for_load_state("domcontentloaded")
        assert bh.path_of(page).endswith("/overzicht"), page.url
        assert not recorder.server_errors
    finally:
        context.close()


def test_inhabitants_with_a_thousands_point_are_accepted_when_a_dossier_is_made(
    browser: Any, server: bh.LiveServer
) -> None:
    context, recorder = bh.new_context(browser)
    try:
        page = context.new_page()
        page.goto(server.url + "/nieuw")
        page.get_by_label("Naam van de gemeente").fill("Puntstad")
        page.get_by_label("Aantal inwoners (optioneel)").fill("62.000")
        page.get_by_role("button", name="Dossier aanmaken").click()
        page.wait_for_load_state("domcontentloaded")
        bh.fail_on_error_summary(page)
        token = bh.path_of(page).split("/")[2]
        with server.app.app_context():
            from kompas.store import dossier as dossier_store

            dossier = dossier_store.find_dossier(token)
        assert dossier is not None and dossier.inhabitants == 62_000
        assert not recorder.server_errors
    finally:
        context.close()


def test_adoption_warns_before_dropping_an_option_and_then_keeps_the_facilitators_edits(
    browser: Any, server: bh.LiveServer
) -> None:
    from kompas.store import dossier as dossier_store
    from kompas.store import workshop as workshop_store

    q = server.questionnaire
    picks = bh.workshop_picks(q)
    imp, multiple = picks["importance"], picks["multiple"]
    first, second = multiple.options[0].id, multiple.options[1].id
    context, recorder = bh.new_context(browser)
    try:
        page = context.new_page()
        token = bh.start_dossier(page, server.url, "Overneemdorp")
        with server.app.app_context():
            dossier = dossier_store.find_dossier(token)
            assert dossier is not None
            dossier_store.save_answers(dossier.id, {multiple.id: [first, second]})
        bh.open_workshop(page, server.url, token)
        with server.app.app_context():
            workshop = workshop_store.workshop_for_dossier(dossier.id)
            assert workshop is not None
            for name in ("wethouder", "welzijn"):
                _personal, person = workshop_store.add_participant(workshop.id, name)
                workshop_store.save_participant(
                    workshop.id, person.id, name, {imp.id: 1, multiple.id: [first]}
                )
        page.goto(f"{server.url}/d/{token}/werksessie")
        warning = page.locator("#weglaten-waarschuwing")
        assert multiple.options[1].label in warning.inner_text()

        # Adopting as it stands, without ticking the warning: nothing changes.
        page.get_by_role("button", name="Overnemen in het dossier").click()
        page.wait_for_load_state("domcontentloaded")
        assert "Er is nog niets overgenomen" in page.locator(".error-summary").first.inner_text()
        assert server.stored(token)[multiple.id] == (first, second)

        # The facilitator weighs one question differently, ticks the warning and adopts.
        page.locator("summary", has_text="Bekijk en pas aan").click()
        bh.set_answer(page, imp, 3)
        page.locator("#weglaten").check()
        page.get_by_role("button", name="Overnemen in het dossier").click()
        page.wait_for_load_state("domcontentloaded")
        bh.fail_on_error_summary(page)
        stored = server.stored(token)
        assert stored[multiple.id] == (first,)
        assert stored[imp.id] == 3

        # Right after adopting, nothing is offered that would undo the facilitator's edit.
        summary = page.locator("summary", has_text="Bekijk en pas aan").inner_text()
        assert "(0 wijzigingen)" in summary, summary
        page.locator("summary", has_text="Bekijk en pas aan").click()
        checked = page.locator(f"#vraag-{imp.id} input[type=radio]:checked")
        assert checked.get_attribute("value") == "3"
        assert page.locator("#weglaten-waarschuwing").count() == 0
        assert not recorder.server_errors
    finally:
        context.close()


def test_the_what_if_notice_is_on_the_first_screen_and_the_pdf_buttons_say_what_they_give(
    browser: Any, server: bh.LiveServer
) -> None:
    from kompas.store import dossier as dossier_store

    context, recorder = bh.new_context(browser, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        with server.app.app_context():
            token, dossier = dossier_store.create_dossier("Watalsdorp", "")
            dossier_store.save_answers(dossier.id, bh.example_answers(server.questionnaire))
        page.goto(f"{server.url}/d/{token}/advies")
        assert page.locator(".what-if-banner").count() == 0
        assert page.locator(".what-if-pdf").count() == 0
        what_if = page.locator("summary", has=page.locator("#wat-als"))
        if what_if.count():  # folded with the other details
            what_if.click()
        page.locator("form.what-if select").first.select_option(index=0)
        page.get_by_role("button", name="Herbereken").click()
        page.wait_for_load_state("domcontentloaded")
        banner = page.locator(".what-if-banner")
        box = banner.bounding_box()
        assert box is not None and box["y"] + box["height"] <= 900, box
        notes = page.locator(".what-if-pdf")
        assert notes.count() == 2  # by the buttons at the top and in 'Rapport en downloads'
        assert "geven het opgeslagen advies" in notes.first.inner_text()
        # The note stands right by the PDF buttons.
        buttons = page.get_by_role(
            "link", name="Download raadsrapport (PDF, kort)", exact=True
        ).bounding_box()
        note = notes.first.bounding_box()
        assert buttons is not None and note is not None
        assert 0 <= note["y"] - buttons["y"] <= 300, (buttons, note)
        assert not recorder.server_errors
    finally:
        context.close()
