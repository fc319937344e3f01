"""Build on what exists (issue 19): an answer naming something already there (WhatsApp groups,
a village website) comes back in the advice as something to connect or keep, worded in
questions.yaml (`builds_on:`), in the story, the record, the text view, the report and the page."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

import kompas
from kompas.i18n import language
from kompas.i18n import localise
from kompas.report import render_report_html
from kompas.textview import render_advice

BASE = {"doelen": ["burenhulp", "contact"], "hoofddoel": "burenhulp", "instrument": "ja"}
EXISTING = {**BASE, "bestaande_initiatieven": ["website", "whatsapp"]}


def sentences(q: kompas.Questionnaire, *option_ids: str) -> list[str]:
    """The data's sentences for these options of `bestaande_initiatieven`, in Dutch."""
    question = q.index["bestaande_initiatieven"]
    with language("nl"):
        return [localise(o.builds_on) for o in question.options if o.id in option_ids]


def test_every_existing_initiative_option_has_a_sentence(shipped):
    """Each option of the question about existing initiatives says how to build on it."""
    q, _ = shipped
    for option in q.index["bestaande_initiatieven"].options:
        assert option.builds_on, option.id
        with language("en"):
            assert localise(option.builds_on) != str(option.builds_on), option.id


def test_story_says_what_was_chosen_and_nothing_else(shipped):
    """The chosen options' sentences, in questionnaire order; none without the answer."""
    q, c = shipped
    story = kompas.explain(q, c, EXISTING, lang="nl").story
    expected = sentences(q, "website", "whatsapp")
    assert list(story.builds_on) == expected
    assert any("WhatsApp" in line for line in story.builds_on)
    assert kompas.explain(q, c, BASE, lang="nl").story.builds_on == ()


def test_record_text_report_and_page_carry_it(shipped, answered_dossier):
    """The record, the text view, the council report's next steps and the advice page."""
    q, c = shipped
    explained = kompas.explain(q, c, EXISTING, lang="nl")
    expected = sentences(q, "website", "whatsapp")
    assert explained.record()["summary"]["builds_on"] == expected
    with language("nl"):
        text = re.sub(r"\s+", " ", render_advice(explained.advice, explained.story))
    page = BeautifulSoup(render_report_html(explained, full=False), "html.parser")
    steps = re.sub(r"\s+", " ", page.select_one("#vervolgstappen").get_text(" "))
    for line in expected:
        assert line in text
        assert line in steps

    client, token = answered_dossier(EXISTING)
    advice = BeautifulSoup(client.get(f"/d/{token}/advies").data, "html.parser")
    listed = [li.get_text(" ", strip=True) for li in advice.select("ul.builds-on li")]
    assert listed == expected
