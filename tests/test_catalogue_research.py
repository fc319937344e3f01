"""The desk-research log: it reads against the catalogue, and platform pages quote it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kompas.engine.research import DEFAULT_LOG
from kompas.engine.research import not_found
from kompas.engine.research import read_log
from kompas.engine.research import searched_in_vain
from kompas.errors import DataError
from kompas.web import create_app


def test_shipped_log_reads_against_the_catalogue(shipped):
    _q, c = shipped
    searches = read_log(c)
    assert searches
    # Every platform added or corrected for issue 20 says what was searched for it.
    added = {"vraagapp", "burgernet", "dagendoen", "digitale_dorpspleinen"}
    assert added <= {s.platform for s in searches}


def test_a_search_for_a_platform_or_fact_not_in_the_catalogue_is_refused(shipped, tmp_path: Path):
    _q, c = shipped
    text = DEFAULT_LOG.read_text(encoding="utf-8")
    bad = tmp_path / "log.yaml"
    bad.write_text(
        text + "  - {platform: hoplr, facts: [kleur], when: 2026-12, where: x, found: false}\n"
    )
    with pytest.raises(DataError, match="kleur"):
        read_log(c, bad)
    bad.write_text(
        text + "  - {platform: nergens, facts: [ads], when: 2026-12, where: x, found: false}\n"
    )
    with pytest.raises(DataError, match="nergens"):
        read_log(c, bad)
    future = (dt.date.today() + dt.timedelta(days=40)).isoformat()
    bad.write_text(
        text + f"  - {{platform: hoplr, facts: [ads], when: {future}, where: x, found: false}}\n"
    )
    with pytest.raises(DataError, match="future"):
        read_log(c, bad)


def test_a_fact_found_once_is_not_reported_as_not_found(shipped, tmp_path: Path):
    _q, c = shipped
    log = tmp_path / "log.yaml"
    log.write_text(
        "searches:\n"
        "  - {platform: hoplr, facts: [hosting, ads], when: 2026-11, where: x, found: false}\n"
        "  - {platform: hoplr, facts: [hosting], when: 2026-12-02, where: y, found: false}\n"
        "  - {platform: hoplr, facts: [ads], when: 2026-12-03, where: z, found: true}\n"
    )
    assert not_found(read_log(c, log), "hoplr") == {"hosting": dt.date(2026, 12, 2)}


def test_platform_page_says_what_was_searched_in_vain(shipped):
    _q, c = shipped
    pid, searched = next((p.id, s) for p in c.platforms if (s := searched_in_vain(c, p.id)))
    fid, month = next(iter(searched.items()))
    assert c.platform(pid).fact(fid).status == "unknown"
    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://"})
    page = app.test_client().get(f"/platforms/{pid}").get_data(as_text=True)
    row = page[page.index(f'id="feit-{fid}"') :]
    row = row[: row.index("</tr>")]
    assert f"niet gevonden in openbare bronnen (gezocht {month})" in row
    assert month.endswith(" 2026") and month.split()[0] in ("december", "november")


def test_report_says_what_was_searched_in_vain(shipped):
    """An unknown in a platform's report section whose facts were all searched in vain says
    when; one with a fact never searched says nothing of the kind."""
    from bs4 import BeautifulSoup

    import kompas
    from kompas.cli import read_answers
    from kompas.report import render_report_html

    q, c = shipped
    examples = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.yaml"))
    said = silent = 0
    for example in examples:
        advice = kompas.advise(q, c, read_answers(example))
        soup = BeautifulSoup(render_report_html(advice, q, c, municipality="T"), "html.parser")
        for r, section in zip(advice.ranking, soup.select("section.platform"), strict=False):
            in_vain = searched_in_vain(c, r.platform.id)
            items = {
                " ".join(li.get_text(" ").split()).removeprefix("? "): li
                for li in section.select("li.unk")
            }
            for result in r.results:
                unknown = [f.id for f in result.facts if f.status == "unknown"]
                li = next((v for k, v in items.items() if k.startswith(result.text)), None)
                if not unknown or li is None:
                    continue
                mark = li.find(class_="searched")
                if all(f in in_vain for f in unknown):
                    assert mark is not None and in_vain[unknown[0]] in mark.get_text()
                    said += 1
                else:
                    assert mark is None
                    silent += 1
    assert said and silent  # both cases occur in the examples


def test_validate_reports_a_broken_research_log(monkeypatch, tmp_path: Path):
    """A mistake in the log fails `kompas validate` with its file and line, never mutes checks."""
    from kompas.engine import research
    from kompas.engine.lint import validate

    text = research.DEFAULT_LOG.read_text(encoding="utf-8")
    broken = tmp_path / "research-log.yaml"
    broken.write_text(text.replace("    found: false", "    found: maybe", 1), encoding="utf-8")
    monkeypatch.setattr(research, "DEFAULT_LOG", broken)
    report = validate()
    assert [(p.location.file, p.path) for p in report.errors] == [
        ("research-log.yaml", "searches[0].found")
    ]
    assert report.errors[0].location.line > 0

    monkeypatch.setattr(research, "DEFAULT_LOG", tmp_path / "missing.yaml")
    (missing,) = validate().errors
    assert missing.location.file.endswith("missing.yaml")
    assert "cannot read" in missing.message
