"""Shared machinery of the soak scripts and their short versions in tests/.

- `Gunicorn`: the production server (`kompas.web:create_app()`, CSRF on, no test config)
  started on a free loopback port, with its workers' pids and its log.
- `Browser`: one simulated advisor's HTTP client (http.client, loopback only) that keeps
  the session cookie and reads the csrf_token from every form it fills in, as a browser does.
- `Advisor` / `run_advisors`: advisors walking the wizard (new dossier, every step with
  valid answers read from the questionnaire, the advice page), bounded in requests and time.
- `Ledger` / `verify_saves`: every save is written down with whether the server
  acknowledged it (a 302/303 redirect); afterwards the database must hold every
  acknowledged answer (or a later attempt at the same question that was not acknowledged).
- PostgreSQL: a database per scenario on a server from tests/pgserver.py, migrated before
  the server starts, and a restart with an outage in between.

Network: every connection goes to 127.0.0.1; every loop has a request budget and a deadline.
"""

from __future__ import annotations

import contextlib
import http.client
import math
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kompas.engine.answers import check_answers  # noqa: E402
from kompas.engine.answers import normalise_answer  # noqa: E402
from kompas.engine.model import Question  # noqa: E402
from kompas.engine.model import Questionnaire  # noqa: E402
from kompas.errors import AnswerError  # noqa: E402

APP = "kompas.web:create_app()"  # exactly what production serves
LOOPBACK = "127.0.0.1"
ACK = (302, 303)
FORM = "application/x-www-form-urlencoded"
CSRF = re.compile(rb'<input[^>]*\bname="csrf_token"[^>]*\bvalue="([^"]+)"')
FIELD_NAME = re.compile(rb'\bname="([^"]+)"')
DOSSIER_PATH = re.compile(r"^/d/([A-Za-z0-9_-]+)/$")
FRIENDLY_503 = "Even niet beschikbaar"  # the title of the 503 page (kompas/web/errors.py)


# -- answers ---------------------------------------------------------------------------------


def form_answer(question: Question, variant: int) -> list[str]:
    """A valid answer as the wizard form posts it (one item per value); variants differ."""
    kind = question.type
    if kind == "single":
        return [question.options[variant % len(question.options)].id]
    if kind == "multiple":
        return [question.options[variant % len(question.options)].id]
    if kind == "importance":
        return [str(1 + variant % 3)]
    if kind == "yesno":
        return ["ja" if variant % 2 == 0 else "nee"]
    if kind == "number":
        low = math.ceil(question.minimum) if question.minimum is not None else 0
        high = int(question.maximum) if question.maximum is not None else low + 100_000
        return [str(low + variant % max(1, high - low + 1))]
    return [f"Soaktest antwoord {variant} op {question.id}"]


def same_answer(question: Question, stored: Any, posted: list[str]) -> bool:
    """Whether a stored answer is the one posted through the form."""
    sent: Any = posted if question.type == "multiple" else posted[0]
    try:
        return normalise_answer(question, stored) == normalise_answer(question, sent)
    except AnswerError:
        return False


# -- the server ------------------------------------------------------------------------------


# Every simulated advisor comes from 127.0.0.1, so the per-address rate limits on creating
# dossiers (kompas/web/limits.py) would throttle the crowd as if it were one person. Load
# runs raise them; in production every advisor has an address of their own.
ONE_ADDRESS_LIMITS = {
    "KOMPAS_LIMIT_DOSSIERS": "1000000 per minute",
    "KOMPAS_LIMIT_PARTICIPANTS": "1000000 per minute",
    "KOMPAS_LIMIT_PDF": "1000000 per minute",
}


def server_env(
    database_url: str, secret_key: str | None = None, extra: dict[str, str] | None = None
) -> dict[str, str]:
    """The environment of a production server: a secret key and the database, no dev mode."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("KOMPAS_") and k != "GUNICORN_CMD_ARGS"
    }
    env["KOMPAS_DATABASE_URL"] = database_url
    env["KOMPAS_SECRET_KEY"] = secret_key or secrets.token_urlsafe(48)
    # Links are built from a configured address: the servers answer to the loopback host.
    env["KOMPAS_TRUSTED_HOSTS"] = LOOPBACK
    env.update(extra or {})
    return env


def _supports_no_control_socket() -> bool:
    from gunicorn.config import KNOWN_SETTINGS

    return any("--no-control-socket" in (s.cli or ()) for s in KNOWN_SETTINGS)


class Gunicorn:
    """`gunicorn --workers N "kompas.web:create_app()"` on a free loopback port."""

    def __init__(
        self,
        env: dict[str, str],
        tmp: Path,
        *,
        workers: int = 2,
        name: str = "gunicorn",
        timeout: int = 30,
        app: str = APP,
        options: tuple[str, ...] = (),
        threads: int = 1,
    ) -> None:
        self.env = env
        self.threads = threads
        self.tmp = tmp
        self.workers = workers
        self.name = name
        self.timeout = timeout
        self.app = app
        self.options = options  # more gunicorn options, e.g. --certfile/--keyfile
        self.port = 0
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = tmp / f"{name}.log"

    def command(self, bind: str) -> list[str]:
        """The gunicorn command line (the production one, bound to `bind`)."""
        cmd = [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(self.workers),
            "--bind",
            bind,
            "--timeout",
            str(self.timeout),
            "--chdir",
            str(ROOT),
            "--worker-tmp-dir",
            str(self.tmp),
            "--log-level",
            "info",
        ]
        if self.threads > 1:
            cmd += ["--threads", str(self.threads)]
        if _supports_no_control_socket():
            cmd.append("--no-control-socket")  # newer gunicorn: no socket in ~/.gunicorn
        return [*cmd, *self.options, self.app]

    def start(self, ready_timeout: float = 60) -> Gunicorn:
        """Start on a socket bound here (no race for the free port) and wait until it answers."""
        self.launch()
        self.wait_ready(ready_timeout)
        return self

    def launch(self) -> Gunicorn:
        """Start gunicorn without waiting for it (several servers boot side by side)."""
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((LOOPBACK, 0))
        listener.listen(2048)
        self.port = listener.getsockname()[1]
        fd = listener.fileno()
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                self.command(f"fd://{fd}"),
                cwd=ROOT,
                env=self.env,
                pass_fds=(fd,),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        listener.close()  # gunicorn holds its own copy
        return self

    def wait_ready(self, timeout: float = 60) -> None:
        """Wait until the landing page answers 200; fail early when gunicorn exits."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is None or self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited:\n{self.log_tail()}")
            if Browser(self.port, timeout=5).get("/").status == 200:
                return
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def worker_pids(self) -> list[int]:
        """The pids of the master's live worker processes (Linux /proc)."""
        if self.proc is None:
            return []
        master = str(self.proc.pid)
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # ended meanwhile
            if fields[1] == master and fields[0] not in ("Z", "X"):
                pids.append(int(entry.name))
        return sorted(pids)

    def wait_workers(self, timeout: float = 60) -> list[int]:
        """Wait until the master runs its full number of workers again; returns their pids."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pids = self.worker_pids()
            if len(pids) == self.workers:
                return pids
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} has {self.worker_pids()} workers, not {self.workers}")

    def alive(self) -> bool:
        """Whether the master still runs."""
        return self.proc is not None and self.proc.poll() is None

    def stop(self, graceful: bool = False) -> None:
        """Stop: quick (SIGINT; the clients are done) or graceful (SIGTERM); SIGKILL if it hangs."""
        if self.proc is None or self.proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            self.proc.send_signal(signal.SIGTERM if graceful else signal.SIGINT)
        try:
            # Longer than gunicorn's own graceful timeout (30 s), after which the master kills a
            # worker that has not stopped; killing the master first would orphan that worker.
            self.proc.wait(timeout=45)
        except subprocess.TimeoutExpired:
            stuck = self.worker_pids()
            self.proc.kill()
            self.proc.wait(timeout=30)
            for pid in stuck:  # the master can no longer stop them
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)

    @staticmethod
    def stop_all(servers: Iterable[Gunicorn]) -> None:
        """Quick stop of several servers side by side."""
        servers = [g for g in servers if g.alive()]
        for g in servers:
            assert g.proc is not None
            g.proc.send_signal(signal.SIGINT)
        for g in servers:
            g.stop()

    def log_tail(self, chars: int = 4000) -> str:
        """The end of the server log."""
        try:
            return self.log.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def __enter__(self) -> Gunicorn:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *_exc: object) -> None:
        self.stop()


# -- PostgreSQL ------------------------------------------------------------------------------

_SHARED_PG: Any = None


def shared_postgres() -> Any:
    """One PostgreSQL server per process (tests/pgserver.py), stopped at exit."""
    global _SHARED_PG
    from tests.pgserver import PostgresServer

    if _SHARED_PG is None:
        server = PostgresServer()
        try:
            server.start()  # registers its own stop() at exit
        except BaseException:
            server.stop()
            raise
        _SHARED_PG = server
    return _SHARED_PG


def migrate_database(database_url: str) -> None:
    """Bring a database to the newest schema, as `kompas db upgrade` does before a deploy."""
    from kompas.web import create_app
    from kompas.web.db import get_engine
    from kompas.web.migrate import upgrade

    app = create_app(
        {"DATABASE_URL": database_url, "SECRET_KEY": secrets.token_urlsafe(48)}, migrating=True
    )
    upgrade(app)
    get_engine(app).dispose()


def new_database(server: Any, name: str | None = None) -> str:
    """A fresh, migrated database on a server; returns its SQLAlchemy URL."""
    url = server.url(server.create_database(name))
    migrate_database(url)
    return url


def _pg_options(server: Any) -> str:
    # The settings tests/pgserver.py starts the server with (same port, same socket).
    return " ".join(
        (
            "-c listen_addresses=127.0.0.1",
            f"-c port={server.port}",
            f"-c unix_socket_directories={server.socketdir}",
            "-c fsync=off",
            "-c synchronous_commit=off",
            "-c full_page_writes=off",
            "-c max_connections=200",
        )
    )


def stop_postgres(server: Any) -> None:
    """Stop the server the way a restart does: fast mode, open connections are cut."""
    server._run("pg_ctl", "-D", str(server.datadir), "-m", "fast", "-w", "-t", "60", "stop")


def start_postgres(server: Any) -> None:
    """Start a stopped server again on the same port."""
    server._run(
        "pg_ctl",
        "-D",
        str(server.datadir),
        "-l",
        str(server.logfile),
        "-o",
        _pg_options(server),
        "-w",
        "-t",
        "60",
        "start",
        timeout=90,
    )


# -- the client ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reply:
    """One answered (or failed) request."""

    status: int  # 0: no HTTP response (connection refused, reset, timeout)
    location: str
    content_type: str
    body: bytes
    seconds: float


class Browser:
    """One advisor's browser: a cookie jar and loopback HTTP requests, one connection each.

    Kompas sets its session cookie `Secure` outside development; behind the HTTPS proxy of a
    real deployment the browser sends it back, so this client sends it back too.
    """

    def __init__(self, port: int, timeout: float = 60) -> None:
        self.port = port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        content_type: str | None = None,
        port: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        """Send one request and read the whole answer."""
        port = port or self.port
        headers = {"Host": f"{LOOPBACK}:{port}", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        start = time.perf_counter()
        conn = http.client.HTTPConnection(LOOPBACK, port, timeout=self.timeout)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            self._keep_cookies(response.headers.get_all("Set-Cookie") or [])
            reply = Reply(
                response.status,
                response.getheader("Location", "") or "",
                response.getheader("Content-Type", "") or "",
                data,
                time.perf_counter() - start,
            )
        except (OSError, http.client.HTTPException):
            reply = Reply(0, "", "", b"", time.perf_counter() - start)
        finally:
            conn.close()
        return reply

    def _keep_cookies(self, headers: Iterable[str]) -> None:
        for header in headers:
            pair, _sep, attributes = header.partition(";")
            name, _eq, value = pair.strip().partition("=")
            expired = re.search(r"(?i)max-age=0\b|expires=thu, 01 jan 1970", attributes)
            if expired:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value

    def get(self, path: str, port: int | None = None) -> Reply:
        """GET a page."""
        return self.request("GET", path, port=port)

    def post(self, path: str, pairs: list[tuple[str, str]], port: int | None = None) -> Reply:
        """POST a form (application/x-www-form-urlencoded)."""
        body = urllib.parse.urlencode(pairs).encode("ascii")
        return self.request("POST", path, body, FORM, port=port)


def csrf_token(body: bytes) -> str:
    """The csrf_token of the form on a page ('' when there is none)."""
    match = CSRF.search(body)
    return match.group(1).decode() if match else ""


def field_names(body: bytes) -> set[str]:
    """The names of the form fields on a page."""
    return {m.decode() for m in FIELD_NAME.findall(body)}


def dossier_token(location: str) -> str:
    """The dossier token in a redirect to /d/<token>/ ('' when it is not one)."""
    match = DOSSIER_PATH.match(urllib.parse.urlsplit(location).path)
    return match.group(1) if match else ""


def friendly_error_page(reply: Reply) -> bool:
    """An HTML error page in the site's layout, without a traceback."""
    text = reply.body.decode("utf-8", "replace")
    return (
        reply.content_type.startswith("text/html")
        and "<h1" in text
        and "Traceback" not in text
        and 'File "' not in text
    )


# -- what the clients saw --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sample:
    """One request as a client saw it; `start` is seconds since the run began."""

    kind: str
    start: float
    seconds: float
    status: int
    friendly: bool  # for errors: a friendly HTML page
    path: str


@dataclass
class Attempt:
    """One save (a wizard step POST) and whether the server acknowledged it."""

    token: str
    answers: dict[str, list[str]]
    acked: bool


class Ledger:
    """Every dossier created and every save attempted, in order, with its acknowledgement."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.created: list[str] = []  # tokens of acknowledged new dossiers
        self.attempts: list[Attempt] = []

    def dossier(self, token: str) -> None:
        with self.lock:
            self.created.append(token)

    def save(self, token: str, answers: dict[str, list[str]], acked: bool) -> None:
        with self.lock:
            self.attempts.append(Attempt(token, answers, acked))

    @property
    def acked(self) -> int:
        """How many saves were acknowledged."""
        return sum(a.acked for a in self.attempts)


class Stop(Exception):
    """The run's time or request budget is used up."""


class Advisor:
    """One simulated advisor: walks the wizard again and again until the deadline."""

    def __init__(
        self,
        number: int,
        ports: list[int],
        questionnaire: Questionnaire,
        ledger: Ledger,
        samples: list[Sample],
        *,
        t0: float,
        deadline: float,
        rounds: int = 1,
        max_requests: int = 100_000,
        seed: int = 0,
        timeout: float = 60,
        pause: float = 0.2,
    ) -> None:
        self.number = number
        self.pause = pause
        self.ports = ports
        self.q = questionnaire
        self.ledger = ledger
        self.samples = samples
        self.t0 = t0
        self.deadline = deadline
        self.rounds = rounds
        self.budget = max_requests
        self.rng = random.Random(seed * 100_003 + number)
        self.browser = Browser(ports[0], timeout=timeout)
        self.walks = 0
        self.completed = 0
        self.requests = 0

    # one request, written down
    def _send(
        self, kind: str, method: str, path: str, pairs: list[tuple[str, str]] | None = None
    ) -> Reply:
        if time.monotonic() >= self.deadline or self.requests >= self.budget:
            raise Stop
        self.requests += 1
        port = self.ports[self.requests % len(self.ports)]  # no sticky sessions
        started = time.monotonic() - self.t0
        reply = (
            self.browser.request("GET", path, port=port)
            if method == "GET"
            else self.browser.post(path, pairs or [], port=port)
        )
        self.samples.append(
            Sample(
                kind,
                started,
                reply.seconds,
                reply.status,
                friendly_error_page(reply) if reply.status >= 400 else True,
                path,
            )
        )
        return reply

    def run(self) -> None:
        """Walk until the deadline or the request budget (never longer)."""
        try:
            while True:
                self.walks += 1
                if self.walk():
                    self.completed += 1
                else:  # a person waits a moment before trying again
                    time.sleep(min(self.pause, max(0.0, self.deadline - time.monotonic())))
        except Stop:
            return

    def walk(self) -> bool:
        """New dossier, every step (follow-up questions too), the advice; True when complete."""
        page = self._send("new GET", "GET", "/nieuw")
        if page.status != 200:
            return False
        reply = self._send(
            "new POST",
            "POST",
            "/nieuw",
            [
                ("csrf_token", csrf_token(page.body)),
                ("municipality", f"Soakstad {self.number}-{self.walks}"),
                ("inhabitants", str(self.rng.randrange(1_000, 900_000))),
            ],
        )
        token = dossier_token(reply.location) if reply.status in ACK else ""
        if not token:
            return False
        self.ledger.dossier(token)
        if self._send("dossier GET", "GET", f"/d/{token}/").status != 200:
            return False
        variant = self.rng.randrange(1_000_000)
        for round_ in range(self.rounds):
            for section in self.q.sections:
                if not self.step(token, section, variant + round_):
                    return False
        return self._send("advice GET", "GET", f"/d/{token}/advies").status == 200

    def step(self, token: str, section: Any, variant: int) -> bool:
        """Answer one step as a browser would: GET the form, POST what it shows."""
        path = f"/d/{token}/stap/{section.id}"
        ids = {q.id for q in section.questions}
        for _ in range(1 + len(section.questions)):  # each round may reveal follow-ups
            page = self._send("step GET", "GET", path)
            if page.status != 200:
                return False
            shown = field_names(page.body) & ids
            answers = {
                q.id: form_answer(q, variant + i)
                for i, q in enumerate(section.questions)
                if q.id in shown
            }
            pairs = [("csrf_token", csrf_token(page.body)), ("actie", "volgende")]
            pairs += [(qid, v) for qid, values in answers.items() for v in values]
            reply = self._send("step POST", "POST", path, pairs)
            acked = reply.status in ACK
            self.ledger.save(token, answers, acked)
            if not acked:
                return False
            target = urllib.parse.urlsplit(reply.location)
            if not (target.path == path and target.fragment.startswith("vraag-")):
                return True
        return True


@dataclass
class Run:
    """The outcome of a run of advisors."""

    advisors: int
    duration: float
    wall: float
    samples: list[Sample]
    ledger: Ledger
    walks: int
    completed: int
    stuck: int  # client threads still running after the grace period (should be 0)

    def by_kind(self) -> dict[str, list[Sample]]:
        kinds: dict[str, list[Sample]] = {}
        for s in self.samples:
            kinds.setdefault(s.kind, []).append(s)
        return kinds

    def errors(self, low: int = 500, high: int = 600) -> list[Sample]:
        """Samples whose status is in [low, high)."""
        return [s for s in self.samples if low <= s.status < high]

    def no_response(self) -> list[Sample]:
        """Requests that got no HTTP answer at all."""
        return [s for s in self.samples if s.status == 0]


def run_advisors(
    ports: list[int],
    questionnaire: Questionnaire,
    advisors: int,
    duration: float,
    *,
    rounds: int = 1,
    seed: int = 0,
    max_requests: int = 100_000,
    timeout: float = 60,
    during: Callable[[float], None] | None = None,
) -> Run:
    """`advisors` threads walk the wizard for `duration` seconds; `during(t0)` runs alongside."""
    ledger = Ledger()
    samples: list[list[Sample]] = [[] for _ in range(advisors)]
    t0 = time.monotonic()
    deadline = t0 + duration
    crowd = [
        Advisor(
            i,
            ports,
            questionnaire,
            ledger,
            samples[i],
            t0=t0,
            deadline=deadline,
            rounds=rounds,
            max_requests=max_requests,
            seed=seed,
            timeout=timeout,
        )
        for i in range(advisors)
    ]
    threads = [threading.Thread(target=a.run, daemon=True) for a in crowd]
    for t in threads:
        t.start()
    if during is not None:
        during(t0)
    for t in threads:
        t.join(timeout=max(0.0, deadline - time.monotonic()) + timeout + 10)
    wall = time.monotonic() - t0
    return Run(
        advisors,
        duration,
        wall,
        [s for mine in samples for s in mine],
        ledger,
        sum(a.walks for a in crowd),
        sum(a.completed for a in crowd),
        sum(t.is_alive() for t in threads),
    )


# -- what the database holds -----------------------------------------------------------------


@dataclass
class Verification:
    """Acknowledged saves compared with the database."""

    dossiers: int = 0
    acked_saves: int = 0
    checked_answers: int = 0
    lost_dossiers: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)  # one line per lost or wrong answer

    @property
    def ok(self) -> bool:
        return not self.lost and not self.lost_dossiers


def stored_answers(database_url: str, tokens: Iterable[str]) -> dict[str, dict[str, Any] | None]:
    """token -> the answers stored in its dossier (None when the dossier is missing)."""
    import sqlalchemy as sa

    from kompas.store.base import hash_token
    from kompas.store.dossier import AnswerRow
    from kompas.store.dossier import DossierRow

    by_hash = {hash_token(t): t for t in tokens}
    result: dict[str, dict[str, Any] | None] = dict.fromkeys(by_hash.values())
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            hashes = list(by_hash)
            for i in range(0, len(hashes), 500):
                chunk = hashes[i : i + 500]
                ids = dict(
                    conn.execute(
                        sa.select(DossierRow.id, DossierRow.token_hash).where(
                            DossierRow.token_hash.in_(chunk)
                        )
                    ).all()
                )
                for digest in ids.values():
                    result[by_hash[digest]] = {}
                rows = conn.execute(
                    sa.select(AnswerRow.dossier_id, AnswerRow.question_id, AnswerRow.value).where(
                        AnswerRow.dossier_id.in_(list(ids))
                    )
                )
                for dossier_id, qid, value in rows:
                    answers = result[by_hash[ids[dossier_id]]]
                    assert answers is not None
                    answers[qid] = value
    finally:
        engine.dispose()
    return result


def verify_saves(database_url: str, questionnaire: Questionnaire, ledger: Ledger) -> Verification:
    """Every acknowledged dossier exists; every acknowledged answer is stored.

    Per question the database must hold the value of the last acknowledged save, or of a
    later save that was not acknowledged (it may have been committed just before its worker
    died or its answer was lost): never an older value, and never nothing.
    """
    tokens = set(ledger.created) | {a.token for a in ledger.attempts}
    stored = stored_answers(database_url, tokens)
    result = Verification(dossiers=len(ledger.created), acked_saves=ledger.acked)
    for token in ledger.created:
        if stored.get(token) is None:
            result.lost_dossiers.append(token)
    history: dict[tuple[str, str], list[tuple[list[str], bool]]] = {}
    for attempt in ledger.attempts:
        for qid, value in attempt.answers.items():
            history.setdefault((attempt.token, qid), []).append((value, attempt.acked))
    for (token, qid), tries in history.items():
        last_acked = max((i for i, (_v, acked) in enumerate(tries) if acked), default=None)
        if last_acked is None:
            continue
        allowed = [value for value, _acked in tries[last_acked:]]
        answers = stored.get(token) or {}
        question = questionnaire.question(qid)
        result.checked_answers += 1
        if qid not in answers:
            result.lost.append(f"{token[:8]}…/{qid}: acknowledged {allowed[0]}, not stored")
        elif not any(same_answer(question, answers[qid], v) for v in allowed):
            result.lost.append(
                f"{token[:8]}…/{qid}: acknowledged {allowed[0]}, stored {answers[qid]!r}"
            )
    return result


def check_intact(
    database_url: str, questionnaire: Questionnaire, tokens: Iterable[str]
) -> list[str]:
    """Problems with the schema or with a dossier's answers (empty when all is well)."""
    import sqlalchemy as sa
    from alembic.runtime.migration import MigrationContext

    from kompas.web.migrate import head_revision

    problems = []
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            revision = MigrationContext.configure(conn).get_current_revision()
            if revision != head_revision():
                problems.append(f"schema at {revision}, expected {head_revision()}")
            tables = set(sa.inspect(conn).get_table_names())
            for table in ("dossier", "answer", "workshop", "participant"):
                if table not in tables:
                    problems.append(f"table {table} is missing")
    finally:
        engine.dispose()
    for token, answers in stored_answers(database_url, tokens).items():
        if answers is None:
            continue
        checked = check_answers(questionnaire, answers, strict=False)
        bad = [i for i in checked.ignored if i.reason in ("invalid", "unknown_question")]
        if bad:
            problems.append(f"dossier {token[:8]}…: unreadable answers {bad}")
    return problems


# -- reporting -------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


KIND_ORDER = ("new GET", "new POST", "dossier GET", "step GET", "step POST", "advice GET")


def table(run: Run) -> str:
    """Throughput and latency per kind of request."""
    kinds = run.by_kind()
    lines = [
        f"{'request':<12} {'count':>7} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}  statuses"
    ]
    names = [k for k in KIND_ORDER if k in kinds] + sorted(set(kinds) - set(KIND_ORDER))
    for name in [*names, "all"]:
        samples = run.samples if name == "all" else kinds[name]
        seconds = [s.seconds for s in samples]
        statuses: dict[int, int] = {}
        for s in samples:
            statuses[s.status] = statuses.get(s.status, 0) + 1
        shown = " ".join(f"{k or 'none'}:{v}" for k, v in sorted(statuses.items()))
        lines.append(
            f"{name:<12} {len(samples):>7} {len(samples) / run.wall:>7.1f} "
            f"{percentile(seconds, 50) * 1000:>8.0f} {percentile(seconds, 99) * 1000:>8.0f} "
            f"{max(seconds, default=0) * 1000:>8.0f}  {shown}"
        )
    return "\n".join(lines)


def machine() -> str:
    """A one-line description of the machine the figures were measured on."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs ({cpu or 'unknown CPU'}), Python {sys.version.split()[0]}"
