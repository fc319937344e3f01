"""A throwaway PostgreSQL 15 server for the test suite, started by the tests themselves.

The server lives in a temporary directory, listens on 127.0.0.1 only (on a free port) with
its unix socket inside that directory, trusts local connections and runs with fsync off:
it exists for one test session and is removed afterwards, even when tests fail.

When the PostgreSQL binaries are missing, the tests that need the server fail (they are
never skipped) with a message that says how to install them.

Use it as a context manager, or through the session-scoped `postgres_server` fixture:

    from tests.pgserver import PostgresServer

    with PostgresServer() as server:
        url = server.url(server.create_database("kompas_test"))
"""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import shutil
import socket
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

PG_VERSION = "15"
DEFAULT_BINDIR = Path(f"/usr/lib/postgresql/{PG_VERSION}/bin")
BINDIR_ENV = "KOMPAS_TEST_PG_BINDIR"
SUPERUSER = "postgres"
NEEDED = ("initdb", "pg_ctl", "postgres")
_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class PostgresUnavailable(RuntimeError):
    """The PostgreSQL server for the tests cannot be started."""


def bindir() -> Path:
    """Where the PostgreSQL server binaries are (KOMPAS_TEST_PG_BINDIR overrides)."""
    return Path(os.environ.get(BINDIR_ENV) or DEFAULT_BINDIR)


def missing_binaries() -> list[str]:
    """The server binaries that are not there (empty when all are)."""
    return [name for name in NEEDED if not os.access(bindir() / name, os.X_OK)]


def install_hint() -> str:
    """How to get the binaries."""
    return (
        f"Install PostgreSQL {PG_VERSION} with `scripts/ensure-test-services` (as root; `make test` "
        f"runs it) or `apt-get install postgresql-{PG_VERSION}`, or point {BINDIR_ENV} at a "
        f"directory with {', '.join(NEEDED)}."
    )


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _reachable_by_others(path: Path) -> bool:
    """Whether every directory above path lets other users through (for the postgres user)."""
    return all(parent.stat().st_mode & stat.S_IXOTH for parent in path.resolve().parents)


class PostgresServer:
    """One PostgreSQL server in a temporary directory; start() and stop() it, or use `with`."""

    def __init__(self) -> None:
        self.port = 0
        self.root: Path | None = None
        self._running = False
        self._databases = 0

    # -- paths -------------------------------------------------------------------------------

    @property
    def datadir(self) -> Path:
        assert self.root is not None, "the server is not started"
        return self.root / "data"

    @property
    def socketdir(self) -> Path:
        assert self.root is not None, "the server is not started"
        return self.root / "socket"

    @property
    def logfile(self) -> Path:
        assert self.root is not None, "the server is not started"
        return self.root / "server.log"

    # -- running commands --------------------------------------------------------------------

    def _command(self, name: str, *args: str) -> list[str]:
        # initdb and postgres refuse to run as root: run them as the postgres system user.
        command = [str(bindir() / name), *args]
        if _is_root():
            command = ["runuser", "-u", SUPERUSER, "--", *command]
        return command

    def _run(self, name: str, *args: str, timeout: float = 60) -> None:
        command = self._command(name, *args)
        try:
            result = subprocess.run(
                command,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
                stdin=subprocess.DEVNULL,
                cwd=self.root or "/",
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PostgresUnavailable(f"{' '.join(command)} failed: {exc}") from exc
        if result.returncode != 0:
            log = ""
            if self.root is not None and self.logfile.exists():
                log = self.logfile.read_text(errors="replace")[-3000:]
            raise PostgresUnavailable(
                f"{' '.join(command)} exited with {result.returncode}:\n"
                f"{result.stdout[-3000:]}{result.stderr[-3000:]}{log}"
            )

    # -- life cycle --------------------------------------------------------------------------

    def start(self) -> PostgresServer:
        """initdb a fresh cluster in a temporary directory and start it on a free port."""
        missing = missing_binaries()
        if missing:
            raise PostgresUnavailable(
                f"PostgreSQL {PG_VERSION} server binaries are missing in {bindir()}: "
                f"{', '.join(missing)}. {install_hint()}"
            )
        base = Path(tempfile.gettempdir())
        if _is_root() and not _reachable_by_others(base):
            base = Path("/tmp")
        self.root = Path(tempfile.mkdtemp(prefix="kompas-pg-", dir=base))
        atexit.register(self.stop)  # in case the session ends without running finalizers
        self.socketdir.mkdir()
        if _is_root():
            for path in (self.root, self.socketdir):
                shutil.chown(path, SUPERUSER, SUPERUSER)
        self._run(
            "initdb",
            "-D",
            str(self.datadir),
            "-U",
            SUPERUSER,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
            "--no-instructions",
        )
        # A port picked free may be taken before the server binds it: try a few.
        for attempt in range(5):
            self.port = _free_port()
            options = " ".join(
                (
                    "-c listen_addresses=127.0.0.1",
                    f"-c port={self.port}",
                    f"-c unix_socket_directories={self.socketdir}",
                    "-c fsync=off",
                    "-c synchronous_commit=off",
                    "-c full_page_writes=off",
                    "-c max_connections=200",
                )
            )
            try:
                self._run(
                    "pg_ctl",
                    "-D",
                    str(self.datadir),
                    "-l",
                    str(self.logfile),
                    "-o",
                    options,
                    "-w",
                    "-t",
                    "60",
                    "start",
                    timeout=90,
                )
            except PostgresUnavailable:
                if attempt == 4:
                    raise
                continue
            self._running = True
            return self
        raise AssertionError("unreachable")

    def stop(self) -> None:
        """Stop the server and remove its directory (safe to call twice)."""
        if self.root is None:
            return
        if self._running:
            with contextlib.suppress(PostgresUnavailable):
                self._run("pg_ctl", "-D", str(self.datadir), "-m", "immediate", "-w", "stop")
            self._running = False
        shutil.rmtree(self.root, ignore_errors=True)
        self.root = None

    def __enter__(self) -> PostgresServer:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    # -- databases ---------------------------------------------------------------------------

    def url(self, database: str = "postgres") -> str:
        """The SQLAlchemy URL of a database on this server."""
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str | None = None) -> str:
        """Create an empty database (a generated name when none is given); returns its name."""
        import psycopg

        self._databases += 1
        name = name or f"kompas_test_{self._databases}"
        if not _NAME.match(name):
            raise ValueError(f"not a plain database name: {name!r}")
        with psycopg.connect(
            host="127.0.0.1", port=self.port, user=SUPERUSER, dbname="postgres", autocommit=True
        ) as connection:
            connection.execute(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'")
        return name


@contextlib.contextmanager
def running_server() -> Iterator[PostgresServer]:
    """A started server, stopped afterwards; pytest.fail (never skip) when it cannot start."""
    server = PostgresServer()
    problem = ""
    try:
        server.start()
    except PostgresUnavailable as exc:
        server.stop()
        problem = str(exc)
    if problem:
        pytest.fail(f"PostgreSQL tests cannot run: {problem}", pytrace=False)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the whole test session."""
    with running_server() as server:
        yield server
