"""The shipped catalogue keeps its own promises: evidence, dates, homepages, functions, n/a, rivals.

Each rule is checked on the shipped platforms.yaml and, to show the rule bites, on a copy
with one planted mistake.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from kompas.engine.model import EVIDENCE
from kompas.engine.model import UNDATED_REASONS

PLATFORMS = Path(__file__).resolve().parent.parent / "kompas" / "data" / "platforms.yaml"
# Facts about where a digital system keeps participants' details.
DATA_FACTS = ("hosting", "data_owner", "data_export")


def _value(cell: Any) -> Any:
    return cell.get("value") if isinstance(cell, dict) else cell


def _known(cell: Any) -> bool:
    return isinstance(cell, dict) and _value(cell) not in ("unknown", "not_applicable")


def _independent_hosts(data: dict[str, Any]) -> set[str]:
    """Hosts of pages cited as independent evidence: articles and research, not own sites."""
    return {
        urlsplit(cell["source"]).hostname or ""
        for p in data["platforms"]
        for cell in (p.get("facts") or {}).values()
        if _known(cell) and cell.get("evidence") == "onafhankelijk"
    }


def _link_problems(p: dict[str, Any], articles: set[str]) -> list[str]:
    if "homepage" not in p:
        return [f"{p['id']}: no homepage (write a web address or unknown)"]
    home = p["homepage"]
    if "url" in p and p["url"] != home:
        return [f"{p['id']}: url {p['url']} is not the homepage; cite it as a source"]
    if home == "unknown":
        return []
    parts = urlsplit(home)
    segments = [s for s in parts.path.split("/") if s]
    if parts.query or len(segments) > 1 or (parts.hostname or "") in articles:
        return [f"{p['id']}: homepage {home} looks like a source about it, not its own site"]
    return []


def _fact_problems(p: dict[str, Any]) -> list[str]:
    found = []
    facts = p.get("facts") or {}
    if not isinstance(facts.get("functions"), dict) or not _known(facts["functions"]):
        found.append(f"{p['id']}: functions is not known")
    for fid, cell in facts.items():
        where = f"{p['id']}.{fid}"
        if _known(cell):
            if cell.get("evidence") not in EVIDENCE:
                found.append(f"{where}: a known fact without evidence level")
            date = cell.get("source_date")
            if date is None or (date == "unknown" and cell.get("undated") not in UNDATED_REASONS):
                found.append(f"{where}: no source date and no reason why not")
        elif _value(cell) == "not_applicable":
            found += _na_problems(p, fid, cell)
    return found


def _na_problems(p: dict[str, Any], fid: str, cell: Any) -> list[str]:
    facts = p.get("facts") or {}
    where = f"{p['id']}.{fid}"
    explained = isinstance(cell, dict) and cell.get("note")
    if p["category"] != "offline" and not explained:
        # A digital platform can have every fact of the schema unless a note says why not.
        return [f"{where}: not applicable on a digital platform without a note"]
    matching = facts.get("human_matching")
    if fid in DATA_FACTS and _known(matching) and matching["value"] in (True, "true"):
        # Whoever matches people keeps their details somewhere: unknown, not n/a.
        return [f"{where}: not applicable although participants are matched"]
    return []


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").removeprefix("www.")


def _competitor_problems(data: dict[str, Any]) -> list[str]:
    """Facts resting on another catalogue platform's own site, passed off as independent."""
    homes = {
        _host(p["homepage"]): p["id"]
        for p in data["platforms"]
        if p.get("homepage", "unknown") != "unknown"
    }
    found = []
    for p in data["platforms"]:
        cells = {**(p.get("facts") or {}), "availability": p.get("availability")}
        for fid, cell in cells.items():
            if not _known(cell) or not isinstance(cell.get("source"), str):
                continue
            owner = homes.get(_host(cell["source"]))
            said = "concurre" in cell.get("note", "")  # concurrent, concurrerende
            if (
                owner not in (None, p["id"])
                and cell.get("evidence") == "onafhankelijk"
                and not said
            ):
                found.append(f"{p['id']}.{fid}: its source is the site of {owner}, a competitor")
        for i, drawback in enumerate(p.get("drawbacks") or []):
            # A setback is never taken from a rival's own site, whatever a note says.
            owner = homes.get(_host(str(drawback.get("source", ""))))
            if owner not in (None, p["id"]):
                found.append(
                    f"{p['id']}.drawbacks[{i}]: its source is the site of {owner}, a competitor"
                )
    return found


def problems(data: dict[str, Any]) -> list[str]:
    """Every broken promise in a parsed platforms.yaml."""
    articles = _independent_hosts(data)
    found = _competitor_problems(data)
    for p in data["platforms"]:
        found += _link_problems(p, articles)
        found += _fact_problems(p)
    return found


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    return yaml.load(PLATFORMS.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def _platform(data: dict[str, Any], pid: str) -> dict[str, Any]:
    return next(p for p in data["platforms"] if p["id"] == pid)


def test_shipped_catalogue_keeps_its_promises(data):
    assert problems(data) == []


def test_a_known_fact_without_evidence_fails(data):
    bad = copy.deepcopy(data)
    cell = next(c for c in _platform(bad, "hoplr")["facts"].values() if _known(c))
    del cell["evidence"]
    assert any("without evidence level" in m for m in problems(bad))


def test_an_undated_fact_without_a_reason_fails(data):
    bad = copy.deepcopy(data)
    cell = next(
        c
        for p in bad["platforms"]
        for c in (p.get("facts") or {}).values()
        if _known(c) and c.get("source_date") == "unknown"
    )
    del cell["undated"]
    assert any("no reason why not" in m for m in problems(bad))


def test_an_article_as_the_platform_link_fails(data):
    bad = copy.deepcopy(data)
    p = _platform(bad, "nextdoor")
    p["url"] = "https://www.consumentenbond.nl/internet-privacy/nextdoor-buurtapp"
    assert any("not the homepage" in m for m in problems(bad))
    del p["url"]
    p["homepage"] = "https://www.nu.nl/haarlem/6088003/haarlems-bewonersplatform-buuv.html"
    assert any("looks like a source" in m for m in problems(bad))


def test_not_applicable_on_a_fact_the_platform_can_have_fails(data):
    bad = copy.deepcopy(data)
    _platform(bad, "hoplr")["facts"]["hosting"] = "not_applicable"
    assert any("hoplr.hosting: not applicable on a digital platform" in m for m in problems(bad))
    bad = copy.deepcopy(data)
    _platform(bad, "anwb_automaatje")["facts"]["hosting"] = "not_applicable"
    assert any("although participants are matched" in m for m in problems(bad))


def test_a_platform_without_functions_fails(data):
    bad = copy.deepcopy(data)
    del _platform(bad, "buurtbuik")["facts"]["functions"]
    assert any("buurtbuik: functions is not known" in m for m in problems(bad))
    bad = copy.deepcopy(data)
    _platform(bad, "buurtbuik")["facts"]["functions"] = "not_applicable"
    assert any("buurtbuik: functions is not known" in m for m in problems(bad))


def test_a_competitors_page_as_independent_evidence_fails(data):
    """A fact whose only source is another platform's site is marked as such, not independent."""
    bad = copy.deepcopy(data)
    homes = [p for p in bad["platforms"] if p.get("homepage", "unknown") != "unknown"]
    rival, victim = homes[0], homes[1]
    cell = next(c for c in victim["facts"].values() if _known(c))
    cell["source"] = rival["homepage"].rstrip("/") + "/vergelijking"
    cell["evidence"] = "onafhankelijk"
    cell["note"] = ""
    assert any(f"the site of {rival['id']}, a competitor" in m for m in problems(bad))
    cell["note"] = "Volgens een concurrerende leverancier."
    assert not any("a competitor" in m for m in problems(bad))
