"""Red flags (issue 19): a known drawback is said next to the platform whether or not the
advisor asked about it, in the story, the JSON record, the text view, the advice page and
the council report. Which criteria are red flags is declared in questions.yaml."""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup

import kompas
from kompas.i18n import language
from kompas.report import render_pdf
from kompas.report import render_report_html
from kompas.textview import render_advice

# Contact only: nothing about ads or where the data are stored is asked.
CONTACT = {"doelen": ["contact"], "hoofddoel": "contact"}
ADS = re.compile(r"advertenties", re.I)
OUTSIDE_EU = re.compile(r"buiten de EU")


@pytest.fixture(scope="module")
def explained(shipped):
    q, c = shipped
    return kompas.explain(q, c, CONTACT, lang="nl")


def known(platform: kompas.Platform, fact_id: str) -> object:
    """A known fact's value, or None."""
    fact = platform.fact(fact_id)
    return fact.value if fact.known else None


def test_red_flags_are_declared_in_the_data(shipped):
    """The red flags are the criteria questions.yaml marks `red_flag:`; each reads facts only."""
    q, _ = shipped
    flagged = {cid for cid, c in q.criteria.items() if c.red_flag}
    assert {"geen_reclame", "data_in_eu"} <= flagged
    for cid in flagged:
        criterion = q.criteria[cid]
        assert "{platform}" in criterion.red_flag, cid
        assert criterion.condition is not None and not criterion.condition.answers(), cid


def test_unasked_drawbacks_show_next_to_exactly_the_platforms_that_have_them(explained):
    """Ads and data outside the EU, not asked, are said next to each platform known to have
    them and next to no other."""
    advice, story = explained.advice, explained.story
    assert not {a.id for a in advice.active} & {"geen_reclame", "data_in_eu"}
    seen = set()
    for r in advice.ranking:
        flags = " ".join(story.platform(r.platform.id).flags)
        has_ads = known(r.platform, "ads") is True
        outside = known(r.platform, "hosting") == "buiten_eu"
        assert bool(ADS.search(flags)) == has_ads, (r.platform.id, flags)
        assert bool(OUTSIDE_EU.search(flags)) == outside, (r.platform.id, flags)
        seen |= {"ads"} if has_ads else set()
        seen |= {"eu"} if outside else set()
        for flag in story.platform(r.platform.id).flags:
            assert flag in story.platform(r.platform.id).warnings
    assert seen == {"ads", "eu"}, "the shipped catalogue ranks a platform with each drawback"


def test_a_drawback_that_weighs_is_said_once(shipped):
    """Asked and weighing, the drawback is one of the platform's cons, not also a flag."""
    q, c = shipped
    story = kompas.explain(q, c, {**CONTACT, "opslag_gegevens": "eu_voorkeur"}, lang="nl").story
    outside = [
        p for p in story.platforms if known(c.platform(p.platform_id), "hosting") == "buiten_eu"
    ]
    assert outside
    for p in outside:
        assert any(r.criterion_id == "data_in_eu" for r in p.cons), p.platform_id
        assert not any(OUTSIDE_EU.search(f) for f in p.flags), p.flags


def test_record_and_text_view_carry_the_flags(explained):
    """The JSON record lists each ranked platform's red flags; the text view says them."""
    record = json.loads(json.dumps(explained.record()))
    expected = {p.platform_id: list(p.flags) for p in explained.story.platforms if p.flags}
    assert expected and record["summary"]["red_flags"] == expected
    with language("nl"):
        text = re.sub(r"\s+", " ", render_advice(explained.advice, explained.story))
    for flags in expected.values():
        for flag in flags:
            assert flag in text


def test_report_names_the_flags_of_the_shortlist(explained, tmp_path):
    """The council report's shortlist chapter states the red flags of the platforms it shows,
    in the HTML and in the PDF text."""
    from test_report import pdf_text

    html = render_report_html(explained, municipality="Dijkdorp", full=False)
    chapter = BeautifulSoup(html, "html.parser").select_one("#kortlijst")
    said = re.sub(r"\s+", " ", chapter.get_text(" "))
    shown = [p for p in explained.story.platforms if p.name in said and p.flags]
    assert shown, "the chapter shows a flagged platform"
    pdf = re.sub(r"\s+", " ", " ".join(pdf_text(render_pdf(explained, full=False), tmp_path)))
    for p in shown:
        for flag in p.flags:
            assert flag in said
            assert flag in pdf


def _advice_page(answered_dossier, answers) -> BeautifulSoup:
    """The advice page of a new dossier with these answers, made through the form with its token."""
    client, token = answered_dossier(answers)
    return BeautifulSoup(client.get(f"/d/{token}/advies").data, "html.parser")


def test_advice_page_shows_the_flags(answered_dossier, explained):
    """The advice page says each ranked platform's red flags on its card."""
    page = _advice_page(answered_dossier, CONTACT)
    shortlist = page.select_one("#kortlijst").find_parent("section")
    chart = {re.sub(r"\s+", " ", li.get_text(" ", strip=True)) for li in shortlist.select("li")}
    cards = {re.sub(r"\s+", " ", n.get_text(" ", strip=True)) for n in page.select("p.note")}
    shown = [p for p in explained.story.platforms if p.name in shortlist.get_text(" ")]
    assert any(p.flags for p in shown), "the shortlist shows a flagged platform"
    for p in shown:
        for flag in p.flags:
            assert flag in chart, flag
    carded = [
        p
        for p in explained.story.platforms
        if page.select_one(f"#platform-{p.platform_id}") is not None
    ]
    assert any(ADS.search(f) for p in carded for f in p.flags), "a card shows the ads flag"
    for p in carded:
        assert set(p.flags) <= cards, p.platform_id


def test_page_one_marks_the_flagged_platforms(explained):
    """Page 1 of the council report has no room for the warnings, so its table marks exactly the
    platforms that carry one, and one line under it says where they stand."""
    html = render_report_html(explained, municipality="Dijkdorp", full=False)
    table = BeautifulSoup(html, "html.parser").select_one("table.brief")
    by_name = {p.name: p for p in explained.story.platforms}
    marked, flagged = set(), set()
    for th in table.select("tbody th"):
        name = th.get_text(" ").split(". ", 1)[1].strip()
        if th.select_one(".mark"):
            marked.add(name)
        if by_name[name].flags:
            flagged.add(name)
    assert marked == flagged
    assert flagged, "the contact-only advice shows a flagged platform on page 1"
    note = BeautifulSoup(html, "html.parser").select_one("p.flagged")
    assert note is not None and "waarschuwing" in note.get_text().lower()


# Safety only: the neighbourhood-watch approaches are ranked, WhatsApp's among them.
SAFETY = {"doelen": ["veiligheid"], "hoofddoel": "veiligheid"}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_flag_carries_the_qualifier_of_its_fact(shipped, lang):
    """A fact's `flag_note:` (where the drawback does and does not apply) is said with the flag
    it raises, in the story and the JSON record, so the flag claims no more than the fact."""
    from kompas.engine.flags import red_flags
    from kompas.i18n import localise

    q, c = shipped
    e = kompas.explain(q, c, SAFETY, lang=lang)
    record = json.loads(json.dumps(e.record()))
    carried = 0
    for r in e.advice.ranking:
        flags = e.story.platform(r.platform.id).flags
        for criterion in red_flags(r, q, e.advice.answers):
            for fact_id in criterion.facts():
                note = r.platform.fact(fact_id).flag_note
                if not note:
                    continue
                with language(lang):
                    said = localise(note)
                assert any(said in f for f in flags), (r.platform.id, said, flags)
                assert any(said in f for f in record["summary"]["red_flags"][r.platform.id])
                carried += 1
    assert carried, "the shipped catalogue ranks a platform whose flag has a qualifier"


# Safety, and ads are not acceptable: the ads criterion is a must-have that excludes.
NO_ADS = {**SAFETY, "reclame_acceptabel": False}
QUALIFIED = "whatsapp_buurtpreventie"  # its `ads` fact carries a flag_note


def _qualifier(c: kompas.Catalogue, lang: str) -> str:
    from kompas.i18n import localise

    with language(lang):
        return localise(c.platform(QUALIFIED).fact("ads").flag_note)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_an_exclusion_by_a_flag_carries_its_qualifier(shipped, lang):
    """Asked about ads and answered 'not acceptable', the drawback excludes the platform: the
    exclusion reason carries the fact's qualifier as the red flag does, in the story, the JSON
    record, the text view and the council report."""
    q, c = shipped
    e = kompas.explain(q, c, NO_ADS, lang=lang)
    said = _qualifier(c, lang)
    assert said
    result = e.advice.result(QUALIFIED)
    (reason,) = [r for r in result.excluded_by if r.criterion_id == "geen_reclame"]
    assert reason.text.endswith(f" {said}"), reason.text
    assert reason in result.cons, "weighed, the con carries the same qualified sentence"
    (exclusion,) = [x for x in e.story.exclusions if x.platform_id == QUALIFIED]
    assert reason.text in [r.text for r in exclusion.reasons]
    (row,) = [x for x in e.record()["excluded"] if x["platform"] == QUALIFIED]
    explained = {x["id"]: x["explanation"] for x in row["criteria"]}
    assert explained["geen_reclame"] == reason.text
    with language(lang):
        text = re.sub(r"\s+", " ", render_advice(e.advice, e.story))
        html = render_report_html(e, municipality="Dijkdorp", full=True)
    assert reason.text in text
    assert reason.text in re.sub(r"\s+", " ", BeautifulSoup(html, "html.parser").get_text(" "))


def test_advice_page_gives_an_exclusion_by_a_flag_its_qualifier(answered_dossier, shipped):
    """The advice page's table of exclusions says the qualifier with the ads reason."""
    page = _advice_page(answered_dossier, NO_ADS)
    table = page.select_one("#uitgesloten").find_parent("section")
    name = shipped[1].platform(QUALIFIED).name
    (row,) = [tr for tr in table.select("tbody tr") if tr.th.get_text(strip=True) == name]
    said = re.sub(r"\s+", " ", row.td.get_text(" ", strip=True))
    assert "advertenties" in said and _qualifier(shipped[1], "nl") in said, said
