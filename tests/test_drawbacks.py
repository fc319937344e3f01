"""Documented drawbacks: sourced like facts, searched for every platform alike, and shown.

A drawback (platforms.yaml `drawbacks:`) is a setback or limitation found in a public
source. These tests hold the shipped data to that, check that a broken list is reported
with file, line and key, and that the platform page, the report and the text view say it
with its source.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup

import kompas
from kompas.cli import read_answers
from kompas.engine.catalogue import read_catalogue
from kompas.engine.model import EVIDENCE
from kompas.engine.model import UNDATED_REASONS
from kompas.engine.research import DRAWBACKS
from kompas.engine.research import drawbacks_searched
from kompas.engine.research import read_log
from kompas.i18n import language as use
from kompas.present.drawbacks import drawback_notes
from kompas.present.drawbacks import drawbacks_of
from kompas.report import render_report_html
from kompas.textview import platform_details
from tests.conftest import MINI_PLATFORMS
from tests.conftest import MINI_QUESTIONS
from tests.conftest import dossier_with_answers
from tests.test_catalogue_data import PLATFORMS
from tests.test_catalogue_data import problems

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
REQUIRED = ("text", "text_en", "source", "checked", "evidence", "source_date")


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    return yaml.load(PLATFORMS.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def _drawback_problems(data: dict[str, Any]) -> list[str]:
    """Every drawback that is not sourced, dated and classified like a known fact."""
    found = []
    for p in data["platforms"]:
        for i, d in enumerate(p.get("drawbacks") or []):
            where = f"{p['id']}.drawbacks[{i}]"
            found += [f"{where}: no {key}" for key in REQUIRED if not d.get(key)]
            if d.get("evidence") and d["evidence"] not in EVIDENCE:
                found.append(f"{where}: unknown evidence level {d['evidence']}")
            if not str(d.get("source", "")).startswith(("https://", "http://")):
                found.append(f"{where}: the source is not a web address")
            if d.get("source_date") == "unknown" and d.get("undated") not in UNDATED_REASONS:
                found.append(f"{where}: no source date and no reason why not")
    return found


def test_every_shipped_drawback_is_sourced_dated_and_translated(data):
    assert _drawback_problems(data) == []
    assert any(p.get("drawbacks") for p in data["platforms"])


def test_a_drawback_without_source_or_translation_fails(data):
    bad = copy.deepcopy(data)
    drawback = next(d for p in bad["platforms"] for d in p.get("drawbacks") or [])
    del drawback["source"]
    del drawback["text_en"]
    found = _drawback_problems(bad)
    assert any(m.endswith(": no source") for m in found)
    assert any(m.endswith(": no text_en") for m in found)


def test_descriptions_carry_no_sources_of_their_own(data):
    """A setback with its link belongs in drawbacks:, not inside the description."""
    for p in data["platforms"]:
        for key in ("description", "description_en"):
            assert "http" not in p.get(key, ""), f"{p['id']}.{key} cites a source"


def test_a_drawback_on_a_rivals_site_fails(data):
    """The rival-site rule of the facts holds for drawbacks, without any exemption."""
    assert problems(data) == []
    bad = copy.deepcopy(data)
    homes = [p for p in bad["platforms"] if p.get("homepage", "unknown") != "unknown"]
    rival, victim = homes[0], homes[1]
    victim["drawbacks"] = [
        {
            "text": "Een kanttekening.",
            "text_en": "A drawback.",
            "source": rival["homepage"].rstrip("/") + "/vergelijking",
            "checked": "2026-12-07",
            "evidence": "leverancier",
            "source_date": "2026",
        }
    ]
    assert any(
        f"{victim['id']}.drawbacks[0]: its source is the site of {rival['id']}" in m
        for m in problems(bad)
    )


def test_every_platform_has_a_drawback_or_a_logged_search_for_one(shipped):
    """Even-handed: the same search for every platform, vendor and non-profit alike."""
    _q, catalogue = shipped
    searched = {s.platform for s in read_log(catalogue) if DRAWBACKS in s.facts}
    missing = [p.id for p in catalogue.platforms if not p.drawbacks and p.id not in searched]
    assert missing == []
    found = {s.platform for s in read_log(catalogue) if DRAWBACKS in s.facts and s.found}
    assert found <= {p.id for p in catalogue.platforms if p.drawbacks}


BROKEN = """
    drawbacks:
      - text: Te weinig reacties in 2020.
        text_en: Too few responses in 2020.
        checked: 2026-12-07
        evidence: hoorzeggen
        source_date: unknown
"""


def test_a_malformed_drawbacks_list_names_file_line_and_key(tmp_path, monkeypatch):
    original = (DATA / "mini_platforms.yaml").read_text(encoding="utf-8")
    first = next(line for line in original.splitlines() if line.startswith("    description:"))
    text = original.replace(first, first + BROKEN.rstrip("\n"), 1)
    (tmp_path / "platforms.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    catalogue, check = read_catalogue("platforms.yaml")
    assert catalogue is None
    shown = [str(p) for p in check.errors]
    item = text.splitlines().index("      - text: Te weinig reacties in 2020.") + 1
    evidence = text.splitlines().index("        evidence: hoorzeggen") + 1
    assert any(
        s.startswith(f"platforms.yaml:{item}:")
        and "platforms[0].drawbacks[0]" in s
        and "source" in s
        for s in shown
    ), shown
    assert any(
        s.startswith(f"platforms.yaml:{evidence}:") and "platforms[0].drawbacks[0].evidence" in s
        for s in shown
    ), shown


def test_a_drawbacks_key_that_is_no_list_is_an_error(tmp_path, monkeypatch):
    original = (DATA / "mini_platforms.yaml").read_text(encoding="utf-8")
    first = next(line for line in original.splitlines() if line.startswith("    description:"))
    (tmp_path / "platforms.yaml").write_text(
        original.replace(first, first + "\n    drawbacks: geen", 1), encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    catalogue, check = read_catalogue("platforms.yaml")
    assert catalogue is None
    assert any("platforms[0].drawbacks" in str(p) for p in check.errors)


def _with_drawbacks(catalogue: kompas.Catalogue) -> kompas.Platform:
    return next(p for p in catalogue.platforms if p.drawbacks)


def test_platform_page_shows_drawbacks_with_their_sources(client, catalogue):
    for platform in catalogue.platforms:
        response = client.get(f"/platforms/{platform.id}")
        soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        section = soup.find("section", id="kanttekeningen")
        assert section is not None and section.find("h2")
        shown = " ".join(section.get_text(" ").split())
        for d in platform.drawbacks:
            assert " ".join(str(d.text).split()) in shown
            link = section.find("a", href=d.source)
            assert link is not None and link["rel"] == ["noreferrer", "noopener", "external"]
        if not platform.drawbacks:
            # Every platform was searched (see the even-handedness test above).
            assert "Geen gedocumenteerde kanttekeningen gevonden" in shown


def test_platform_page_in_english_shows_the_english_text(client, catalogue):
    platform = _with_drawbacks(catalogue)
    response = client.get(f"/platforms/{platform.id}?lang=en")
    page = " ".join(response.get_data(as_text=True).split())
    with use("en"):
        notes = drawback_notes(platform)
    assert notes[0].text in page
    assert "Drawbacks from public sources" in page


def test_report_and_text_view_say_the_drawbacks_of_the_leaders(shipped):
    q, c = shipped
    answers = read_answers(ROOT / "examples" / "burenhulp-dorp.yaml")
    explanation = kompas.explain(q, c, answers, lang="nl")
    html = render_report_html(explanation, municipality="Proefdorp", date=dt.date(2026, 12, 7))
    soup = BeautifulSoup(html, "html.parser")
    sheets = " ".join(h.get_text(" ") for h in soup.select("section.platform h2"))
    ranked = [r.platform for r in explanation.advice.ranking if f". {r.platform.name}" in sheets]
    leaders = [p for p in ranked if p.drawbacks]
    assert leaders, "the example should give a sheet to a platform with a documented drawback"
    listed = " ".join(soup.get_text(" ").split())
    assert "Kanttekeningen uit openbare bronnen" in listed
    sources = {a["href"] for a in soup.select("#bijlage-bronnen a[href], .appendix a[href]")}
    for platform in leaders:
        for d in platform.drawbacks:
            assert " ".join(str(d.text).split()) in listed
            assert d.source in sources
    story = explanation.story
    p = next(s for s in story.platforms if s.platform_id == leaders[0].id)
    text = " ".join(" ".join(platform_details(p)).split())
    assert "Kanttekening:" in text
    assert " ".join(str(leaders[0].drawbacks[0].text).split())[:40] in text


def test_advice_page_says_the_drawbacks_of_the_platforms_it_explains(app):
    """The advisor's own page says a platform's setbacks where it explains the platform."""
    answers = read_answers(ROOT / "examples" / "burenhulp-dorp.yaml")
    client, token = dossier_with_answers(app, answers)
    response = client.get(f"/d/{token}/advies", query_string={"alle": "1"})
    assert response.status_code == 200
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    catalogue = app.extensions["kompas"]["catalogue"]
    shown = 0
    for block in soup.select("details.platform"):
        pid = block["id"].removeprefix("platform-")
        platform = catalogue.index[pid]
        text = " ".join(block.get_text(" ").split())
        for d in platform.drawbacks:
            assert " ".join(str(d.text).split()) in text
            assert block.find("a", href=d.source) is not None
            shown += 1
        if not platform.drawbacks:
            assert block.find("ul", class_="drawbacks") is None
    assert shown, "the example should explain a platform with a documented drawback"


def _compared_through_the_form(client, chosen: list[kompas.Platform], **extra: str):
    """The comparison the list's form sends for `chosen` (ticked boxes, as a browser sends)."""
    listing = BeautifulSoup(client.get("/platforms/").get_data(as_text=True), "html.parser")
    form = listing.find("form", action="/platforms/vergelijk")
    boxes = [b["value"] for b in form.select("input[type=checkbox][name=p]")]
    query = [("p", p.id) for p in chosen if p.id in boxes]
    assert len(query) == len(chosen)
    response = client.get(form["action"], query_string=[*query, *extra.items()])
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def _one_with_and_one_searched_in_vain(catalogue: kompas.Catalogue) -> list[kompas.Platform]:
    plain = next(
        p for p in catalogue.platforms if not p.drawbacks and drawbacks_searched(catalogue, p.id)
    )
    return [_with_drawbacks(catalogue), plain]


def test_comparison_says_each_platforms_drawbacks_apart_from_the_tables(client, catalogue):
    """An advisor comparing sees a setback with its source, or that a search found none."""
    chosen = _one_with_and_one_searched_in_vain(catalogue)
    soup = _compared_through_the_form(client, chosen)
    section = soup.find("section", id="kanttekeningen")
    assert section is not None and section.find_parent("table") is None
    assert " ".join(section.find("h2").get_text(" ").split()) == (
        "Kanttekeningen uit openbare bronnen"
    )
    columns = section.select(".drawback-column")
    assert [c["id"] for c in columns] == [f"kanttekeningen-{p.id}" for p in chosen]
    noted, plain = columns
    shown = " ".join(noted.get_text(" ").split())
    for note in drawback_notes(chosen[0]):
        assert " ".join(note.text.split()) in shown
        assert note.said in shown
        link = noted.find("a", href=note.source)
        assert link is not None and link.get_text(strip=True) == note.host
        assert link["rel"] == ["noreferrer", "noopener", "external"]
    month = drawbacks_searched(catalogue, chosen[1].id)
    assert " ".join(plain.get_text(" ").split()).endswith(
        f"Geen gedocumenteerde kanttekeningen gevonden in openbare bronnen (gezocht {month})."
    )
    assert plain.find("ul") is None
    # Not a fact row and not a criterion: the tables never carry a setback.
    tables = " ".join(" ".join(t.get_text(" ").split()) for t in soup.find_all("table"))
    assert all(" ".join(d.text.split()) not in tables for d in chosen[0].drawbacks)


def test_comparison_keeps_the_drawbacks_when_it_shows_only_differences(client, catalogue):
    chosen = _one_with_and_one_searched_in_vain(catalogue)
    soup = _compared_through_the_form(client, chosen, alleen_verschillen="1")
    section = soup.find("section", id="kanttekeningen")
    assert section.find("a", href=chosen[0].drawbacks[0].source) is not None


def test_comparison_in_english_says_the_drawbacks_in_english(client, catalogue):
    chosen = _one_with_and_one_searched_in_vain(catalogue)
    soup = _compared_through_the_form(client, chosen, lang="en")
    shown = " ".join(soup.find("section", id="kanttekeningen").get_text(" ").split())
    with use("en"):
        notes = drawback_notes(chosen[0])
        month = drawbacks_searched(catalogue, chosen[1].id)
    assert shown.startswith("Drawbacks from public sources")
    assert " ".join(notes[0].text.split()) in shown
    assert f"No documented drawbacks found in public sources (searched {month})." in shown


def test_comparison_against_a_dossier_says_the_drawbacks_too(app):
    """The shortlist compared against the dossier's criteria: setbacks under the tables."""
    answers = read_answers(ROOT / "examples" / "burenhulp-dorp.yaml")
    client, token = dossier_with_answers(app, answers)
    response = client.get("/platforms/vergelijk", query_string={"d": token})
    assert response.status_code == 200
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    catalogue = app.extensions["kompas"]["catalogue"]
    assert soup.select_one("table.criteria-compare") is not None
    columns = soup.select("section#kanttekeningen .drawback-column")
    assert columns
    for column in columns:
        platform = catalogue.index[column["id"].removeprefix("kanttekeningen-")]
        for d in platform.drawbacks:
            assert column.find("a", href=d.source) is not None
        if not platform.drawbacks:
            assert "Geen gedocumenteerde kanttekeningen gevonden" in column.get_text(" ")


def test_a_platform_never_searched_says_so():
    _q, c = kompas.load(MINI_QUESTIONS, MINI_PLATFORMS)
    platform = next(p for p in c.platforms if not p.drawbacks)
    assert drawbacks_of(c, platform).none == "Nog niet naar kanttekeningen gezocht."


def test_the_council_version_says_the_leaders_drawbacks_with_their_source(shipped):
    """The council version has no platform sheets: the leader's setbacks stand beside its caveats."""
    q, c = shipped
    answers = read_answers(ROOT / "examples" / "burenhulp-dorp.yaml")
    for lang, heading in (("nl", "Uit openbare bronnen"), ("en", "From public sources")):
        explanation = kompas.explain(q, c, answers, lang=lang)
        leader = explanation.story.platforms[0]
        assert leader.drawbacks, "the example's leader should have a documented drawback"
        html = render_report_html(
            explanation, municipality="Proefdorp", date=dt.date(2026, 12, 7), full=False
        )
        soup = BeautifulSoup(html, "html.parser")
        assert not soup.select("section.platform"), "the council version has no platform sheets"
        listed = " ".join(soup.get_text(" ").split())
        assert heading in listed
        for d in leader.drawbacks:
            assert " ".join(d.text.split()) in listed
            assert soup.select(f'ul.drawbacks a[href="{d.source}"]')
