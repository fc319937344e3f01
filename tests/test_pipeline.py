"""One pipeline: the advice page, the comparison, the CLI and the record tell one advice."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

import kompas
from kompas.engine.vendor import VendorAnswer
from kompas.engine.vendor import local_fact_map
from tests.conftest import form_csrf

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "burenhulp-dorp.yaml"
SHOWN = 4  # platforms the comparison shows when a dossier link names none: its shortlist's first


def _vendor_says_yes(c: kompas.Catalogue, r: kompas.PlatformResult) -> list[VendorAnswer]:
    """A vendor answering 'yes' to every unknown yes/no fact the advice reads for a platform."""
    ids = {
        f.id
        for cr in r.unknowns
        for f in cr.facts
        if f.status == "unknown" and c.facts[f.id].type == "bool"
    }
    day = dt.date(2026, 11, 30)
    return [
        VendorAnswer(r.platform.id, fid, True, "verklaring leverancier", day, "B. Bakker")
        for fid in sorted(ids)
    ]


def _compared(explained: kompas.Explanation) -> list[str]:
    """The platforms a link from the dossier compares: its shortlist's first SHOWN."""
    return [row.platform_id for row in explained.story.shortlist][:SHOWN]


def _reordering_answers(answers: dict) -> list[VendorAnswer]:
    """Vendor answers that change the compared shortlist (searched, not hard-coded)."""
    q, c = kompas.load()
    plain = kompas.explain(q, c, answers)
    before = _compared(plain)
    for r in plain.advice.ranking[1:]:
        given = _vendor_says_yes(c, r)
        if not given:
            continue
        if _compared(kompas.explain(q, c, answers, local_facts=local_fact_map(given))) != before:
            return given
    raise AssertionError("no vendor answer changes the shortlist of the example's advice")


def test_comparison_against_a_dossier_is_the_advice_page_with_local_facts(answered_dossier):
    """The comparison shows the advice page's order and scores, vendor facts included (CSRF on)."""
    answers = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    client, token = answered_dossier(answers)
    given = _reordering_answers(answers)
    platform = given[0].platform_id
    form = client.get(f"/d/{token}/leveranciersfeiten?platform={platform}")
    data = {"platform": platform, "name": "B. Bakker", "how": "telefoon"}
    data["csrf_token"] = form_csrf(form.data)
    for answer in given:
        data |= {
            f"{answer.fact_id}-value": "true",
            f"{answer.fact_id}-source": answer.source,
            f"{answer.fact_id}-date": answer.date.isoformat(),
        }
    assert client.post(f"/d/{token}/leveranciersfeiten", data=data).status_code == 302

    page = BeautifulSoup(client.get(f"/d/{token}/advies").data, "html.parser")
    short = page.select("table.shortlist tbody th")
    names = [th.get_text(strip=True).split(". ", 1)[1] for th in short][:SHOWN]
    ranking = {
        row.select_one("th").get_text(strip=True): row.select("td")[1].get_text(strip=True)
        for row in page.select("table.ranking tbody tr")
    }
    scores = [ranking[name] for name in names]
    compare = BeautifulSoup(client.get(f"/platforms/vergelijk?d={token}").data, "html.parser")
    table = compare.select_one("table.criteria-compare")
    heads = [th.get_text(strip=True) for th in table.select("thead th")][2:]
    cells = [
        td.select_one("strong").get_text(strip=True) for td in table.select("tr.score-row td")[1:]
    ]
    assert heads == names
    assert cells == scores
    # And both are what the pipeline computes for the dossier's answers and vendor facts.
    q, c = kompas.load()
    explained = kompas.explain(q, c, answers, local_facts=local_fact_map(given))
    assert [c.platform(i).name for i in _compared(explained)] == names


def test_cli_json_record_is_the_pipelines_record(tmp_path):
    """`kompas advise --format json` prints exactly Explanation.record() (the same summary)."""
    from click.testing import CliRunner

    from kompas.cli import main

    result = CliRunner().invoke(main, ["advise", str(EXAMPLE), "--format", "json"])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    from kompas.cli import read_answers

    q, c = kompas.load()
    record = kompas.explain(q, c, read_answers(EXAMPLE)).record()
    for key in ("ranking", "analysis", "summary", "completeness", "active_criteria"):
        assert printed[key] == json.loads(json.dumps(record[key])), key


def test_explain_overlays_local_facts_once_for_advice_analysis_and_story():
    """The advice, the analysis and the story read one catalogue: the one with local facts."""
    q, c = kompas.load()
    answers = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    given = _reordering_answers(answers)
    explained = kompas.explain(q, c, answers, local_facts=local_fact_map(given))
    for answer in given:
        assert explained.catalogue.platform(answer.platform_id).fact(answer.fact_id).value is True
    ranking = [r.platform.id for r in explained.advice.ranking]
    assert [row.platform_id for row in explained.story.ranking] == ranking
    top = {r.platform.id for r in explained.advice.ranking if r.rank == 1}
    assert set(explained.analysis.robustness.top) == top


def test_one_n_van_m_on_the_dossier_page_the_advice_and_page_one(answered_dossier):
    """'N van M vragen' is one count: dossier page, advice and report agree, free text left out."""
    import re

    from kompas.cli import read_answers

    q, c = kompas.load()
    answers = read_answers(EXAMPLE)
    text = next(x for x in q.questions if x.type == "text")
    answers[text.id] = "Wij willen vooral ouderen bereiken."
    client, token = answered_dossier(answers)
    page = client.get(f"/d/{token}/").get_data(as_text=True)
    a, n = map(int, re.search(r"(\d+) van de (\d+) vragen die voor u gelden", page).groups())
    explained = kompas.explain(q, c, answers)
    done = explained.advice.completeness
    assert (a, n) == (done.answered, done.total)
    assert explained.story.rests_on[0].startswith(f"Antwoorden van de gemeente: {a};")


def test_report_says_why_an_answer_does_not_count_in_words():
    """An answer to a question that no longer exists is explained, never shown as a code."""
    from kompas.cli import read_answers
    from kompas.report import render_report_html

    q, c = kompas.load()
    answers = {**read_answers(EXAMPLE), "vraag_die_niet_bestaat": "ja"}
    html = render_report_html(kompas.explain(q, c, answers, strict=False))
    assert "unknown_question" not in html
    assert "vraag bestaat niet (meer) in de vragenlijst" in html
