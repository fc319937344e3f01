"""WSGI module for the web benchmark: Kompas's own app plus a hello-world endpoint.

Served by gunicorn as `bench.webapp:create_bench_app()` (run from the project root).
Configuration comes from the environment that bench/web.py sets: KOMPAS_DATABASE_URL
(a temporary SQLite file, migrated before the server starts) and KOMPAS_SECRET_KEY.
Not for production: CSRF protection is switched off (see below).
"""

from __future__ import annotations

from flask import Flask

from kompas.web import create_app

HELLO = "Hello, world!\n"


def create_bench_app() -> Flask:
    """create_app() as in production, plus `/_hello` on the same app (same server, same workers)."""
    # BENCHMARK ONLY: CSRF is disabled in this app so the load generator can POST a wizard
    # step without first fetching a form and a token. Production apps keep CSRF on.
    # test_config also keeps a local instance/config.py from changing what is measured.
    app = create_app({"WTF_CSRF_ENABLED": False})

    @app.get("/_hello")
    def hello() -> tuple[str, int, dict[str, str]]:
        return HELLO, 200, {"Content-Type": "text/plain; charset=utf-8"}

    return app
