"""Kompas served the way production runs it, for the browser tests.

- `TLSServer`: `gunicorn --certfile/--keyfile "kompas.web:create_app()"` (2 workers) on a free
  loopback port, with a certificate for 127.0.0.1 from a throwaway CA (trustme), a real
  KOMPAS_SECRET_KEY (48 random characters), CSRF on, no development mode, on a fresh
  migrated PostgreSQL database of the suite's own server (tests/pgserver.py).
- `ProxiedServer`: the same app on plain HTTP behind `TLSProxy`, a small TLS-terminating
  reverse proxy on loopback that sets X-Forwarded-For/-Proto as nginx does, with
  KOMPAS_PROXIES=1 and KOMPAS_PUBLIC_URL set to the proxy's address.

Chromium trusts neither certificate store: contexts use `ignore_https_errors=True`. The
test's own HTTP clients trust the CA.
"""

from __future__ import annotations

import contextlib
import http.client
import secrets
import socket
import ssl
import threading
import time
import urllib.request
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

import kompas
from kompas.engine.model import Questionnaire
from kompas.store import dossier as dossier_store
from kompas.web import create_app
from kompas.web import db
from kompas.web.migrate import upgrade
from soak.common import LOOPBACK
from soak.common import ONE_ADDRESS_LIMITS
from soak.common import Gunicorn
from soak.common import server_env
from soak.common import shared_postgres
from tests.pgserver import PostgresUnavailable

HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-connection",
    "transfer-encoding",
    "te",
    "trailer",
    "upgrade",
}


def make_certificate(directory: Path) -> tuple[Path, Path, Path]:
    """A CA and a server certificate for 127.0.0.1; returns (ca.pem, cert.pem, key.pem)."""
    try:
        import trustme
    except ImportError:
        pytest.fail(
            "the TLS tests need 'trustme': run `make install` (or `.venv/bin/pip install -e "
            "'.[dev]'`).",
            pytrace=False,
        )
    ca = trustme.CA()
    leaf = ca.issue_cert(LOOPBACK, "localhost")
    paths = directory / "ca.pem", directory / "cert.pem", directory / "key.pem"
    ca.cert_pem.write_to_path(str(paths[0]))
    leaf.cert_chain_pems[0].write_to_path(str(paths[1]))
    leaf.private_key_pem.write_to_path(str(paths[2]))
    return paths


def postgres_database() -> str:
    """A fresh, migrated database on the suite's PostgreSQL server; its SQLAlchemy URL."""
    try:
        server = shared_postgres()
    except PostgresUnavailable as exc:
        pytest.fail(f"PostgreSQL tests cannot run: {exc}", pytrace=False)
    url = server.url(server.create_database())
    # `kompas db upgrade` before the deploy; TESTING only so this helper app skips checks.
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "x" * 48})
    upgrade(app)
    db.get_engine(app).dispose()
    return url


def reader_app(database_url: str) -> Flask:
    """An app on the same database for the test to read what the server stored."""
    return create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "r" * 48})


def _wait_https(url: str, ca: Path, server: Gunicorn, timeout: float = 60) -> None:
    """Wait until GET url answers 200 over TLS (trusting the CA); fail when gunicorn exits."""
    context = ssl.create_default_context(cafile=str(ca))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not server.alive():
            raise RuntimeError(f"{server.name} exited:\n{server.log_tail()}")
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(url, context=context, timeout=5) as response,
        ):
            if response.status == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"{server.name} did not answer over TLS:\n{server.log_tail()}")


@dataclass
class ProductionServer:
    """A production-like server: what the browser tests need of it."""

    app: Flask  # reads the server's database; never serves
    url: str
    ca: Path
    gunicorn: Gunicorn
    proxy: TLSProxy | None = None

    @property
    def questionnaire(self) -> Questionnaire:
        return self.app.extensions["kompas"]["questionnaire"]  # type: ignore[no-any-return]

    def stored(self, token: str) -> dict[str, Any]:
        """A dossier's saved answers, normalised by the engine."""
        with self.app.app_context():
            dossier = dossier_store.find_dossier(token)
            assert dossier is not None, "the dossier exists"
            raw = dossier_store.load_answers(dossier.id)
        return dict(kompas.check_answers(self.questionnaire, raw, strict=False).values)

    def log_tail(self) -> str:
        return self.gunicorn.log_tail()

    def stop(self) -> None:
        self.gunicorn.stop()
        if self.proxy is not None:
            self.proxy.stop()
        db.get_engine(self.app).dispose()


# The browser tests judge that a PDF arrives and what it says, not how fast: on a busy 2-core
# machine one report can outlast production's 20 s limit and gunicorn's 30 s worker timeout.
SLOW_MACHINE = {"KOMPAS_PDF_TIMEOUT": "120"}
WORKER_TIMEOUT = 180


def start_tls_server(directory: Path, extra: dict[str, str] | None = None) -> ProductionServer:
    """gunicorn with --certfile/--keyfile on a free port: https://127.0.0.1:PORT."""
    ca, cert, key = make_certificate(directory)
    url = postgres_database()
    env = server_env(
        url,
        secrets.token_urlsafe(48),
        extra={**ONE_ADDRESS_LIMITS, **SLOW_MACHINE, **(extra or {})},
    )
    env["KOMPAS_REPORT_CACHE"] = str(directory / "report-cache")
    gunicorn = Gunicorn(
        env,
        directory,
        workers=2,
        name="tls",
        timeout=WORKER_TIMEOUT,
        options=("--certfile", str(cert), "--keyfile", str(key)),
    )
    gunicorn.launch()
    base = f"https://{LOOPBACK}:{gunicorn.port}"
    try:
        _wait_https(base + "/", ca, gunicorn)
    except BaseException:
        gunicorn.stop()
        raise
    return ProductionServer(reader_app(url), base, ca, gunicorn)


def start_proxied_server(directory: Path) -> ProductionServer:
    """gunicorn on plain HTTP behind a TLS-terminating proxy, with KOMPAS_PROXIES=1."""
    ca, cert, key = make_certificate(directory)
    url = postgres_database()
    proxy = TLSProxy(cert, key)
    public = f"https://{LOOPBACK}:{proxy.port}"
    extra = {
        **ONE_ADDRESS_LIMITS,
        **SLOW_MACHINE,
        "KOMPAS_PROXIES": "1",
        "KOMPAS_PUBLIC_URL": public,
    }
    env = server_env(url, secrets.token_urlsafe(48), extra=extra)
    env.pop("KOMPAS_TRUSTED_HOSTS", None)  # the public address alone must do
    env["KOMPAS_REPORT_CACHE"] = str(directory / "report-cache")
    gunicorn = Gunicorn(env, directory, workers=2, name="proxied", timeout=WORKER_TIMEOUT)
    try:
        gunicorn.launch()
        proxy.start(gunicorn.port)
        _wait_https(public + "/", ca, gunicorn)
    except BaseException:
        gunicorn.stop()
        proxy.stop()
        raise
    return ProductionServer(reader_app(url), public, ca, gunicorn, proxy)


class TLSProxy:
    """A reverse proxy on loopback: TLS in front, plain HTTP to the app, forwarded headers."""

    def __init__(self, cert: Path, key: Path) -> None:
        self.backend = 0
        self.seen: list[dict[str, str]] = []  # the request headers browsers sent
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(str(cert), str(key))
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
                proxy.seen.append(dict(self.headers.items()))
                # What nginx sends with the configuration in docs/reliability.md.
                headers["X-Forwarded-For"] = self.client_address[0]
                headers["X-Forwarded-Proto"] = "https"
                upstream = http.client.HTTPConnection(LOOPBACK, proxy.backend, timeout=60)
                try:
                    upstream.request(self.command, self.path, body=body, headers=headers)
                    reply = upstream.getresponse()
                    data = reply.read()
                    self.send_response(reply.status, reply.reason)
                    for name, value in reply.getheaders():
                        if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                            self.send_header(name, value)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    if self.command != "HEAD":
                        self.wfile.write(data)
                finally:
                    upstream.close()

            do_GET = do_POST = do_HEAD = do_PUT = do_DELETE = _forward

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def get_request(self) -> tuple[socket.socket, Any]:
                sock, address = super().get_request()
                return context.wrap_socket(sock, server_side=True), address

        self.server = Server((LOOPBACK, 0), Handler)
        self.port = self.server.server_address[1]
        self.thread: threading.Thread | None = None

    def start(self, backend: int) -> None:
        """Forward to the app on the backend port, from a thread."""
        self.backend = backend
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        if self.thread is not None:
            self.server.shutdown()
            self.thread.join(timeout=10)
            self.thread = None
        self.server.server_close()
