"""English numbers through every entry point; Dutch ones stay Dutch (issue 18, numbers).

The rule (docs/data-format.md, "Answers file"): text is read in the language of the run or
the page, a YAML number is a number. The expectations are written with Python's own
formatting ('{:,}' groups the English way), never with kompas.numbers, so the module is
checked against something it does not compute itself.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from flask import Flask

import kompas
from kompas.cli import main
from kompas.engine.answers import normalise_answer
from kompas.engine.vendor import value_from_form
from kompas.i18n import language
from kompas.numbers import format_amount
from kompas.numbers import format_long_date
from kompas.numbers import format_number
from kompas.numbers import format_percent
from kompas.numbers import format_short_date
from kompas.numbers import parse_number
from kompas.numbers import read_number

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "burenhulp-dorp.yaml"
DUTCH_GROUPED = re.compile(r"(?<![\d.,])\d{1,3}(?:\.\d{3})+(?![\d.,])")
ENGLISH_GROUPED = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d.,])")


def budget_question(questionnaire: kompas.Questionnaire) -> Any:
    return next(q for q in questionnaire.questions if q.type == "number" and q.activates)


# -- the module itself --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "text", "expected"),
    [
        ("en", "15,000", 15000),
        ("en", "2.5", 2.5),
        ("en", "1,500", 1500),
        ("en", "€ 1,234.50", 1234.5),
        ("en", "2,5", 2.5),  # no grouping can end in one digit: a decimal comma
        ("nl", "15.000", 15000),
        ("nl", "2,5", 2.5),
        ("nl", "1,500", 1.5),
        ("nl", "€ 1.234,50", 1234.5),
        ("nl", "2.5", 2.5),
        ("nl", "15\u00a0000", 15000),
        ("en", "veel", None),
        ("en", "", None),
        ("nl", "1e999", None),
    ],
)
def test_parse_number_reads_the_language(code: str, text: str, expected: float | None) -> None:
    assert parse_number(text, code) == expected


def test_a_yaml_number_is_a_number_in_both_languages() -> None:
    for code in ("nl", "en"):
        assert read_number(15000, code) == 15000
        assert read_number(2.5, code) == 2.5
        assert read_number(True, code) is None
        assert read_number(float("nan"), code) is None


def test_writing_uses_the_language_grouping_and_decimal_sign() -> None:
    for value in (1000, 15000, 1234567):
        assert format_number(value, code="en") == f"{value:,}"
        assert format_number(value, code="nl") == f"{value:,}".replace(",", ".")
    assert format_number(2.5, code="en") == "2.5"
    assert format_number(2.5, code="nl") == "2,5"
    assert format_percent(45, "en") == format_percent(45, "nl") == "45%"
    with language("en"):
        assert format_amount(500, 1000) == "500 to 1,000 euros"
    with language("nl"):
        assert format_amount(500, 1000) == "500 tot 1.000 euro"


def test_dates_in_words_and_in_columns_follow_the_language() -> None:
    day = dt.date(2026, 11, 9)
    assert format_long_date(day, "nl") == "9 november 2026"
    assert format_long_date(day, "en") == "9 November 2026"
    assert format_short_date(day, "nl") == "09-11-2026"
    assert format_short_date(day, "en") == "09/11/2026"


# -- the CLI answers file -----------------------------------------------------------------------


def advise_json(runner: CliRunner, path: Path, *lang: str) -> dict[str, Any]:
    result = runner.invoke(main, ["advise", str(path), "--format", "json", *lang])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_cli_reads_english_numbers_with_lang_en(
    runner: CliRunner, tmp_path: Path, shipped: Any
) -> None:
    budget = budget_question(shipped[0])
    path = tmp_path / "answers.yaml"
    path.write_text(f"{budget.id}: 15,000\n", encoding="utf-8")
    assert advise_json(runner, path, "--lang", "en")["answers"][budget.id] == 15000
    path.write_text(f"{budget.id}: 15.000\n", encoding="utf-8")
    assert advise_json(runner, path)["answers"][budget.id] == 15000
    path.write_text(f"{budget.id}: 15000\n", encoding="utf-8")
    for lang in ((), ("--lang", "en")):
        assert advise_json(runner, path, *lang)["answers"][budget.id] == 15000


@pytest.mark.parametrize(
    "example", sorted((ROOT / "examples").glob("*.yaml")), ids=lambda p: p.stem
)
def test_the_shipped_examples_mean_the_same_in_both_languages(
    runner: CliRunner, example: Path
) -> None:
    dutch = advise_json(runner, example)["answers"]
    english = advise_json(runner, example, "--lang", "en")["answers"]
    assert dutch == english


def test_cli_text_output_writes_english_numbers(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["platforms", "--lang", "en"])
    assert result.exit_code == 0, result.output
    english = runner.invoke(main, ["advise", str(EXAMPLE), "--lang", "en", "--details", "40"])
    assert english.exit_code == 0, english.output
    assert not DUTCH_GROUPED.findall(english.stdout)


# -- the web import -----------------------------------------------------------------------------


def test_importing_an_answers_file_on_the_english_page_reads_english_numbers(
    app: Flask, client: Any
) -> None:
    from kompas.store import dossier as dossier_store

    budget = budget_question(app.extensions["kompas"]["questionnaire"])
    for lang, typed in (("en", "15,000"), ("nl", "15.000")):
        upload = (io.BytesIO(f"{budget.id}: {typed}\n".encode()), "answers.yaml")
        response = client.post(
            f"/importeren?lang={lang}",
            data={"municipality": "Numberton", "answers_file": upload},
            content_type="multipart/form-data",
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        token = response.headers["Location"].rstrip("/").rsplit("/", 1)[1]
        with app.app_context():
            found = dossier_store.open_dossier(token)
        assert found is not None
        assert found[1][budget.id] == 15000, (lang, typed)


# -- the vendor form ----------------------------------------------------------------------------


def number_item(app: Flask) -> tuple[str, Any]:
    """A platform and a number or range question on its vendor form."""
    from kompas.web import vendor as vendor_web

    catalogue = app.extensions["kompas"]["catalogue"]
    with app.test_request_context():
        for platform in catalogue.platforms:
            for item in vendor_web.items_for(platform.id):
                if item.type in ("number", "range"):
                    return platform.id, item
    raise AssertionError("no vendor form asks for a number")


def amount(value: Any) -> float:
    return float(value["min"] if isinstance(value, dict) else value)


@pytest.mark.parametrize(
    ("lang", "typed", "expected"),
    [("en", "2.5", 2.5), ("en", "1,500", 1500), ("nl", "2,5", 2.5), ("nl", "1.500", 1500)],
)
def test_the_vendor_form_reads_the_page_language(
    app: Flask, client: Any, lang: str, typed: str, expected: float
) -> None:
    from kompas.web import vendor as vendor_web

    platform_id, item = number_item(app)
    with app.app_context():
        secret = vendor_web.create_link(platform_id, days=1)
    response = client.post(
        f"/leverancier/{secret}?lang={lang}",
        data={
            f"{item.fact_id}-value": typed,
            f"{item.fact_id}-source": "verklaring leverancier",
            f"{item.fact_id}-date": "2026-11-30",
            "action": "save",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with app.app_context():
        link = vendor_web.find_link(secret)
        assert link is not None
        saved = vendor_web.load_submission(link.id)
    assert saved is not None
    assert amount(saved["answers"][item.fact_id]["value"]) == expected


def test_value_from_form_follows_the_language(shipped: Any) -> None:
    spec = next(s for s in shipped[1].facts.values() if s.type == "range")
    with language("en"):
        assert value_from_form(spec, "1,500")[0] == {"min": 1500, "max": 1500}
        assert value_from_form(spec, "2.5")[0] == {"min": 2.5, "max": 2.5}
    with language("nl"):
        assert value_from_form(spec, "1.500")[0] == {"min": 1500, "max": 1500}


def test_the_engine_reads_an_answer_in_the_current_language(shipped: Any) -> None:
    budget = budget_question(shipped[0])
    with language("en"):
        assert normalise_answer(budget, "15,000") == 15000
    with language("nl"):
        assert normalise_answer(budget, "15.000") == 15000


# -- the PDF ------------------------------------------------------------------------------------


def pdf_text(data: bytes, tmp_path: Path) -> str:
    tool = shutil.which("pdftotext")
    assert tool, "pdftotext is missing: install poppler-utils"
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    out = subprocess.run([tool, "-layout", str(path), "-"], capture_output=True, check=True)
    return out.stdout.decode()


def euro_amounts(catalogue: kompas.Catalogue, platform: Any) -> list[int]:
    """A platform's known amounts in euro (both ends of a range)."""
    found = []
    for spec in catalogue.facts.values():
        fact = platform.fact(spec.id)
        if spec.unit != "euro" or fact.status != "known":
            continue
        if spec.type == "range":
            found += [int(fact.value["min"]), int(fact.value["max"])]
        elif spec.type == "number":
            found.append(int(fact.value))
    return found


@pytest.mark.pdf
def test_the_english_pdf_writes_english_amounts(shipped: Any, tmp_path: Path) -> None:
    from kompas.report import render_pdf

    q, c = shipped
    answers = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    # The known amounts in euro of at least a thousand in the catalogue.
    costs = {v for p in c.platforms for v in euro_amounts(c, p) if v >= 1000}
    assert costs, "the catalogue knows a cost of at least 1,000 euro"
    with language("en"):
        advice = kompas.advise(q, c, answers)
        english = pdf_text(render_pdf(advice, q, c, municipality="Numberton"), tmp_path)
    assert not DUTCH_GROUPED.findall(english), DUTCH_GROUPED.findall(english)[:5]
    assert {f"{v:,}" for v in costs} & set(ENGLISH_GROUPED.findall(english))
    with language("nl"):
        advice = kompas.advise(q, c, answers)
        dutch = pdf_text(render_pdf(advice, q, c, municipality="Numberton"), tmp_path)
    assert {f"{v:,}".replace(",", ".") for v in costs} & set(DUTCH_GROUPED.findall(dutch))
