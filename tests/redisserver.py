"""A throwaway Redis server for the test suite, started by the tests themselves.

Debian's `redis-server` runs in a temporary directory, listens on 127.0.0.1 only (on a free
port), keeps nothing on disk and is stopped afterwards, even when tests fail. When the binary
is missing the tests that need it fail (never skip) with a message that says how to install it.

    from tests.redisserver import running_redis

    with running_redis() as server:
        url = server.url  # redis://127.0.0.1:PORT
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

BINARY_ENV = "KOMPAS_TEST_REDIS"


class RedisUnavailable(RuntimeError):
    """The Redis server for the tests cannot be started."""


def binary() -> str | None:
    """The redis-server binary (KOMPAS_TEST_REDIS overrides), or None when there is none."""
    return os.environ.get(BINARY_ENV) or shutil.which("redis-server")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _answers(port: int) -> bool:
    """Whether a server on the port answers PING with PONG."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


class RedisServer:
    """One redis-server in a temporary directory; start() and stop() it, or use `with`."""

    def __init__(self) -> None:
        self.port = 0
        self.root: Path | None = None
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The storage URL for Flask-Limiter (KOMPAS_RATELIMIT_STORAGE)."""
        return f"redis://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30) -> RedisServer:
        """Start on a free loopback port and wait until it answers PING."""
        command = binary()
        if command is None:
            raise RedisUnavailable(
                "redis-server is missing: install it with `scripts/ensure-test-services` (as "
                "root; `make test` runs it) or `apt-get install redis-server`, or point "
                f"{BINARY_ENV} at a redis-server binary."
            )
        self.root = Path(tempfile.mkdtemp(prefix="kompas-redis-"))
        atexit.register(self.stop)
        # A port picked free may be taken before the server binds it: try a few.
        for _attempt in range(5):
            self.port = _free_port()
            log = (self.root / "server.log").open("ab")
            self.proc = subprocess.Popen(
                [
                    command,
                    "--bind",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                    "--dir",
                    str(self.root),
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--daemonize",
                    "no",
                ],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.root,
            )
            log.close()
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline and self.proc.poll() is None:
                if _answers(self.port):
                    return self
                time.sleep(0.05)
            self._end()
        raise RedisUnavailable(f"redis-server did not start:\n{self.log_tail()}")

    def log_tail(self) -> str:
        """The end of the server log."""
        if self.root is None:
            return ""
        try:
            return (self.root / "server.log").read_text(errors="replace")[-3000:]
        except OSError:
            return ""

    def _end(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.proc = None

    def stop(self) -> None:
        """Stop the server and remove its directory (safe to call twice)."""
        self._end()
        if self.root is not None:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None

    def __enter__(self) -> RedisServer:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *_exc: object) -> None:
        self.stop()


@contextlib.contextmanager
def running_redis() -> Iterator[RedisServer]:
    """A started server, stopped afterwards; pytest.fail (never skip) when it cannot start."""
    server = RedisServer()
    problem = ""
    try:
        server.start()
    except RedisUnavailable as exc:
        server.stop()
        problem = str(exc)
    if problem:
        pytest.fail(f"Redis tests cannot run: {problem}", pytrace=False)
    try:
        yield server
    finally:
        server.stop()
