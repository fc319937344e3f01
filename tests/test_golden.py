"""Golden advice for the example answer files: text and JSON, reviewed like code.

Set KOMPAS_UPDATE_GOLDEN=1 to rewrite the golden files after a deliberate change,
then review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from kompas.cli import main

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden"
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
UPDATE = os.environ.get("KOMPAS_UPDATE_GOLDEN") == "1"


def _check(path: Path, actual: str) -> None:
    if UPDATE:
        path.write_text(actual)
    assert path.exists(), f"{path.name} is missing: run with KOMPAS_UPDATE_GOLDEN=1 and review it"
    assert actual == path.read_text()


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_text_advice(runner, example):
    """The terminal advice for an example answer set."""
    result = runner.invoke(main, ["advise", str(example), "--details", "3"])
    assert result.exit_code == 0, result.output
    _check(GOLDEN / f"{example.stem}.txt", result.stdout)


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_json_decision_record(runner, example):
    """The JSON decision record for an example answer set (timestamp left out)."""
    result = runner.invoke(main, ["advise", str(example), "--format", "json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record.pop("created")
    _check(GOLDEN / f"{example.stem}.json", json.dumps(record, indent=2, ensure_ascii=False) + "\n")


def test_every_example_has_golden_files():
    """No golden file without its example, and no example without golden files."""
    expected = {f"{e.stem}{suffix}" for e in EXAMPLES for suffix in (".txt", ".json")}
    assert {p.name for p in GOLDEN.iterdir()} == expected
