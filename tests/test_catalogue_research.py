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
