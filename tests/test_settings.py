"""Every setting is checked at start-up (issue 22): a value that cannot work stops the app
with a message naming the variable, instead of a 500 on some page later."""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

import pytest
from flask import Flask

from kompas.web import ConfigError
from kompas.web import create_app
from kompas.web.migrate import upgrade

KEY = "k" * 48


@pytest.fixture(autouse=True)
def _no_kompas_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("KOMPAS_") or name == "FLASK_DEBUG":
            monkeypatch.delenv(name)


def production_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'k.sqlite3'}"
    upgrade(create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": KEY}))
    monkeypatch.setenv("KOMPAS_SECRET_KEY", KEY)
    monkeypatch.setenv("KOMPAS_DATABASE_URL", url)
    monkeypatch.setenv("KOMPAS_PUBLIC_URL", "https://kompas.example.nl")


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("KOMPAS_PDF_TIMEOUT", "abc"),
        ("KOMPAS_PDF_TIMEOUT", "0"),
        ("KOMPAS_PDF_TIMEOUT", "inf"),
        ("KOMPAS_PDF_TIMEOUT", "nan"),
        ("KOMPAS_PROXIES", "one"),
        ("KOMPAS_PROXIES", "-1"),
        ("KOMPAS_HSTS_MAX_AGE", "a year"),
        ("KOMPAS_LIMIT_DOSSIERS", "twenty a minute"),
        ("KOMPAS_LIMIT_PARTICIPANTS", "240 per fortnightish"),
        ("KOMPAS_LIMIT_PDF", "abc"),
        ("KOMPAS_LIMIT_VENDOR", "abc"),
        ("KOMPAS_RATELIMIT", "yes"),
        ("KOMPAS_RATELIMIT_STORAGE", "redis-server:6379"),
        ("KOMPAS_DEV", "true"),
        ("KOMPAS_DATABASE_URL", "not a url"),
    ],
)
def test_a_setting_that_cannot_work_stops_the_app_and_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, variable: str, value: str
) -> None:
    production_environment(monkeypatch, tmp_path)
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as refused:
        create_app()
    assert variable in str(refused.value)
    assert repr(value) in str(refused.value)


def test_good_settings_reach_the_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    production_environment(monkeypatch, tmp_path)
    monkeypatch.setenv("KOMPAS_PDF_TIMEOUT", "7.5")
    monkeypatch.setenv("KOMPAS_PROXIES", "1")
    monkeypatch.setenv("KOMPAS_LIMIT_PDF", "3 per minute")
    monkeypatch.setenv("KOMPAS_RATELIMIT", "0")
    app = create_app()
    assert app.config["KOMPAS_PDF_TIMEOUT"] == 7.5
    assert app.config["KOMPAS_PROXIES"] == 1
    assert app.config["KOMPAS_LIMIT_PDF"] == "3 per minute"
    assert app.config["RATELIMIT_ENABLED"] is False


def test_an_empty_variable_means_the_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    production_environment(monkeypatch, tmp_path)
    monkeypatch.setenv("KOMPAS_PDF_TIMEOUT", "")
    assert create_app().config["KOMPAS_PDF_TIMEOUT"] == 20.0


def test_instance_config_is_checked_too(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'k.sqlite3'}"
    with pytest.raises(ConfigError, match="KOMPAS_PDF_TIMEOUT"):
        create_app({"TESTING": True, "DATABASE_URL": url, "KOMPAS_PDF_TIMEOUT": "abc"})


def test_the_production_command_has_threads_and_is_the_documented_one() -> None:
    from click.testing import CliRunner

    from kompas.cli import main

    result = CliRunner().invoke(main, ["serve", "--production", "--dry-run"])
    assert result.exit_code == 0, result.output
    command = result.output.strip()
    assert "--threads 4" in command
    assert "--worker-connections" in command
    docs = (Path(__file__).resolve().parent.parent / "docs" / "reliability.md").read_text()
    assert command in docs.splitlines()


# -- the rate-limit store: a fallback is said, in the log and in the health check --------------


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _limited_app(tmp_path: Path, storage: str) -> Flask:
    url = f"sqlite:///{tmp_path / 'k.sqlite3'}"
    upgrade(create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": KEY}))
    return create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": KEY,
            "TRUSTED_HOSTS": ["localhost"],
            "RATELIMIT_STORAGE_URI": storage,
            "KOMPAS_LIMIT_DOSSIERS": "3 per minute",
        }
    )


def test_without_redis_the_fallback_is_logged_and_in_the_health_check(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    app = _limited_app(tmp_path, f"redis://127.0.0.1:{_free_port()}")
    client = app.test_client()
    with caplog.at_level(logging.WARNING, logger="kompas.web"):
        client.get("/nieuw")
        token = _csrf(client.get("/nieuw").get_data(as_text=True))
        replies = [
            client.post("/nieuw", data={"municipality": f"Zonder {i}", "csrf_token": token})
            for i in range(4)
        ]
    assert [r.status_code for r in replies] == [302, 302, 302, 429]
    warnings = [r.getMessage() for r in caplog.records if "rate-limit store" in r.getMessage()]
    assert len(warnings) == 1, warnings  # once, not on every request
    assert "per process" in warnings[0]
    health = client.get("/gezondheid")
    assert health.status_code == 200
    assert health.json is not None
    assert health.json["rate_limits"] == "fallback"
    assert health.json["status"] == "degraded"
    assert health.json["database"] == "ok"


def test_with_redis_the_health_check_says_shared(tmp_path: Path) -> None:
    from tests.redisserver import running_redis

    with running_redis() as server:
        health = _limited_app(tmp_path, server.url).test_client().get("/gezondheid")
    assert health.status_code == 200
    assert health.json == {
        "status": "ok",
        "database": "ok",
        "rate_limits": "shared",
        "note": "rate limits count in the shared store",
    }


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, html[:500]
    return match.group(1)
