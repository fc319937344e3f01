"""The desk-research log: which facts of which platform were searched, where, when, and found.

The log (kompas/data/research-log.yaml, format in docs/data-format.md) lets the next curator
skip searches already done, and lets a platform page say that an unknown fact was looked for
in public sources and not found.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from kompas.engine.checks import Checker
from kompas.engine.checks import describe
from kompas.engine.model import Catalogue
from kompas.engine.yamlsource import Node
from kompas.engine.yamlsource import load_file
from kompas.errors import DataError

DEFAULT_LOG = Path(__file__).resolve().parent.parent / "data" / "research-log.yaml"
MONTH = re.compile(r"(20[0-9]{2})-(0[1-9]|1[0-2])")
# Not a fact of the schema: a search for documented setbacks (a platform's `drawbacks:`).
DRAWBACKS = "drawbacks"


@dataclass(frozen=True, slots=True)
class Search:
    """One search for some facts of one platform."""

    platform: str
    facts: tuple[str, ...]
    when: dt.date  # the first day of the month when only the month is recorded
    where: str
    found: bool
    note: str = ""
    line: int = 0


def read_log(catalogue: Catalogue, path: str | Path | None = None) -> tuple[Search, ...]:
    """Read and check the research log against the catalogue; raise DataError on mistakes."""
    path = Path(path) if path else DEFAULT_LOG
    tree, _raw = load_file(path, path.name)
    check = Checker()
    top = check.mapping(tree, "", required=("searches",))
    searches = []
    if top is not None:
        for i, node in enumerate(check.sequence(top["searches"], "searches")):
            search = _search(node, f"searches[{i}]", catalogue, check)
            if search is not None:
                searches.append(search)
    if check.errors:
        raise DataError(check.errors)
    return tuple(searches)


def _search(node: Node, path: str, catalogue: Catalogue, check: Checker) -> Search | None:
    body = check.mapping(
        node, path, required=("platform", "facts", "when", "where", "found"), optional=("note",)
    )
    if body is None:
        return None
    pid = check.one_of(body["platform"], f"{path}.platform", catalogue.index, "platform")
    facts = []
    for j, child in enumerate(check.sequence(body["facts"], f"{path}.facts")):
        fid = check.one_of(child, f"{path}.facts[{j}]", [*catalogue.facts, DRAWBACKS], "fact")
        if fid:
            facts.append(fid)
    when = _month_or_date(body["when"], f"{path}.when", check)
    where = check.text(body["where"], f"{path}.where")
    found = check.boolean(body["found"], f"{path}.found", "true/false")
    note = check.text(body["note"], f"{path}.note") if "note" in body else ""
    if not pid or not facts or when is None or not where or found is None:
        return None
    return Search(pid, tuple(facts), when, where, found, note, node.location.line)


def _month_or_date(node: Node, path: str, check: Checker) -> dt.date | None:
    value = node.value
    if isinstance(value, str) and MONTH.fullmatch(value):
        day = dt.date(int(value[:4]), int(value[5:]), 1)
    elif isinstance(value, dt.date):
        day = value
    else:
        check.error(node, path, f"expected a date or a month like 2026-12, got {describe(value)}")
        return None
    if day > dt.date.today():
        check.error(node, path, f"the search date {day.isoformat()} is in the future")
        return None
    return day


def not_found(searches: tuple[Search, ...], platform_id: str) -> Mapping[str, dt.date]:
    """Per fact of a platform: the latest search that did not find it (only if none found it)."""
    latest: dict[str, dt.date] = {}
    found: set[str] = set()
    for s in searches:
        if s.platform != platform_id:
            continue
        for fid in s.facts:
            if s.found:
                found.add(fid)
            elif fid not in latest or s.when > latest[fid]:
                latest[fid] = s.when
    return {fid: day for fid, day in latest.items() if fid not in found}


def last_searched(
    searches: tuple[Search, ...], platform_id: str, since: dt.date
) -> Mapping[str, dt.date]:
    """Per fact of a platform: the date of its last search on or after `since`.

    For a known fact a search looks for a newer source: `found: true` says one was found and
    taken over (or why not), `found: false` that the fact still rests on its old source.
    """
    latest: dict[str, dt.date] = {}
    for s in searches:
        if s.platform != platform_id or s.when < since:
            continue
        for fid in s.facts:
            latest[fid] = max(s.when, latest.get(fid, s.when))
    return latest


def shipped_log(catalogue: Catalogue) -> tuple[Search, ...]:
    """The shipped research log, or none when it does not fit this catalogue."""
    return _shipped_log(catalogue)


def month_name(day: dt.date) -> str:
    """'december 2026' in the current language."""
    from kompas.numbers import format_month

    return format_month(day)


_LOGS: dict[str, tuple[Search, ...]] = {}


def _shipped_log(catalogue: Catalogue) -> tuple[Search, ...]:
    """The shipped log, read once per catalogue content; empty when it does not fit it."""
    # Keyed on the catalogue's hash: the log only describes the catalogue it was checked with.
    if catalogue.content_hash not in _LOGS:
        try:
            _LOGS[catalogue.content_hash] = read_log(catalogue)
        except (DataError, OSError):
            _LOGS[catalogue.content_hash] = ()
    return _LOGS[catalogue.content_hash]


def searched_in_vain(catalogue: Catalogue, platform_id: str) -> dict[str, str]:
    """Per unknown fact of a platform searched without result: the month of the last search."""
    platform = catalogue.index.get(platform_id)
    if platform is None:
        return {}
    searches = _shipped_log(catalogue)
    return {
        fid: month_name(day)
        for fid, day in not_found(searches, platform_id).items()
        if fid in catalogue.facts and platform.fact(fid).status == "unknown"
    }


def drawbacks_searched(catalogue: Catalogue, platform_id: str) -> str:
    """The month of the latest search for a platform's drawbacks ("" when none is logged)."""
    days = [
        s.when
        for s in _shipped_log(catalogue)
        if s.platform == platform_id and DRAWBACKS in s.facts
    ]
    return month_name(max(days)) if days else ""
