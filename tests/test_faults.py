"""Short versions of the load and fault scenarios in soak/ (the long ones run in `make soak`).

Each scenario runs the production server (`gunicorn "kompas.web:create_app()"`, CSRF on) on
a PostgreSQL 15 server these tests start themselves (tests/pgserver.py), with simulated
advisors on 127.0.0.1 walking the wizard as browsers do, and compares every acknowledged
save with the database afterwards. Question ids come from the loaded questionnaire.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from soak.common import shared_postgres
from soak.faults import RestartResult
from soak.faults import kill_report
from soak.faults import kill_scenario
from soak.faults import restart_report
from soak.faults import restart_scenario
from soak.load import load_scenario
from soak.load import report
from soak.pdf import pdf_report
from soak.pdf import pdf_scenario
from tests.pgserver import PostgresUnavailable
from tests.pgserver import running_server

pytestmark = [pytest.mark.gunicorn, pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture(scope="module")
def pg() -> Any:
    """The PostgreSQL server these tests share (fails, never skips, when it cannot start)."""
    try:
        return shared_postgres()
    except PostgresUnavailable as exc:
        pytest.fail(f"PostgreSQL tests cannot run: {exc}", pytrace=False)


def test_load_short_no_5xx_and_every_acknowledged_save_stored(pg: Any, tmp_path: Any) -> None:
    # Safety only: no 5xx and nothing acknowledged lost; how many walks complete in 10 s
    # depends on the machine's load, so it is reported, never asserted.
    result = load_scenario(pg, tmp_path, advisors=8, duration=10, workers=2)
    print(report(result))
    assert not result.failures, "\n".join(result.failures) + "\n" + result.server_log[-3000:]
    assert result.verification.acked_saves > 0


def test_killing_a_worker_loses_no_acknowledged_save(pg: Any, tmp_path: Any) -> None:
    # Safety only: nothing acknowledged lost, no 5xx, the server answers again afterwards;
    # never how fast walks complete (on a busy 2-core machine none may finish in 10 s).
    result = kill_scenario(pg, tmp_path, advisors=8, duration=10, kills=2, after=1.5)
    print(kill_report(result))
    assert not result.failures, "\n".join(result.failures) + "\n" + result.server_log[-3000:]
    assert result.verification.acked_saves > 0


@pytest.fixture(scope="module")
def restart(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RestartResult]:
    """One run with a PostgreSQL restart in the middle, on a server of its own."""
    with running_server() as server:
        result = restart_scenario(
            server, tmp_path_factory.mktemp("restart"), advisors=8, up=1.5, down=2, after=2.5
        )
    print(restart_report(result))
    yield result


def test_postgres_restart_recovers_and_loses_nothing(restart: RestartResult) -> None:
    problems = restart.recovery_failures
    assert not problems, "\n".join(problems) + "\n" + restart.server_log[-3000:]


def test_postgres_outage_answers_the_friendly_503_page(restart: RestartResult) -> None:
    problems = restart.outage_failures
    assert not problems, "\n".join(problems)


@pytest.mark.pdf
def test_worst_case_pdfs_hold_no_worker_past_the_limit_and_the_site_keeps_answering(
    pg: Any, tmp_path: Any
) -> None:
    result = pdf_scenario(pg, tmp_path, duration=8, limit=2)
    print(pdf_report(result))
    assert not result.failures, "\n".join(result.failures) + "\n" + result.server_log[-3000:]
