"""Golden tests for the problems `kompas validate` reports on broken data files.

Every folder in ``tests/yaml_cases/`` is one case: a small ``questions.yaml`` and
``platforms.yaml`` (trimmed copies of ``tests/data/mini_*.yaml``, with one mistake made
on purpose; the broken file says which in a ``# Broken on purpose:`` comment) and an
``expected.txt`` with the exact output, one problem per line as ``str(problem)`` prints
it: errors first, then warnings, ``file:line:column`` included.

A case folder may hold ``xfail.txt``: the engine's current output is not good enough,
``expected.txt`` holds what it *should* say and the test is marked
``xfail(strict=True)`` with the file's text as the reason. Once the engine is fixed the
test passes unexpectedly and fails; then delete ``xfail.txt``.

To rewrite ``expected.txt`` from the engine's current output (then review the diff!)::

    KOMPAS_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_validate_errors.py

Cases with ``xfail.txt`` are never rewritten: their ``expected.txt`` is hand-written.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from kompas.engine import validate

CASES_DIR = Path(__file__).parent / "yaml_cases"
TODAY = dt.date(2026, 11, 29)
UPDATE_GOLDEN = os.environ.get("KOMPAS_UPDATE_GOLDEN") == "1"


def _case_dirs() -> list[Path]:
    return sorted(p for p in CASES_DIR.iterdir() if p.is_dir())


def _params() -> list[object]:
    params = []
    for case in _case_dirs():
        marks = []
        xfail = case / "xfail.txt"
        if xfail.exists():
            reason = xfail.read_text(encoding="utf-8").strip()
            marks.append(pytest.mark.xfail(strict=True, reason=reason))
        params.append(pytest.param(case, id=case.name, marks=marks))
    return params


def _report_text(case: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(case)
    report = validate(questions="questions.yaml", platforms="platforms.yaml", today=TODAY)
    # The cases are Dutch-only on purpose; translation warnings are tested in test_i18n.py.
    return "\n".join(
        str(p) for p in report.errors + report.warnings if "English translation" not in p.message
    )


@pytest.mark.parametrize("case", _params())
def test_validate_output_matches_golden(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected_file = case / "expected.txt"
    actual = _report_text(case, monkeypatch)
    if UPDATE_GOLDEN and not (case / "xfail.txt").exists():
        expected_file.write_text(actual + "\n", encoding="utf-8")
        return
    expected = expected_file.read_text(encoding="utf-8").removesuffix("\n")
    assert actual == expected


def test_every_case_is_complete() -> None:
    cases = _case_dirs()
    assert len(cases) >= 20
    for case in cases:
        for name in ("questions.yaml", "platforms.yaml", "expected.txt"):
            assert (case / name).is_file(), f"{case.name} has no {name}"
        expected = (case / "expected.txt").read_text(encoding="utf-8")
        assert expected.strip(), f"{case.name}: expected.txt is empty; a case must report something"
        if (case / "xfail.txt").exists():
            reason = (case / "xfail.txt").read_text(encoding="utf-8")
            assert reason.strip(), f"{case.name}: xfail.txt must give the reason"
