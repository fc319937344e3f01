"""Cost on page 1 and in the JSON record (issue 19): the budget, each shortlisted platform's
known price with source and date or "prijs onbekend", and a proposed combination, said once
by the story and shown the same on page 1 of the council report and in the record."""

from __future__ import annotations

import json
import re

import yaml
from bs4 import BeautifulSoup
from click.testing import CliRunner

import kompas
from kompas.report import render_report_html

# A municipality leaving a paid platform: a hard budget of 1,500 euro, several goals.
LEAVING = {
    "doelen": ["contact", "activiteiten", "burenhulp"],
    "hoofddoel": "contact",
    "instrument": "ja",
    "schaal": "gemeente",
    "inwoners_aantal": 25000,
    "budget_per_jaar": 1500,
    "budget_hard": True,
    "reclame_acceptabel": False,
}


def cli_record(answers: dict[str, object], tmp_path) -> dict[str, object]:
    """The JSON decision record as `kompas advise --format json` writes it."""
    from kompas.cli import main

    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump(answers, allow_unicode=True), encoding="utf-8")
    run = CliRunner().invoke(main, ["advise", str(path), "--format", "json"])
    assert run.exit_code == 0, run.output
    return json.loads(run.output)


def test_record_states_the_budget_and_each_price_as_page_one(shipped, tmp_path):
    """Every platform priced on page 1 has the same price in the record, with its amounts,
    source and date when known, and 'prijs onbekend' without amounts when not."""
    q, c = shipped
    explained = kompas.explain(q, c, LEAVING, lang="nl")
    record = cli_record(LEAVING, tmp_path)["summary"]["costs"]
    assert record["budget_per_year"] == 1500
    assert record["budget"] == "Budget: 1.500 euro per jaar."
    by_id = {p["platform"]: p for p in record["prices"]}
    page = BeautifulSoup(render_report_html(explained, full=False), "html.parser")
    first = page.select_one("section.first")
    assert record["budget"] in re.sub(r"\s+", " ", first.get_text(" "))
    names = {p.name: p.id for p in c.platforms}
    rows = first.select("table.brief tbody tr")
    assert rows
    statuses = set()
    for row in rows:
        name = row.select_one("th").get_text(" ", strip=True).split(". ", 1)[1]
        entry = by_id[names[name]]
        assert entry["price"] == row.select_one("td.price").get_text(" ", strip=True)
        fact = c.platform(names[name]).fact(q.cost_fact)
        statuses.add(entry["status"])
        if fact.known:
            assert entry["status"] == "known"
            assert (entry["per_year_low"], entry["per_year_high"]) == (
                fact.value["min"],
                fact.value["max"],
            )
            assert entry["source"] == fact.source
            assert entry["source_date"] == (fact.source_date or fact.checked).isoformat()
        elif fact.status == "unknown":
            assert entry["price"] == "prijs onbekend" and entry["per_year_low"] is None
    assert {"known", "unknown"} <= statuses, "the profile shows a known and an unknown price"


def test_record_prices_the_shortlist_in_ranking_order(shipped):
    """The record's prices follow the shortlist the story shows, none left out."""
    q, c = shipped
    explained = kompas.explain(q, c, LEAVING, lang="nl")
    priced = [p["platform"] for p in explained.record()["summary"]["costs"]["prices"]]
    shortlisted = [row.platform_id for row in explained.story.shortlist]
    assert shortlisted and priced == shortlisted


def test_no_budget_no_budget_in_the_record(shipped):
    """Without a budget answer the record states none, but still prices the shortlist."""
    q, c = shipped
    costs = kompas.explain(q, c, {"doelen": ["burenhulp"]}, lang="nl").record()["summary"]["costs"]
    assert costs["budget_per_year"] is None and costs["budget"] == ""
    assert costs["prices"]
