"""The vendor loop in the engine and the CLI: questions, fill-in files, local facts, curation."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import yaml

from kompas.cli import main
from kompas.engine.evidence import evidence_phrase
from kompas.engine.record import recompute
from kompas.engine.record import same_outcome
from kompas.engine.record import to_record
from kompas.engine.vendor import read_answers_file
from kompas.engine.vendor import vendor_questionnaire
from kompas.numbers import format_long_date

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "burenhulp-dorp.yaml"


def unknown_fed_platform(shipped):
    """A candidate platform with an unknown choice fact that some criterion reads."""
    q, c = shipped
    for p in c.platforms:
        for item in vendor_questionnaire(q, c, p.id):
            if item.type == "choice":
                return p, item
    raise AssertionError("no platform with an unknown choice fact")


def test_questions_are_the_unknown_facts_that_criteria_read(shipped):
    q, c = shipped
    p, _item = unknown_fed_platform(shipped)
    items = vendor_questionnaire(q, c, p.id)
    assert items
    for item in items:
        assert p.fact(item.fact_id).status == "unknown"
        assert item.feeds >= 1 and item.why
        assert item.question.endswith("?")
        spec = c.facts[item.fact_id]
        assert [v for v, _l in item.options] == list(spec.values)
    # Without profiles the order is by the number of criteria fed.
    feeds = [i.feeds for i in items]
    assert feeds == sorted(feeds, reverse=True)


def test_questions_decide_order_over_profiles(shipped):
    q, c = shipped
    profile = yaml.safe_load(EXAMPLE.read_text())
    p, _item = unknown_fed_platform(shipped)
    items = vendor_questionnaire(q, c, p.id, [profile])
    keys = [(-i.decides, -i.feeds) for i in items]
    assert keys == sorted(keys)
    assert all(i.decides in (0, 1) for i in items)


def test_cli_questions_hoplr_on_shipped_data(runner):
    result = runner.invoke(main, ["catalogue", "questions", "hoplr"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines and all(line.endswith("?") for line in lines)


def test_cli_stats_on_shipped_data(runner):
    result = runner.invoke(main, ["catalogue", "stats"])
    assert result.exit_code == 0, result.output
    assert "hoplr" in result.output and "leverancier" in result.output
    assert "%" in result.output


def fill(runner, tmp_path, platform, **values):
    """The fill-in file for a platform, with some facts answered."""
    result = runner.invoke(main, ["catalogue", "questions", platform, "--format", "yaml"])
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(result.output)
    assert data["platform"] == platform
    assert all(entry["value"] == "unknown" for entry in data["facts"].values())
    for fid, entry in values.items():
        data["facts"][fid].update(entry)
    path = tmp_path / "filled.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return path


def test_fill_in_file_reads_back(runner, shipped, tmp_path):
    _q, c = shipped
    p, item = unknown_fed_platform(shipped)
    value = item.options[0][0]
    answer = {
        "value": value,
        "source": "verklaring leverancier",
        "date": "2026-11-30",
        "name": "A. de Vries",
        "role": "accountmanager",
    }
    path = fill(runner, tmp_path, p.id, **{item.fact_id: answer})
    result = runner.invoke(main, ["catalogue", "check", str(path)])
    assert result.exit_code == 0, result.output
    assert "1 antwoord" in result.output
    (read,) = read_answers_file(path, c)
    assert (read.platform_id, read.fact_id, read.value) == (p.id, item.fact_id, value)
    assert read.fact().evidence == "leverancier"


def test_fill_in_problems_name_file_and_line(runner, shipped, tmp_path):
    _q, _c = shipped
    p, item = unknown_fed_platform(shipped)
    path = fill(
        runner,
        tmp_path,
        p.id,
        **{
            item.fact_id: {
                "value": "geen_optie",
                "source": "htp:/kapot",
                "date": (dt.date.today() + dt.timedelta(days=3)).isoformat(),
                "name": "X",
                "role": "Y",
            }
        },
    )
    result = runner.invoke(main, ["catalogue", "check", str(path)])
    assert result.exit_code == 1
    text = result.output
    assert f"{path}:" in text
    assert "unknown value for" in text and "'geen_optie'" in text
    assert "expected a web address" in text
    assert "is in the future" in text


def local_file(tmp_path, platform, fact, value, when="2026-11-30"):
    path = tmp_path / "local.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                platform: {
                    fact: {
                        "value": value,
                        "source": "verklaring leverancier",
                        "date": when,
                        "name": "A. de Vries",
                        "how": "telefoon",
                    }
                }
            }
        )
    )
    return path


def deciding_fact(shipped):
    """A platform, an unknown bool fact and an answers profile where knowing it moves the score."""
    q, c = shipped
    profile = yaml.safe_load(EXAMPLE.read_text())
    advice = __import__("kompas").advise(q, c, profile)
    for r in advice.ranking:
        for cr in r.unknowns:
            for f in cr.facts:
                if f.status == "unknown" and c.facts[f.id].type == "bool":
                    return r.platform, f.id, profile
    raise AssertionError("no unknown bool fact in the ranking")


def test_advise_with_local_facts_changes_the_advice(runner, shipped, tmp_path):
    q, c = shipped
    platform, fact, _profile = deciding_fact(shipped)
    local = local_file(tmp_path, platform.id, fact, True)
    before = runner.invoke(main, ["advise", str(EXAMPLE), "--format", "json"])
    after = runner.invoke(main, ["advise", str(EXAMPLE), "--format", "json", "--facts", str(local)])
    assert before.exit_code == 0 and after.exit_code == 0, after.output
    old, new = json.loads(before.output), json.loads(after.output)

    def row(record):
        rows = record["ranking"] + record["excluded"]
        return next(r for r in rows if r["platform"] == platform.id)

    assert (row(old)["score"], row(old)["rank"]) != (row(new)["score"], row(new)["rank"])
    assert new["local_facts"][0]["fact"] == fact
    facts = [f for cr in row(new)["criteria"] for f in cr["facts"] if f["id"] == fact]
    assert facts and all(f["local"] and f["evidence"] == "leverancier" for f in facts)
    # The record stays recomputable with the same outcome.
    fresh = recompute(new, q, c)
    assert same_outcome(new, fresh)
    assert not same_outcome(old, fresh)


def test_local_fact_is_marked_volgens_leverancier(shipped, tmp_path):
    import kompas

    q, c = shipped
    platform, fact, profile = deciding_fact(shipped)
    answers = read_answers_file(local_file(tmp_path, platform.id, fact, True), c, local=True)
    from kompas.engine.vendor import local_fact_map

    advice = kompas.advise(q, c, profile, local_facts=local_fact_map(answers))
    refs = [f for cr in advice.result(platform.id).results for f in cr.facts if f.id == fact]
    assert refs and all(f.local and f.status == "known" for f in refs)
    phrase = evidence_phrase(refs[0])
    # A vendor's answer for one dossier carries its full date (issue 21: the round's answers).
    day = format_long_date(answers[0].date)
    assert f"volgens de leverancier, {day}" in phrase and "dossier" in phrase
    record = to_record(advice)["local_facts"][0]
    assert record["platform"] == platform.id
    assert record["said"] == phrase


def test_local_facts_file_errors(runner, tmp_path):
    path = local_file(tmp_path, "hoplr", "hosting", "maan")
    result = runner.invoke(main, ["advise", str(EXAMPLE), "--facts", str(path)])
    assert result.exit_code == 1
    assert f"{path}:" in result.output and "'maan'" in result.output


def test_accept_writes_only_that_fact_keeping_the_file(shipped, tmp_path):
    from kompas.engine.curate import accept_into
    from kompas.engine.vendor import VendorAnswer

    _q, _c = shipped
    copy = tmp_path / "platforms.yaml"
    shutil.copy(ROOT / "platforms.yaml", copy)
    p, item = unknown_fed_platform(shipped)
    answer = VendorAnswer(
        p.id,
        item.fact_id,
        item.options[0][0],
        "verklaring leverancier",
        dt.date(2026, 11, 30),
        "A",
        "B",
    )
    fresh = accept_into(copy, answer, "inzending 1", dt.date(2026, 12, 1))
    assert fresh.platform(p.id).fact(item.fact_id).value == item.options[0][0]
    diff = subprocess.run(
        ["diff", str(ROOT / "platforms.yaml"), str(copy)], capture_output=True, text=True
    ).stdout
    added = [line[2:].strip() for line in diff.splitlines() if line.startswith("> ")]
    removed = [line[2:].strip() for line in diff.splitlines() if line.startswith("< ")]
    assert added[0] == f"{item.fact_id}:"
    assert "evidence: leverancier" in added and "source_date: 2026-11-30" in added
    assert len(removed) <= 1 and all(line.startswith(item.fact_id) for line in removed)
    # Comments and everything else are kept.
    original = (ROOT / "platforms.yaml").read_text()
    assert copy.read_text().count("#") >= original.count("#")


def test_local_facts_unknown_platform_or_fact_is_an_error(runner, tmp_path):
    path = tmp_path / "local.yaml"
    path.write_text("hoplrr:\n  hosting: {value: eu}\n")
    result = runner.invoke(main, ["advise", str(EXAMPLE), "--facts", str(path)])
    assert result.exit_code == 1
    assert f"{path}:1:" in result.output and "unknown platform 'hoplrr'" in result.output
    assert "did you mean 'hoplr'" in result.output
    path.write_text("hoplr:\n  hostin: {value: eu}\n")
    result = runner.invoke(main, ["advise", str(EXAMPLE), "--facts", str(path)])
    assert result.exit_code == 1 and "unknown fact 'hostin'" in result.output
