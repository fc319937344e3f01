"""Benchmark: the web wizard under gunicorn, against a hello-world endpoint on the same app.

Starts gunicorn (2 sync workers) on 127.0.0.1 with bench/webapp.py: Kompas's create_app() on
a temporary, migrated SQLite file plus `/_hello`. 32 client threads, each with its own
dossier (created and filled in before timing starts), send a fixed number of requests per
scenario: hello-world GET, GET and POST of one wizard step, GET of the advice page
(`--advice-only`: hello-world and the advice page).
Prints throughput, p50 and p99 latency, errors and each p99 relative to hello-world's p99.
Targets: p99 of a wizard step <= 2x hello-world, of the advice page <= 5x (issue 18). Times
are not asserted; the exit status is non-zero only when a request failed (a status other than
2xx/3xx, or no response at all).

Why sync workers and not gthread: the views are CPU-bound Python (forms, conditions,
Jinja, SQLite), so threads inside a worker add GIL contention and no parallelism. Sync
workers also accept a fresh connection per request, so whichever worker is idle takes the
next request; with gthread the 32 keep-alive connections stick to the worker that happened
to accept them, and an uneven split skews the latencies. The price: sync workers do not
keep connections alive (they answer `Connection: close`), so every request, hello-world
included, pays a loopback TCP connect; the clients' http.client connections reconnect on
their own.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import math
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import kompas  # noqa: E402
from kompas.engine.answers import check_answers  # noqa: E402
from kompas.engine.answers import visible_questions  # noqa: E402
from kompas.engine.model import Question  # noqa: E402
from kompas.engine.model import Questionnaire  # noqa: E402
from kompas.engine.model import Section  # noqa: E402

CLIENTS = 32
WORKERS = 2
REQUESTS = 2000
WARMUP_PER_CLIENT = 2  # untimed requests per client before each scenario
TARGET = 2.0  # p99 of a wizard step <= TARGET x p99 of hello-world
ADVICE_TARGET = 5.0  # p99 of the advice page <= ADVICE_TARGET x p99 of hello-world (issue 18)
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


# --- answers, built from the questionnaire (no hard-coded ids) -----------------------------


def form_answer(question: Question) -> list[str]:
    """A valid answer for the question as the wizard form sends it (one item per value)."""
    kind = question.type
    if kind == "single":
        return [question.options[0].id]
    if kind == "multiple":
        return [o.id for o in question.options[::2]]
    if kind == "importance":
        return ["2"]
    if kind == "yesno":
        return ["ja"]
    if kind == "number":
        low = question.minimum if question.minimum is not None else 0.0
        high = question.maximum if question.maximum is not None else low + 5000.0
        return [str(round(low + (high - low) / 50))]
    return ["Antwoord van de webbenchmark."]


def fill_in(q: Questionnaire) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """The POSTs that fill in every section, and the body of a final submit per section.

    A step only accepts the questions it shows for the answers already saved, so a
    follow-up question (shown because of an answer in the same step) needs a second POST.
    Returns [(section id, body)] in order, and {section id: body of its last POST}.
    """
    posts: list[tuple[str, str]] = []
    last: dict[str, str] = {}
    raw: dict[str, Any] = {}
    for section in q.sections:
        asked: list[str] = []
        while True:
            shown = visible_questions(q, check_answers(q, raw, strict=False).values)
            questions = [x for x in section.questions if x in shown]
            if [x.id for x in questions] == asked:
                break
            asked = [x.id for x in questions]
            pairs = [(x.id, v) for x in questions for v in form_answer(x)]
            pairs.append(("actie", "opslaan"))
            body = urllib.parse.urlencode(pairs)
            posts.append((section.id, body))
            last[section.id] = body
            for x in questions:
                values = form_answer(x)
                raw[x.id] = values if x.type == "multiple" else values[0]
    check_answers(q, raw, strict=True)  # every generated answer is valid for the engine
    return posts, last


# --- the server -----------------------------------------------------------------------------


def start_gunicorn(tmp: Path, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], int, Path]:
    """Start gunicorn on a socket bound here (no race for the free port); returns the port."""
    from gunicorn.config import KNOWN_SETTINGS

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(2048)
    port = listener.getsockname()[1]
    fd = listener.fileno()
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        f"fd://{fd}",
        "--workers",
        str(WORKERS),
        "--worker-class",
        "sync",
        "--timeout",
        "120",
        "--chdir",
        str(ROOT),
        "--worker-tmp-dir",
        str(tmp),
        "--log-level",
        "warning",
    ]
    if any("--no-control-socket" in (s.cli or ()) for s in KNOWN_SETTINGS):
        cmd.append("--no-control-socket")  # newer gunicorn: no control socket in ~/.gunicorn
    cmd.append("bench.webapp:create_bench_app()")
    log = tmp / "gunicorn.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=env,
            pass_fds=(fd,),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    listener.close()  # gunicorn holds its own copy
    return proc, port, log


def stop_gunicorn(proc: subprocess.Popen[bytes]) -> None:
    """Graceful stop (SIGTERM to the master), then SIGKILL if it hangs."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def wait_ready(proc: subprocess.Popen[bytes], port: int, log: Path, timeout: float = 60) -> None:
    """Wait until /_hello answers; fail early if gunicorn exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/_hello")
            if conn.getresponse().status == 200:
                conn.close()
                return
            conn.close()
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"gunicorn did not answer within {timeout:.0f} s:\n{log.read_text()[-3000:]}")


# --- the clients ----------------------------------------------------------------------------


@dataclass
class Client:
    """One simulated user: an http.client connection and a dossier of its own."""

    port: int
    token: str = ""
    conn: http.client.HTTPConnection = field(init=False)

    def __post_init__(self) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)

    def send(self, method: str, path: str, body: str | None = None) -> tuple[int, str, float]:
        """One request, body read to the end: (status or 0 on failure, Location, seconds)."""
        start = time.perf_counter()
        try:
            self.conn.request(method, path, body=body, headers=FORM if body is not None else {})
            response = self.conn.getresponse()
            response.read()
            status, location = response.status, response.getheader("Location", "")
        except (OSError, http.client.HTTPException):
            self.conn.close()  # reconnects on the next request
            status, location = 0, ""
        return status, location, time.perf_counter() - start


def ok(status: int) -> bool:
    """2xx and 3xx count as success (a POST answers with a redirect, not followed)."""
    return 200 <= status < 400


Request = tuple[str, str, str | None]  # method, path, body


@dataclass
class Result:
    """What one scenario measured."""

    name: str
    latencies: list[float]
    statuses: dict[int, int]  # status (0: no response) -> count, warm-up included
    wall: float
    client_cpu: float  # CPU seconds of the clients per wall second
    server_cpu: float | None  # CPU seconds of gunicorn (master and workers) per request

    @property
    def failed(self) -> int:
        """Requests that got no 2xx or 3xx answer."""
        return sum(n for status, n in self.statuses.items() if not ok(status))

    def seen(self) -> str:
        """The statuses answered, e.g. '200' or '302'."""
        return ",".join(str(s) for s in sorted(self.statuses))

    def percentile(self, p: float) -> float:
        """Nearest-rank percentile in seconds."""
        ordered = sorted(self.latencies)
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def server_cpu(master: int) -> float | None:
    """CPU seconds used so far by gunicorn's master and workers (Linux /proc; else None)."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total = 0
    try:
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # the process ended meanwhile
            if entry.name == str(master) or fields[1] == str(master):
                total += int(fields[11]) + int(fields[12])  # utime + stime, in ticks
    except OSError:
        return None
    return total / tick if total else None


def run_scenario(name: str, clients: list[Client], make: Any, total: int, master: int) -> Result:
    """Warm up, then send `total` requests from all clients at once; time the whole batch."""
    statuses: dict[int, int] = {}
    lock = threading.Lock()

    def note(status: int) -> None:
        with lock:
            statuses[status] = statuses.get(status, 0) + 1

    def warm(client: Client) -> None:
        for _ in range(WARMUP_PER_CLIENT):
            status, _loc, _t = client.send(*make(client))
            note(status)

    threads = [threading.Thread(target=warm, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    tickets = iter(range(total))  # next() on a range iterator is atomic under the GIL
    latencies: list[list[float]] = [[] for _ in clients]
    barrier = threading.Barrier(len(clients) + 1)

    def work(i: int, client: Client) -> None:
        mine = latencies[i]
        request = make(client)
        barrier.wait()
        for _ in tickets:
            status, _loc, seconds = client.send(*request)
            mine.append(seconds)
            note(status)

    threads = [threading.Thread(target=work, args=(i, c)) for i, c in enumerate(clients)]
    for t in threads:
        t.start()
    cpu, server = time.process_time(), server_cpu(master)
    barrier.wait()
    start = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    cpu = time.process_time() - cpu
    after = server_cpu(master)
    per_request = (after - server) / total if server is not None and after is not None else None
    flat = list(itertools.chain.from_iterable(latencies))
    return Result(name, flat, statuses, wall, cpu / wall, per_request)


def set_up_clients(port: int, posts: list[tuple[str, str]]) -> tuple[list[Client], int]:
    """Create a dossier per client and fill in every step (untimed); returns failures."""
    clients = [Client(port) for _ in range(CLIENTS)]
    failures = 0
    for i, client in enumerate(clients):
        body = urllib.parse.urlencode(
            {"municipality": f"Benchmarkstad {i + 1}", "inhabitants": 40000}
        )
        status, location, _t = client.send("POST", "/nieuw", body)
        parts = urllib.parse.urlsplit(location).path.strip("/").split("/")
        if status != 302 or len(parts) != 2 or parts[0] != "d":
            raise SystemExit(f"POST /nieuw answered {status} {location!r}, expected a dossier link")
        client.token = parts[1]
        for section_id, body in posts:
            status, _loc, _t = client.send("POST", f"/d/{client.token}/stap/{section_id}", body)
            if not ok(status):
                print(f"setup: POST step {section_id} for client {i + 1} answered {status}")
                failures += 1
    return clients, failures


# --- main -----------------------------------------------------------------------------------


def main() -> int:
    """Run the benchmark, print a table; 1 if any request failed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--requests", type=int, default=REQUESTS, help="timed requests per scenario"
    )
    parser.add_argument("--section", help="section id of the wizard step (default: the first)")
    parser.add_argument(
        "--advice-only",
        action="store_true",
        help="time hello-world and the advice page only (quicker runs to repeat)",
    )
    args = parser.parse_args()
    if args.requests < 1:
        parser.error("--requests must be at least 1")

    q, catalogue = kompas.load(
        os.environ.get("KOMPAS_QUESTIONS"), os.environ.get("KOMPAS_PLATFORMS")
    )
    sections: dict[str, Section] = {s.id: s for s in q.sections}
    section_id = args.section or q.sections[0].id
    if section_id not in sections:
        parser.error(f"unknown section {section_id!r}; choose from {', '.join(sections)}")
    posts, last = fill_in(q)

    with tempfile.TemporaryDirectory(prefix="kompas-bench-web-") as tmpname:
        tmp = Path(tmpname)
        env = {k: v for k, v in os.environ.items() if k not in ("KOMPAS_DEV", "GUNICORN_CMD_ARGS")}
        env["KOMPAS_DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
        env["KOMPAS_SECRET_KEY"] = secrets.token_urlsafe(48)
        env["KOMPAS_TRUSTED_HOSTS"] = "127.0.0.1"
        # All clients create their dossier from one address, faster than the production
        # limit allows; the limiter stays on (its cost is part of every request measured).
        env["KOMPAS_LIMIT_DOSSIERS"] = f"{CLIENTS * 4} per minute"
        os.environ.update(
            {
                k: env[k]
                for k in ("KOMPAS_DATABASE_URL", "KOMPAS_SECRET_KEY", "KOMPAS_TRUSTED_HOSTS")
            }
        )
        os.environ.pop("KOMPAS_DEV", None)

        from kompas.web import create_app
        from kompas.web.db import get_engine
        from kompas.web.migrate import upgrade

        app = create_app({"WTF_CSRF_ENABLED": False}, migrating=True)
        upgrade(app)  # before the server starts: workers find the schema in place
        get_engine(app).dispose()

        proc, port, log = start_gunicorn(tmp, env)
        try:
            wait_ready(proc, port, log)
            clients, failures = set_up_clients(port, posts)
            body = last[section_id]
            scenarios: list[tuple[str, Any]] = [
                ("hello-world GET", lambda c: ("GET", "/_hello", None)),
                (
                    f"step GET ({section_id})",
                    lambda c: ("GET", f"/d/{c.token}/stap/{section_id}", None),
                ),
                (
                    f"step POST ({section_id})",
                    lambda c: ("POST", f"/d/{c.token}/stap/{section_id}", body),
                ),
                ("advice GET", lambda c: ("GET", f"/d/{c.token}/advies", None)),
            ]
            if args.advice_only:
                scenarios = [scenarios[0], scenarios[-1]]
            results = [
                run_scenario(name, clients, make, args.requests, proc.pid)
                for name, make in scenarios
            ]
        finally:
            stop_gunicorn(proc)
        server_log = log.read_text(errors="replace").strip()

    print(
        f"gunicorn: {WORKERS} sync workers on 127.0.0.1, {CLIENTS} client threads, "
        f"{os.cpu_count()} CPUs shared by server and clients; SQLite (temporary file)"
    )
    print(
        f"data: {len(catalogue.platforms)} platforms, {len(q.questions)} questions; "
        f"step = section '{section_id}' ({len(sections[section_id].questions)} questions), "
        f"every dossier filled in; POST answers with a redirect (not followed)"
    )
    print()
    hello = results[0].percentile(99)
    print(
        f"{'scenario':<24} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'errors':>6} {'p99/hello':>9} {'status':>6} {'server ms':>9} {'client cpu':>10}"
    )
    for r in results:
        p99 = r.percentile(99)
        server = "-" if r.server_cpu is None else f"{r.server_cpu * 1000:.2f}"
        print(
            f"{r.name:<24} {len(r.latencies):>8} {len(r.latencies) / r.wall:>8.0f} "
            f"{r.percentile(50) * 1000:>8.2f} {p99 * 1000:>8.2f} {r.failed:>6} "
            f"{p99 / hello:>8.2f}x {r.seen():>6} {server:>9} {r.client_cpu * 100:>9.0f}%"
        )
    print()
    if len(results) > 2:
        print(f"target: p99 of a wizard step <= {TARGET:g}x hello-world")
        for r in results[1:3]:
            ratio = r.percentile(99) / hello
            print(f"  {r.name}: {ratio:.2f}x -> {'met' if ratio <= TARGET else 'missed'}")
    ratio = results[-1].percentile(99) / hello
    print(f"target: p99 of the advice page <= {ADVICE_TARGET:g}x hello-world")
    print(f"  {results[-1].name}: {ratio:.2f}x -> {'met' if ratio <= ADVICE_TARGET else 'missed'}")
    cpu_advice, cpu_hello = results[-1].server_cpu, results[0].server_cpu
    if cpu_advice is not None and cpu_hello:
        # The steadier figure on a loaded machine: p99 there is mostly time queued for a CPU.
        print(f"  server CPU per request: {cpu_advice / cpu_hello:.2f}x hello-world")
    print(
        "errors include the untimed warm-up requests; status = the statuses answered "
        "(a POST answers 302 and is not followed)."
    )
    print(
        "server ms = CPU time of gunicorn (master and workers) per timed request; "
        f"client cpu = CPU time of the {CLIENTS} clients per wall second, in % of one CPU."
    )
    print(
        f"with {CLIENTS} clients queued on {WORKERS} workers, latency is mostly waiting: "
        "p99 ratios follow the ratios of the time a worker spends per request."
    )

    failed = failures + sum(r.failed for r in results)
    for r in results:
        for status, n in sorted(r.statuses.items()):
            if ok(status):
                continue
            print(f"error: {r.name}: {n} x {'no response' if status == 0 else f'HTTP {status}'}")
    if failures:
        print(f"error: {failures} setup requests failed")
    if failed:
        if server_log:
            print("gunicorn log (tail):\n" + server_log[-3000:])
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
