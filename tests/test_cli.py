"""The kompas command line, through click's runner."""

from __future__ import annotations

import json

import yaml

from kompas.cli import main
from tests.conftest import MINI_PLATFORMS
from tests.conftest import MINI_QUESTIONS

MINI = ["--questions", str(MINI_QUESTIONS), "--platforms", str(MINI_PLATFORMS)]


def test_validate_shipped_data(runner):
    """The shipped files validate with a one-line summary."""
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ok: ")
    assert "platforms" in result.stdout.splitlines()[-1]


def test_validate_broken_file_exits_1_with_location(runner, tmp_path):
    """A broken file gives exit 1 and file:line:column errors, no traceback."""
    broken = tmp_path / "platforms.yaml"
    text = MINI_PLATFORMS.read_text().replace(
        "ads: {value: false, source: https://alfa.example/b",
        "ads: {value: nee, source: https://alfa.example/b",
    )
    broken.write_text(text)
    result = runner.invoke(
        main, ["validate", "--questions", str(MINI_QUESTIONS), "--platforms", str(broken)]
    )
    assert result.exit_code == 1
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "value: nee" in t)
    assert f"platforms.yaml:{line}:" in result.stderr
    assert (
        "platforms[0].facts.ads.value: expected true/false/unknown, got 'nee' (write true or false)"
        in result.stderr
    )
    assert "Traceback" not in result.output


def test_validate_strict_fails_on_warnings(runner):
    """--strict turns lint warnings into failure."""
    plain = runner.invoke(main, ["validate", *MINI])
    strict = runner.invoke(main, ["validate", "--strict", *MINI])
    assert plain.exit_code == 0
    assert "last checked more than 12 months ago" in plain.stderr
    assert strict.exit_code == 1


def test_template_is_a_valid_empty_answers_file(runner, tmp_path):
    """The template lists every question and can be fed back unchanged."""
    result = runner.invoke(main, ["template", "--questions", str(MINI_QUESTIONS)])
    assert result.exit_code == 0
    data = yaml.safe_load(result.stdout)
    assert list(data) == [
        "doelen",
        "belang_burenhulp",
        "belang_hosting",
        "reclame",
        "schaal",
        "belang_open_source",
        "moderatie",
        "budget",
        "opmerking",
    ]
    assert all(v is None for v in data.values())
    assert "#     burenhulp = Burenhulp" in result.stdout
    path = tmp_path / "antwoorden.yaml"
    path.write_text(result.stdout)
    advice = runner.invoke(main, ["advise", str(path), *MINI])
    assert advice.exit_code == 0, advice.output


def test_advise_text_and_json(runner, tmp_path):
    """advise prints a Dutch ranking, or the JSON decision record."""
    path = tmp_path / "a.yaml"
    path.write_text("doelen: [burenhulp]\nreclame: false\nbudget: 15.000\n")
    text = runner.invoke(main, ["advise", str(path), *MINI])
    assert text.exit_code == 0, text.output
    assert "Rangorde" in text.stdout and "Uitgesloten door een eis" in text.stdout
    # Each exclusion once, with its reason (not also as a note that repeats it).
    assert "- Bravo: Bravo voldoet niet aan: Geen reclame." in text.stdout
    assert text.stdout.count("Bravo voldoet niet aan: Geen reclame.") == 1
    record = runner.invoke(main, ["advise", str(path), "--format", "json", *MINI])
    data = json.loads(record.stdout)
    assert data["answers"] == {"doelen": ["burenhulp"], "reclame": False, "budget": 15000}
    # delta, an offline approach, does not meet the must-have "no ads": it does not apply to it.
    assert [r["platform"] for r in data["excluded"]] == ["bravo", "delta"]


def test_advise_bad_answer_names_file_and_question(runner, tmp_path):
    """A wrong answer gives exit 1 and names the file and the question."""
    path = tmp_path / "a.yaml"
    path.write_text("schaal: planeet\n")
    result = runner.invoke(main, ["advise", str(path), *MINI])
    assert result.exit_code == 1
    assert f"{path}:1: schaal: 'planeet' is geen keuze bij deze vraag" in result.stderr


def test_advise_lists_every_answer_problem_with_lines_and_hints(runner, tmp_path):
    """All problems at once, each with its line, a 'did you mean' and in the chosen language."""
    path = tmp_path / "a.yaml"
    path.write_text("doelen: [burenhulp, prikbort]\nschaall: wijk\nbudget: veel\n")
    dutch = runner.invoke(main, ["advise", str(path), *MINI])
    assert dutch.exit_code == 1
    assert f"{path}:1: doelen: 'prikbort' is geen keuze bij deze vraag (bedoelt u 'prikbord'?)" in (
        dutch.stderr
    )
    assert f"{path}:2: onbekende vraag 'schaall' (bedoelt u 'schaal'?)" in dutch.stderr
    assert f"{path}:3: budget: verwacht een getal" in dutch.stderr
    english = runner.invoke(main, ["advise", str(path), "--lang", "en", *MINI])
    assert english.exit_code == 1
    assert f"{path}:2: unknown question 'schaall' (did you mean 'schaal'?)" in english.stderr
    assert f"{path}:3: budget: expected a number" in english.stderr


def test_advise_broken_yaml(runner, tmp_path):
    """Broken YAML in the answers file is reported with its location."""
    path = tmp_path / "a.yaml"
    path.write_text("doelen: [burenhulp\n")
    result = runner.invoke(main, ["advise", str(path), *MINI])
    assert result.exit_code == 1
    assert "a.yaml:1:9: YAML syntax error: this '[' is never closed" in result.stderr


def test_platforms_list_and_compare(runner):
    """platforms lists the catalogue; with ids it compares them side by side with sources."""
    listing = runner.invoke(main, ["platforms", *MINI])
    assert listing.exit_code == 0
    assert [line.split()[0] for line in listing.stdout.splitlines()[:4]] == [
        "alfa",
        "bravo",
        "charlie",
        "delta",
    ]
    compare = runner.invoke(main, ["platforms", "alfa", "charlie", *MINI])
    assert compare.exit_code == 0
    assert "https://alfa.example/c (gecontroleerd 2026-11-01)" in compare.stdout
    assert "onbekend" in compare.stdout
    unknown = runner.invoke(main, ["platforms", "alfa", "zulu", *MINI])
    assert unknown.exit_code == 2 and "zulu" in unknown.stderr
