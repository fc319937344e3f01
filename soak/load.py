"""Load test: simulated advisors walk the wizard against gunicorn on PostgreSQL.

    python soak/load.py                      # 200 advisors for 60 s, 4 workers (make soak)
    python soak/load.py --advisors 20 --duration 10 --workers 2

Starts a throwaway PostgreSQL 15 server (tests/pgserver.py), migrates a fresh database,
starts `gunicorn --workers N "kompas.web:create_app()"` on a free loopback port with a
secret key (CSRF on, exactly as in production) and lets every advisor, in its own thread,
walk the wizard again and again until the time is up: GET /nieuw, POST /nieuw (csrf_token
from the form, session cookie kept), the dossier page, every step (GET the form, POST
valid answers read from the questionnaire; a follow-up question means another round of
the same step) and the advice page.

Prints throughput and p50/p99 latency per kind of request. Fails (exit status 1) when any
request answered 5xx or got no answer, or when the database lacks an acknowledged save:
every POST answered with a redirect is checked against the database afterwards.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import kompas
from soak.common import ONE_ADDRESS_LIMITS
from soak.common import Gunicorn
from soak.common import Run
from soak.common import Verification
from soak.common import machine
from soak.common import new_database
from soak.common import run_advisors
from soak.common import server_env
from soak.common import table
from soak.common import verify_saves


@dataclass
class LoadResult:
    """What a load run measured and found."""

    run: Run
    verification: Verification
    workers: int
    server_log: str

    @property
    def failures(self) -> list[str]:
        """Why the run failed (empty when it passed)."""
        problems = []
        errors = self.run.errors()
        if errors:
            kinds = sorted({f"{s.kind} {s.status}" for s in errors})
            problems.append(f"{len(errors)} requests answered 5xx: {', '.join(kinds)}")
        if self.run.no_response():
            problems.append(f"{len(self.run.no_response())} requests got no answer")
        if self.run.stuck:
            problems.append(f"{self.run.stuck} client threads did not stop")
        if self.verification.lost_dossiers:
            problems.append(f"{len(self.verification.lost_dossiers)} acknowledged dossiers lost")
        problems += self.verification.lost[:20]
        return problems


def load_scenario(
    server: Any,
    tmp: Path,
    *,
    advisors: int,
    duration: float,
    workers: int,
    seed: int = 0,
) -> LoadResult:
    """Run advisors against a fresh database on `server` and check the database afterwards."""
    questionnaire, _catalogue = kompas.load()
    url = new_database(server)
    env = server_env(url, extra=ONE_ADDRESS_LIMITS)
    with Gunicorn(env, tmp, workers=workers, name="load") as gunicorn:
        run = run_advisors([gunicorn.port], questionnaire, advisors, duration, seed=seed)
    return LoadResult(
        run, verify_saves(url, questionnaire, run.ledger), workers, gunicorn.log_tail()
    )


def report(result: LoadResult) -> str:
    """The figures of a run, as docs/reliability.md quotes them."""
    run, v = result.run, result.verification
    lines = [
        f"load: {run.advisors} advisors for {run.duration:g} s against gunicorn "
        f"({result.workers} sync workers) on PostgreSQL 15; {dt.date.today().isoformat()}, "
        f"{machine()}",
        f"wall {run.wall:.1f} s, {len(run.samples)} requests, "
        f"{len(run.samples) / run.wall:.1f} req/s; walks started {run.walks}, "
        f"completed {run.completed} (new dossier .. advice page)",
        "",
        table(run),
        "",
        f"5xx: {len(run.errors())}; no answer: {len(run.no_response())}; "
        f"4xx: {len(run.errors(400, 500))}",
        f"database: {v.dossiers} acknowledged dossiers, {v.acked_saves} acknowledged saves "
        f"({v.checked_answers} answers) checked; lost dossiers {len(v.lost_dossiers)}, "
        f"lost or wrong answers {len(v.lost)}",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--advisors", type=int, default=200)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (2-4)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if not (1 <= args.advisors <= 1000 and 0 < args.duration <= 3600 and args.workers >= 1):
        parser.error("advisors 1..1000, duration 0..3600 s, workers >= 1")

    from tests.pgserver import PostgresServer

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="kompas-soak-load-") as name, PostgresServer() as pg:
        result = load_scenario(
            pg,
            Path(name),
            advisors=args.advisors,
            duration=args.duration,
            workers=args.workers,
            seed=args.seed,
        )
    print(report(result))
    failures = result.failures
    for problem in failures:
        print(f"FAIL: {problem}")
    if failures:
        print("gunicorn log (tail):\n" + result.server_log[-3000:])
    print(f"{'FAILED' if failures else 'passed'} in {time.monotonic() - started:.0f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
