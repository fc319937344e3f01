"""Fault injection: worker crashes and a PostgreSQL restart while advisors are saving.

    python soak/faults.py                    # the long versions (make soak)
    python soak/faults.py --only kill --advisors 10 --duration 8 --kills 3

kill      gunicorn (2 workers) on PostgreSQL; advisors walk the wizard twice per dossier
          (the second pass overwrites the first) while a worker is killed with SIGKILL
          at regular intervals. Afterwards: gunicorn runs its full set of workers again,
          new requests succeed, no request answered 5xx, and every save acknowledged with a
          redirect is in the database (a save whose answer was cut off may or may not be).
restart   the same load while PostgreSQL is stopped (fast shutdown, as a restart does) for
          a few seconds and started again, possibly several times. During an outage every
          request that needs the database must get the friendly 503 page (HTML, no
          traceback); outside the outages nothing may fail; afterwards saves work again,
          nothing acknowledged is lost and every dossier is readable with the schema intact.

The PostgreSQL test server runs with fsync off (tests/pgserver.py), so PostgreSQL itself is
only stopped cleanly here: durability across a power cut is PostgreSQL's job with fsync on.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import kompas
from soak.common import ONE_ADDRESS_LIMITS
from soak.common import Gunicorn
from soak.common import Run
from soak.common import Sample
from soak.common import Verification
from soak.common import check_intact
from soak.common import machine
from soak.common import new_database
from soak.common import run_advisors
from soak.common import server_env
from soak.common import start_postgres
from soak.common import stop_postgres
from soak.common import table
from soak.common import verify_saves

GRACE = 1.0  # seconds after PostgreSQL is back before requests must succeed again


def _sleep_until(moment: float) -> None:
    time.sleep(max(0.0, moment - time.monotonic()))


def _bad(sample: Sample) -> bool:
    return sample.status == 0 or sample.status >= 500


# -- kill -9 a worker ------------------------------------------------------------------------


@dataclass
class KillResult:
    """What the worker-kill scenario found."""

    run: Run
    verification: Verification
    kills: list[tuple[float, int]]  # (seconds into the run, pid)
    workers_after: list[int]
    master_alive: bool
    after: Run  # a short run after the kills: the server must work normally
    server_log: str

    @property
    def failures(self) -> list[str]:
        problems = []
        for name, run in (("during the kills", self.run), ("after the kills", self.after)):
            if run.errors():
                kinds = sorted({f"{s.kind} {s.status}" for s in run.errors()})
                problems.append(f"{name}: {len(run.errors())} x 5xx ({', '.join(kinds)})")
            if run.stuck:
                problems.append(f"{name}: {run.stuck} client threads did not stop")
        if self.after.no_response():
            problems.append(f"after the kills: {len(self.after.no_response())} requests unanswered")
        # Recovery is that the server answers again, not how fast a walk completes: on a
        # busy machine a walk may take longer than the short run after the kills.
        if not any(200 <= sample.status < 400 for sample in self.after.samples):
            problems.append("after the kills: no request was answered successfully")
        if not self.master_alive:
            problems.append("the gunicorn master died")
        if len(self.workers_after) != 2 or {p for _t, p in self.kills} & set(self.workers_after):
            problems.append(f"workers after the kills: {self.workers_after}")
        if len(self.kills) == 0:
            problems.append("no worker was killed")
        if self.verification.lost_dossiers:
            problems.append(f"{len(self.verification.lost_dossiers)} acknowledged dossiers lost")
        problems += [f"lost: {line}" for line in self.verification.lost[:20]]
        return problems


def kill_scenario(
    server: Any,
    tmp: Path,
    *,
    advisors: int,
    duration: float,
    kills: int,
    after: float | None = None,
    seed: int = 0,
) -> KillResult:
    """Advisors save while a worker is SIGKILLed every duration/(kills+1) seconds."""
    questionnaire, _catalogue = kompas.load()
    url = new_database(server)
    rng = random.Random(seed)
    done: list[tuple[float, int]] = []
    env = server_env(url, extra=ONE_ADDRESS_LIMITS)
    with Gunicorn(env, tmp, workers=2, name="kill") as gunicorn:

        def killer(t0: float) -> None:
            for i in range(kills):
                _sleep_until(t0 + (i + 1) * duration / (kills + 1))
                pids = gunicorn.worker_pids()
                if not pids:
                    continue
                pid = rng.choice(pids)
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    continue
                done.append((time.monotonic() - t0, pid))

        run = run_advisors(
            [gunicorn.port], questionnaire, advisors, duration, rounds=2, seed=seed, during=killer
        )
        try:
            workers = gunicorn.wait_workers(timeout=30)
            gunicorn.wait_ready(timeout=30)
        except RuntimeError:
            workers = gunicorn.worker_pids()
        alive = gunicorn.alive()
        later = after if after is not None else max(2.0, duration / 4)
        then = run_advisors([gunicorn.port], questionnaire, 2, later, seed=seed + 1)
    ledger = run.ledger
    ledger.created += then.ledger.created
    ledger.attempts += then.ledger.attempts
    return KillResult(
        run,
        verify_saves(url, questionnaire, ledger),
        done,
        workers,
        alive,
        then,
        gunicorn.log_tail(),
    )


def kill_report(result: KillResult) -> str:
    run, v = result.run, result.verification
    return "\n".join(
        [
            f"kill -9: {run.advisors} advisors for {run.duration:g} s, gunicorn with 2 workers on "
            f"PostgreSQL; {len(result.kills)} workers killed with SIGKILL at "
            + ", ".join(f"{t:.1f}s" for t, _pid in result.kills),
            "",
            table(run),
            "",
            f"during the kills: 5xx {len(run.errors())}, requests cut off (no answer) "
            f"{len(run.no_response())}, walks completed {run.completed}/{run.walks}",
            f"afterwards: master alive {result.master_alive}, workers {len(result.workers_after)} "
            f"(all new: {not {p for _t, p in result.kills} & set(result.workers_after)}), "
            f"{result.after.completed} walks completed, 5xx {len(result.after.errors())}",
            f"database: {v.dossiers} acknowledged dossiers, {v.acked_saves} acknowledged saves "
            f"({v.checked_answers} answers) checked; lost dossiers {len(v.lost_dossiers)}, "
            f"lost or wrong answers {len(v.lost)}",
        ]
    )


# -- restart PostgreSQL ----------------------------------------------------------------------


@dataclass
class RestartResult:
    """What the PostgreSQL-restart scenario found."""

    run: Run
    verification: Verification
    windows: list[tuple[float, float]]  # (stop begins, start done), seconds into the run
    intact: list[str]  # problems with the schema or a dossier
    server_log: str
    normal: list[Sample] = field(default_factory=list)
    outage: list[Sample] = field(default_factory=list)
    after: list[Sample] = field(default_factory=list)

    def __post_init__(self) -> None:
        last = self.windows[-1][1] + GRACE if self.windows else float("inf")
        for s in self.run.samples:
            end = s.start + s.seconds
            if any(end >= begin and s.start <= done + GRACE for begin, done in self.windows):
                self.outage.append(s)
            else:
                self.normal.append(s)
                if s.start > last:
                    self.after.append(s)

    @property
    def outage_errors(self) -> list[Sample]:
        """Requests during an outage that got no 2xx/3xx answer."""
        return [s for s in self.outage if s.status == 0 or s.status >= 400]

    @property
    def wrong_outage_errors(self) -> list[Sample]:
        """Outage errors that are not the friendly 503 page."""
        return [s for s in self.outage_errors if s.status != 503 or not s.friendly]

    @property
    def saves_after(self) -> int:
        """Acknowledged saves after PostgreSQL was back."""
        return sum(s.kind == "step POST" and s.status in (302, 303) for s in self.after)

    @property
    def recovery_failures(self) -> list[str]:
        """Problems outside the outages, with the data, or with the recovery."""
        problems = []
        bad = [s for s in self.normal if _bad(s)]
        if bad:
            kinds = sorted({f"{s.kind} {s.status} at {s.start:.1f}s" for s in bad})[:10]
            problems.append(f"{len(bad)} requests failed outside the outages: {', '.join(kinds)}")
        if not self.windows:
            problems.append("PostgreSQL was not restarted")
        if not self.saves_after:
            problems.append("no save was acknowledged after PostgreSQL came back")
        if self.run.stuck:
            problems.append(f"{self.run.stuck} client threads did not stop")
        if self.verification.lost_dossiers:
            problems.append(f"{len(self.verification.lost_dossiers)} acknowledged dossiers lost")
        problems += [f"lost: {line}" for line in self.verification.lost[:20]]
        problems += [f"corrupt: {line}" for line in self.intact[:20]]
        return problems

    @property
    def known_bug(self) -> list[Sample]:
        """Outage errors that are the known bug: the friendly 500 page instead of the 503."""
        return [s for s in self.wrong_outage_errors if s.status == 500 and s.friendly]

    @property
    def outage_unexpected(self) -> list[str]:
        """Outage problems other than the known bug (an unfriendly page, no answer, ...)."""
        other = [s for s in self.wrong_outage_errors if not (s.status == 500 and s.friendly)]
        kinds = sorted({f"{s.kind} {s.status or 'no answer'}" for s in other})
        return (
            [f"{len(other)} outage requests failed otherwise: {', '.join(kinds)}"] if other else []
        )

    @property
    def outage_failures(self) -> list[str]:
        """Problems with what clients saw during the outages."""
        problems = []
        if not self.outage_errors:
            problems.append("no request met the outage (nothing was tested)")
        wrong = self.wrong_outage_errors
        if wrong:
            seen: dict[str, int] = {}
            for s in wrong:
                key = f"{s.kind} {s.status or 'no answer'}{'' if s.friendly else ' unfriendly'}"
                seen[key] = seen.get(key, 0) + 1
            problems.append(
                f"{len(wrong)} of {len(self.outage_errors)} failed requests during the outage "
                "were not the friendly 503 page: "
                + ", ".join(f"{k} x{n}" for k, n in sorted(seen.items()))
            )
        return problems


def restart_scenario(
    server: Any,
    tmp: Path,
    *,
    advisors: int,
    up: float,
    down: float,
    restarts: int = 1,
    after: float | None = None,
    seed: int = 0,
) -> RestartResult:
    """Advisors walk; PostgreSQL is stopped for `down` s after every `up` s, `restarts` times.

    `server` must be a PostgreSQL server of this scenario alone (it is stopped and started).
    """
    questionnaire, _catalogue = kompas.load()
    url = new_database(server)
    after = up if after is None else after
    duration = restarts * (up + down) + after
    windows: list[tuple[float, float]] = []
    env = server_env(url, extra=ONE_ADDRESS_LIMITS)
    with Gunicorn(env, tmp, workers=2, name="restart") as gunicorn:

        def restarter(t0: float) -> None:
            for i in range(restarts):
                _sleep_until(t0 + (i + 1) * up + i * down)
                begin = time.monotonic() - t0
                stop_postgres(server)
                _sleep_until(t0 + begin + down)
                start_postgres(server)
                windows.append((begin, time.monotonic() - t0))

        run = run_advisors(
            [gunicorn.port],
            questionnaire,
            advisors,
            duration,
            rounds=2,
            seed=seed,
            during=restarter,
        )
    tokens = set(run.ledger.created) | {a.token for a in run.ledger.attempts}
    return RestartResult(
        run,
        verify_saves(url, questionnaire, run.ledger),
        windows,
        check_intact(url, questionnaire, tokens),
        gunicorn.log_tail(),
    )


def restart_report(result: RestartResult) -> str:
    run, v = result.run, result.verification
    statuses: dict[str, int] = {}
    for s in result.outage:
        key = str(s.status or "no answer") + ("" if s.friendly else " (unfriendly)")
        statuses[key] = statuses.get(key, 0) + 1
    return "\n".join(
        [
            f"PostgreSQL restart: {run.advisors} advisors for {run.duration:g} s, gunicorn with 2 "
            f"workers; PostgreSQL down (fast shutdown .. started again) during "
            + ", ".join(f"{a:.1f}-{b:.1f}s" for a, b in result.windows),
            "",
            table(run),
            "",
            f"during the outages (+{GRACE:g}s): {len(result.outage)} requests; statuses "
            + ", ".join(f"{k}: {n}" for k, n in sorted(statuses.items())),
            f"outside the outages: {len(result.normal)} requests, "
            f"{sum(_bad(s) for s in result.normal)} failed; "
            f"{result.saves_after} saves acknowledged after the last restart",
            f"database: {v.dossiers} acknowledged dossiers, {v.acked_saves} acknowledged saves "
            f"({v.checked_answers} answers) checked; lost dossiers {len(v.lost_dossiers)}, "
            f"lost or wrong answers {len(v.lost)}; schema and dossiers: "
            + ("intact" if not result.intact else f"{len(result.intact)} problems"),
        ]
    )


# -- main ------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=("kill", "restart"))
    parser.add_argument("--advisors", type=int, default=40)
    parser.add_argument("--duration", type=float, default=60.0, help="kill: seconds")
    parser.add_argument("--kills", type=int, default=12)
    parser.add_argument("--up", type=float, default=15.0, help="restart: seconds up")
    parser.add_argument("--down", type=float, default=5.0, help="restart: seconds down")
    parser.add_argument("--restarts", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if not (1 <= args.advisors <= 1000 and 0 < args.duration <= 3600 and 0 <= args.kills <= 100):
        parser.error("advisors 1..1000, duration 0..3600 s, kills 0..100")
    if not (0 < args.up <= 600 and 0 < args.down <= 120 and 1 <= args.restarts <= 20):
        parser.error("up 0..600 s, down 0..120 s, restarts 1..20")

    from tests.pgserver import PostgresServer

    print(f"faults: {dt.date.today().isoformat()}, {machine()}")
    failed = False
    if args.only in (None, "kill"):
        with (
            tempfile.TemporaryDirectory(prefix="kompas-soak-kill-") as name,
            PostgresServer() as pg,
        ):
            kill = kill_scenario(
                pg,
                Path(name),
                advisors=args.advisors,
                duration=args.duration,
                kills=args.kills,
                seed=args.seed,
            )
        print(kill_report(kill))
        for problem in kill.failures:
            print(f"FAIL (kill): {problem}")
        failed |= bool(kill.failures)
        print()
    if args.only in (None, "restart"):
        with tempfile.TemporaryDirectory(prefix="kompas-soak-pg-") as name, PostgresServer() as pg:
            restart = restart_scenario(
                pg,
                Path(name),
                advisors=args.advisors,
                up=args.up,
                down=args.down,
                restarts=args.restarts,
                seed=args.seed,
            )
        print(restart_report(restart))
        problems = restart.recovery_failures + restart.outage_unexpected
        if not restart.outage_errors:
            problems.append("no request met the outage (nothing was tested)")
        for problem in problems:
            print(f"FAIL (restart): {problem}")
        if restart.known_bug:
            print(
                f"KNOWN BUG (restart): {len(restart.known_bug)} of {len(restart.outage_errors)} "
                "failed requests during the outages got the friendly 500 page instead of the 503 "
                "page (pinned by tests/test_faults.py::"
                "test_postgres_outage_answers_the_friendly_503_page)"
            )
        failed |= bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
