"""Secret links never reach gunicorn's access log in full (issue 22, end to end).

The server runs the command `kompas serve --production` runs (cli.production_command:
gunicorn with gthread workers, `kompas.web:create_app()`), plus `--access-logfile` as an
operator adds it, on a migrated SQLite file. Requests carry a dossier token, a vendor link
token and a workshop's link and personal tokens, in the path, in the Referer header and
percent-encoded; afterwards the access log must hold each request line but no token.
"""

from __future__ import annotations

import secrets
import sys
import time
import urllib.parse
from pathlib import Path

import pytest

from kompas.cli import PRODUCTION_THREADS
from kompas.cli import PRODUCTION_WORKERS
from kompas.cli import production_command
from kompas.store import dossier as dossier_store
from kompas.store import vendor as vendor_store
from kompas.store import workshop as workshop_store
from kompas.web import create_app
from kompas.web import db
from kompas.web.migrate import upgrade
from soak.common import LOOPBACK
from soak.common import Browser
from soak.common import Gunicorn
from soak.common import _supports_no_control_socket
from soak.common import server_env

pytestmark = pytest.mark.gunicorn


class ProductionGunicorn(Gunicorn):
    """gunicorn started with the production command line and an access log file."""

    def __init__(self, env: dict[str, str], tmp: Path, access_log: Path) -> None:
        super().__init__(env, tmp, workers=PRODUCTION_WORKERS, name="production")
        self.access_log = access_log

    def start(self, ready_timeout: float = 180) -> Gunicorn:
        """Start and wait; booting two workers can take a minute on a busy 2-core machine."""
        return super().start(ready_timeout)

    def command(self, bind: str) -> list[str]:
        """production_command, bound to `bind`, with the access log switched on."""
        cmd = production_command(LOOPBACK, 8000, PRODUCTION_WORKERS, PRODUCTION_THREADS)
        cmd[cmd.index("--bind") + 1] = bind
        extra = ["--access-logfile", str(self.access_log), "--worker-tmp-dir", str(self.tmp)]
        if _supports_no_control_socket():
            extra.append("--no-control-socket")
        return [sys.executable, "-m", *cmd[:-1], *extra, cmd[-1]]


def _secrets(url: str) -> dict[str, str]:
    """A dossier with a vendor link and a workshop with one participant: their tokens."""
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "m" * 48})
    upgrade(app)
    with app.app_context():
        token, dossier = dossier_store.create_dossier("Logdorp")
        platform = app.extensions["kompas"]["catalogue"].platforms[0].id
        vendor = vendor_store.create_link(platform, dossier_id=dossier.id)
        sections = [s.id for s in app.extensions["kompas"]["questionnaire"].sections]
        workshop = workshop_store.create_workshop(dossier.id, token, sections)
        link = workshop_store.link_token(token, workshop.link_salt)
        personal, _participant = workshop_store.add_participant(workshop.id, "Deelnemer")
    db.get_engine(app).dispose()
    return {"dossier": token, "vendor": vendor, "workshop": link, "participant": personal}


def _percent_encoded(token: str) -> str:
    """The token with its first character percent-encoded (a path means the same)."""
    return f"%{ord(token[0]):02X}{token[1:]}"


def test_the_access_log_holds_no_token(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'log.sqlite3'}"
    tokens = _secrets(url)
    dossier, vendor = tokens["dossier"], tokens["vendor"]
    workshop, participant = tokens["workshop"], tokens["participant"]
    unknown = secrets.token_urlsafe(32)  # a guessed link is someone's secret just as well
    paths = [
        f"/d/{dossier}/",
        f"/d/{dossier}/advies",
        f"/d/{dossier}/advies?alle=1",
        f"/d/{_percent_encoded(dossier)}/advies",
        f"/leverancier/{vendor}",
        f"/w/{workshop}/",
        f"/w/{workshop}/p/{participant}",
        f"/d/{unknown}/advies",
    ]
    access_log = tmp_path / "access.log"
    env = server_env(url, secrets.token_urlsafe(48))
    with ProductionGunicorn(env, tmp_path, access_log) as server:
        browser = Browser(server.port)
        statuses = [browser.get(path).status for path in paths]
        referer = f"http://{LOOPBACK}:{server.port}/w/{workshop}/p/{participant}"
        statuses.append(browser.request("GET", "/werkwijze", headers={"Referer": referer}).status)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and _lines(access_log) < len(statuses):
            time.sleep(0.1)  # the workers write their lines as they finish each request
    assert statuses[:3] == [200, 200, 200], statuses  # the links worked, so they were logged
    assert all(s in (200, 302, 303, 404) for s in statuses), statuses
    log = access_log.read_text(errors="replace")
    assert _lines(access_log) >= len(statuses), log  # every request has its line
    assert "/werkwijze" in log and "/leverancier/" in log and "/w/" in log, log
    for name, token in {**tokens, "unknown": unknown}.items():
        tail = token[1:]  # also catches the percent-encoded request and the Referer
        assert tail not in log, f"the {name} token is in the access log:\n{log}"
        assert urllib.parse.quote(token) not in log


def _lines(path: Path) -> int:
    try:
        return len(path.read_text(errors="replace").splitlines())
    except OSError:
        return 0
