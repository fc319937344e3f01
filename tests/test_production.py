"""Safe production defaults that cannot be bypassed (issue 11, points 1, 6, 7 and 8).

Apps here are built as production builds them (no TESTING, no KOMPAS_DEV) unless a test says
otherwise; the database is a SQLite file migrated first, as `kompas db upgrade` does before
a deploy. The shared rate-limit store is a Redis server the tests start (tests/redisserver.py).
Question ids come from the loaded questionnaire; no platform is named here.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask

from kompas.web import ConfigError
from kompas.web import create_app
from kompas.web.migrate import current_revision
from kompas.web.migrate import head_revision
from kompas.web.migrate import upgrade
from tests.redisserver import running_redis

ROOT = Path(__file__).resolve().parent.parent
KEY = "k" * 48
HOSTS = ["localhost", "127.0.0.1"]  # the test client's host, and loopback


@pytest.fixture(autouse=True)
def _no_kompas_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("KOMPAS_") or name == "FLASK_DEBUG":
            monkeypatch.delenv(name)


def migrated(tmp_path: Path, name: str = "k.sqlite3") -> str:
    """A SQLite database at the newest schema; its URL."""
    url = f"sqlite:///{tmp_path / name}"
    upgrade(create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": KEY}))
    return url


def production(url: str, **config: Any) -> Flask:
    """An app configured as production configures it (CSRF off only where it is not the point)."""
    return create_app({"DATABASE_URL": url, "SECRET_KEY": KEY, **config})


def new_dossier(app: Flask, **request: Any) -> str:
    client = app.test_client()
    reply = client.post("/nieuw", data={"municipality": "Linkdorp"}, **request)
    assert reply.status_code in (302, 303), reply.data[:500]
    match = re.search(r"/d/([A-Za-z0-9_-]+)/", reply.headers["Location"])
    assert match, reply.headers["Location"]
    return match.group(1)


# -- 6. secret keys ---------------------------------------------------------------------------


def _python(code: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("KOMPAS_", "FLASK_"))}
    base["KOMPAS_DATABASE_URL"] = f"sqlite:///{tmp_path / 'never-used.sqlite3'}"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=base | env,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        check=False,
    )


@pytest.mark.parametrize("flag", [{"FLASK_DEBUG": "1"}, {"FLASK_DEBUG": "true"}])
def test_flask_debug_does_not_start_production_without_a_secret_key(
    tmp_path: Path, flag: dict[str, str]
) -> None:
    result = _python("from kompas.web import create_app; create_app()", tmp_path, **flag)
    assert result.returncode == 1, result.stderr[-2000:]
    assert "refuses to start without a secret key" in result.stderr.splitlines()[-1]


def test_a_debug_config_is_no_development_mode(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="without a secret key"):
        create_app({"DEBUG": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'k.db'}"})


@pytest.mark.parametrize("key", ["", "   ", "\t\n"])
def test_blank_secret_keys_are_refused(tmp_path: Path, key: str) -> None:
    result = _python(
        "from kompas.web import create_app; create_app()", tmp_path, KOMPAS_SECRET_KEY=key
    )
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert "refuses to start without a secret key" in last and "KOMPAS_SECRET_KEY" in last, last


@pytest.mark.parametrize("length", [1, 16, 31])
def test_short_secret_keys_are_refused_with_a_clear_message(tmp_path: Path, length: int) -> None:
    with pytest.raises(ConfigError) as refused:
        production(migrated(tmp_path), SECRET_KEY="s" * length, TRUSTED_HOSTS=HOSTS)
    message = str(refused.value)
    assert f"KOMPAS_SECRET_KEY has {length} characters, at least 32" in message
    assert "token_urlsafe" in message


def test_a_key_of_32_characters_starts(tmp_path: Path) -> None:
    app = production(migrated(tmp_path), SECRET_KEY="s" * 32, TRUSTED_HOSTS=HOSTS)
    assert app.test_client().get("/").status_code == 200


# -- 6. links from the configured address --------------------------------------------------------


def test_production_without_a_public_address_refuses_to_start(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="KOMPAS_PUBLIC_URL"):
        production(migrated(tmp_path))


@pytest.mark.parametrize(
    "url", ["kompas.example.nl", "ftp://kompas.example.nl", "https://x.nl/pad", "https://x.nl/?a"]
)
def test_a_public_url_that_is_not_scheme_and_host_is_refused(tmp_path: Path, url: str) -> None:
    with pytest.raises(ConfigError, match="scheme and host"):
        production(migrated(tmp_path), KOMPAS_PUBLIC_URL=url)


def test_links_and_qr_code_use_the_public_url_not_the_host_header(tmp_path: Path) -> None:
    """A forged Host header changes neither the dossier link nor the workshop link."""
    app = production(
        migrated(tmp_path), KOMPAS_PUBLIC_URL="https://kompas.example.nl/", WTF_CSRF_ENABLED=False
    )
    evil = {"base_url": "https://evil.example"}
    token = new_dossier(app, **evil)
    client = app.test_client()
    page = BeautifulSoup(client.get(f"/d/{token}/", **evil).data, "html.parser")
    assert page.select_one("#dossierlink").get_text(strip=True) == (
        f"https://kompas.example.nl/d/{token}/"
    )
    form = BeautifulSoup(client.get(f"/d/{token}/werksessie", **evil).data, "html.parser")
    chosen = [i["value"] for i in form.select("input[name=onderdelen][checked]")]
    started = client.post(f"/d/{token}/werksessie/starten", data={"onderdelen": chosen}, **evil)
    assert started.status_code in (302, 303)
    facilitator = client.get(f"/d/{token}/werksessie", **evil).data.decode()
    link = BeautifulSoup(facilitator, "html.parser").select_one("#deelnemerslink")
    assert link.get_text(strip=True).startswith("https://kompas.example.nl/w/")
    assert "evil.example" not in facilitator  # nor in the QR code's caption or anywhere


def test_links_use_server_name_not_the_host_header(tmp_path: Path) -> None:
    app = production(migrated(tmp_path), SERVER_NAME="kompas.example.nl", WTF_CSRF_ENABLED=False)
    token = new_dossier(app, base_url="https://kompas.example.nl")
    page = app.test_client().get(f"/d/{token}/", base_url="https://evil.example")
    link = BeautifulSoup(page.data, "html.parser").select_one("#dossierlink")
    assert link is not None, page.status_code
    assert link.get_text(strip=True) == f"https://kompas.example.nl/d/{token}/"


def test_with_trusted_hosts_another_host_is_refused(tmp_path: Path) -> None:
    app = production(migrated(tmp_path), TRUSTED_HOSTS=["kompas.example.nl"])
    client = app.test_client()
    assert client.get("/", base_url="https://kompas.example.nl").status_code == 200
    assert client.get("/", base_url="https://evil.example").status_code == 400


def test_development_without_configuration_uses_the_request_host(tmp_path: Path) -> None:
    app = create_app(
        {"KOMPAS_DEV": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'dev.sqlite3'}"}
        | {"WTF_CSRF_ENABLED": False}
    )
    token = new_dossier(app, base_url="http://127.0.0.1:5000")
    page = app.test_client().get(f"/d/{token}/", base_url="http://127.0.0.1:5000")
    link = BeautifulSoup(page.data, "html.parser").select_one("#dossierlink")
    assert link.get_text(strip=True) == f"http://127.0.0.1:5000/d/{token}/"


# -- 1. HSTS and forwarded headers --------------------------------------------------------------


def test_hsts_on_https_only_with_the_configured_max_age(tmp_path: Path) -> None:
    url = migrated(tmp_path)
    app = production(url, TRUSTED_HOSTS=HOSTS)
    client = app.test_client()
    secure = client.get("/", base_url="https://127.0.0.1")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert "Strict-Transport-Security" not in client.get("/", base_url="http://127.0.0.1").headers
    short = production(url, TRUSTED_HOSTS=HOSTS, KOMPAS_HSTS_MAX_AGE=600).test_client()
    assert short.get("/", base_url="https://127.0.0.1").headers["Strict-Transport-Security"] == (
        "max-age=600"
    )
    off = production(url, TRUSTED_HOSTS=HOSTS, KOMPAS_HSTS_MAX_AGE=0).test_client()
    assert "Strict-Transport-Security" not in off.get("/", base_url="https://127.0.0.1").headers


def test_hsts_max_age_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOMPAS_HSTS_MAX_AGE", "86400")
    app = production(migrated(tmp_path), TRUSTED_HOSTS=HOSTS)
    reply = app.test_client().get("/", base_url="https://127.0.0.1")
    assert reply.headers["Strict-Transport-Security"] == "max-age=86400"


@pytest.mark.parametrize("value", ["een jaar", "-1", "1.5"])
def test_a_bad_hsts_max_age_is_refused(tmp_path: Path, value: str) -> None:
    with pytest.raises(ConfigError, match="KOMPAS_HSTS_MAX_AGE"):
        production(migrated(tmp_path), TRUSTED_HOSTS=HOSTS, KOMPAS_HSTS_MAX_AGE=value)


def test_x_forwarded_proto_counts_only_with_kompas_proxies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = migrated(tmp_path)
    forwarded = {"X-Forwarded-Proto": "https"}
    direct = production(url, TRUSTED_HOSTS=HOSTS).test_client()
    assert "Strict-Transport-Security" not in direct.get("/", headers=forwarded).headers
    monkeypatch.setenv("KOMPAS_PROXIES", "1")
    proxied = production(url, TRUSTED_HOSTS=HOSTS).test_client()
    assert proxied.get("/", headers=forwarded).headers["Strict-Transport-Security"]


# -- 6. no-store on dossier data; the 404 language link ---------------------------------------


@pytest.mark.pdf
def test_every_download_and_dossier_page_is_no_store(tmp_path: Path) -> None:
    app = production(migrated(tmp_path), TRUSTED_HOSTS=HOSTS, WTF_CSRF_ENABLED=False)
    token = new_dossier(app)
    client = app.test_client()
    paths = [
        f"/d/{token}/",
        f"/d/{token}/overzicht",
        f"/d/{token}/advies",
        f"/d/{token}/antwoorden.yaml",
        f"/d/{token}/advies.json",
        f"/d/{token}/advies.csv",
        f"/d/{token}/advies.pdf",
    ]
    for path in paths:
        reply = client.get(path)
        assert reply.status_code == 200, path
        assert reply.headers["Cache-Control"] == "no-store", path


@pytest.mark.parametrize("path", ["/\\evil.example/x", "//evil.example/x", "/\\\\evil/x"])
def test_the_language_link_on_a_404_is_a_path_on_this_site(tmp_path: Path, path: str) -> None:
    """The decoded path as the server sees it (what `/%5Cevil.example/x` becomes)."""
    app = production(migrated(tmp_path), TRUSTED_HOSTS=HOSTS)
    reply = app.test_client().get("/", environ_overrides={"PATH_INFO": path})
    assert reply.status_code == 404
    links = BeautifulSoup(reply.data, "html.parser").select("a[hreflang]")
    assert links
    for link in links:
        href = link["href"]
        assert href.startswith("/") and not href.startswith("//") and "\\" not in href, href


# -- 7. an unmigrated database ---------------------------------------------------------------


def test_production_refuses_an_unmigrated_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    with pytest.raises(ConfigError, match=r"not migrated.*kompas db upgrade"):
        production(url, TRUSTED_HOSTS=HOSTS)


def test_production_refuses_a_database_behind_the_newest_migration(tmp_path: Path) -> None:
    from kompas.web.migrate import downgrade

    url = migrated(tmp_path)
    helper = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": KEY})
    downgrade(helper, "-1")
    with pytest.raises(ConfigError, match="kompas db upgrade"):
        production(url, TRUSTED_HOSTS=HOSTS)


def test_development_upgrades_an_unmigrated_database_itself(tmp_path: Path) -> None:
    app = create_app({"KOMPAS_DEV": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'n.db'}"})
    assert current_revision(app) == head_revision()
    assert app.test_client().get("/nieuw").status_code == 200


def test_kompas_db_upgrade_runs_without_the_public_address(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'deploy.sqlite3'}"
    env = {"KOMPAS_ENV": "production", "KOMPAS_SECRET_KEY": KEY, "KOMPAS_DATABASE_URL": url}
    base = {k: v for k, v in os.environ.items() if not k.startswith("KOMPAS_")}
    result = subprocess.run(
        [str(Path(sys.executable).parent / "kompas"), "db", "upgrade"],
        cwd=ROOT,
        env=base | env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert f"database at revision {head_revision()}" in result.stdout


# -- 8. one rate limit across app servers ------------------------------------------------------


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    with running_redis() as server:
        yield server.url


def _limited(url: str, storage: str) -> Flask:
    return production(
        url,
        TRUSTED_HOSTS=HOSTS,
        WTF_CSRF_ENABLED=False,
        RATELIMIT_STORAGE_URI=storage,
        KOMPAS_LIMIT_DOSSIERS="3 per minute",
    )


def test_two_app_servers_share_one_limit_in_redis(tmp_path: Path, redis_url: str) -> None:
    """Three new dossiers a minute per address: the fourth is refused, whichever server gets it."""
    url = migrated(tmp_path)
    a = _limited(url, redis_url).test_client()
    b = _limited(url, redis_url).test_client()
    replies = [
        client.post("/nieuw", data={"municipality": f"Gedeeld {i}"})
        for i, client in enumerate((a, b, a, b))
    ]
    assert [r.status_code for r in replies[:3]] == [302, 302, 302]
    assert replies[3].status_code == 429
    assert "Even rustig aan" in replies[3].data.decode()


def test_in_memory_limits_are_per_server(tmp_path: Path) -> None:
    """Why Redis is needed: with memory:// each server counts alone."""
    url = migrated(tmp_path)
    a = _limited(url, "memory://").test_client()
    b = _limited(url, "memory://").test_client()
    replies = [
        client.post("/nieuw", data={"municipality": f"Apart {i}"})
        for i, client in enumerate((a, b, a, b))
    ]
    assert [r.status_code for r in replies] == [302, 302, 302, 302]


def test_the_redis_store_from_the_environment(
    tmp_path: Path, redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KOMPAS_RATELIMIT_STORAGE", redis_url)
    monkeypatch.setenv("KOMPAS_LIMIT_DOSSIERS", "1 per minute")
    url = migrated(tmp_path)
    apps = [production(url, TRUSTED_HOSTS=HOSTS, WTF_CSRF_ENABLED=False) for _ in range(2)]
    assert apps[0].config["RATELIMIT_STORAGE_URI"] == redis_url
    # A fresh Redis key space per test: another address than the test above.
    headers = {"X-Forwarded-For": "192.0.2.7"}
    monkeypatch.setenv("KOMPAS_PROXIES", "1")
    apps = [production(url, TRUSTED_HOSTS=HOSTS, WTF_CSRF_ENABLED=False) for _ in range(2)]
    first = apps[0].test_client().post("/nieuw", data={"municipality": "Een"}, headers=headers)
    second = apps[1].test_client().post("/nieuw", data={"municipality": "Twee"}, headers=headers)
    assert (first.status_code, second.status_code) == (302, 429)


def test_without_redis_forms_still_work_and_limits_count_in_memory(tmp_path: Path) -> None:
    """Redis down (nothing listens on the port): no 500, the limit holds per process."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = _limited(migrated(tmp_path), f"redis://127.0.0.1:{port}").test_client()
    replies = [client.post("/nieuw", data={"municipality": f"Zonder {i}"}) for i in range(4)]
    assert [r.status_code for r in replies] == [302, 302, 302, 429]
