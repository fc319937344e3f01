"""One database for the web app and every command (kompas.store.config), and migrations that
upgrade a database made by any earlier layout (kompas.store.migrate)."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask

from kompas.cli import main
from kompas.errors import KompasError
from kompas.store import config as store_config
from kompas.store import migrate
from kompas.store.base import Unmigrated
from kompas.store.base import make_engine
from kompas.store.base import open_configured
from kompas.store.base import using
from kompas.store.dossier import create_dossier
from kompas.store.dossier import find_dossier
from kompas.store.dossier import load_answers

OLD_LAYOUT = Path(__file__).parent / "data" / "database-0004-old-layout.sql"
OLD_TOKEN = "oude-laag-token"  # the dossier the dump holds (only its hash is stored)


@pytest.fixture
def instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty instance folder in tmp_path in place of the checkout's, no KOMPAS_ variables."""
    for name in list(os.environ):
        if name.startswith("KOMPAS_") or name == "FLASK_DEBUG":
            monkeypatch.delenv(name)
    folder = tmp_path / "instance"
    monkeypatch.setattr(store_config, "instance_dir", lambda: folder)
    yield folder


def _app(monkeypatch: pytest.MonkeyPatch) -> Flask:
    """The app as `kompas serve` builds it: no test config, so config.py is read."""
    from kompas.web import create_app

    monkeypatch.setenv("KOMPAS_DEV", "1")
    return create_app()


def _cli(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_the_database_url_in_config_py_is_what_db_upgrade_and_the_app_use(
    instance: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kompas.web.db import get_engine

    chosen = tmp_path / "elders.sqlite3"
    instance.mkdir()
    (instance / "config.py").write_text(f"DATABASE_URL = {f'sqlite:///{chosen}'!r}\n")

    assert f"database at revision {migrate.head_revision()}" in _cli("db", "upgrade")
    assert chosen.exists() and not (instance / "kompas.sqlite3").exists()

    app = _app(monkeypatch)
    assert app.config["DATABASE_URL"] == f"sqlite:///{chosen}"
    with using(get_engine(app)):
        token, _made = create_dossier("Via de app")
    # A command finds the dossier the app stored: both opened the same file ("--": a token
    # may start with "-").
    assert "geen verificatieronde" in _cli("round", "status", "--", token)
    with open_configured() as engine:
        assert engine.url.database == str(chosen)
        assert find_dossier(token) is not None


def test_the_variable_wins_over_config_py_for_the_app_and_the_commands(
    instance: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    instance.mkdir()
    (instance / "config.py").write_text(f"DATABASE_URL = 'sqlite:///{tmp_path / 'file.db'}'\n")
    variable = f"sqlite:///{tmp_path / 'variable.db'}"
    monkeypatch.setenv("KOMPAS_DATABASE_URL", variable)

    _cli("db", "upgrade")
    assert (tmp_path / "variable.db").exists() and not (tmp_path / "file.db").exists()
    assert _app(monkeypatch).config["DATABASE_URL"] == variable


def test_without_configuration_both_use_the_instance_sqlite_file(
    instance: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _cli("db", "upgrade")  # makes the instance folder too
    assert (instance / "kompas.sqlite3").exists()
    assert _app(monkeypatch).config["DATABASE_URL"] == f"sqlite:///{instance / 'kompas.sqlite3'}"


def test_config_py_is_read_as_flask_reads_it(instance: Path) -> None:
    """Upper-case names only; no file is no error; a file that fails to run is one."""
    assert store_config.instance_config() == {}
    instance.mkdir()
    (instance / "config.py").write_text("import os\nSERVER_NAME = 'a.example'\nlower = 1\n")
    assert store_config.instance_config() == {"SERVER_NAME": "a.example"}
    (instance / "config.py").write_text("DATABASE_URL = \n")
    with pytest.raises(SyntaxError):
        store_config.database_url()


def test_an_unreadable_database_url_is_a_clean_command_error(
    instance: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KOMPAS_DATABASE_URL", "no url at all")
    result = CliRunner().invoke(main, ["db", "upgrade"])
    assert result.exit_code == 1
    assert "KOMPAS_DATABASE_URL" in result.output and "Traceback" not in result.output
    with pytest.raises(KompasError):
        store_config.checked_url("no url at all")


def test_a_database_made_by_the_old_layout_upgrades_and_keeps_its_dossier(tmp_path: Path) -> None:
    """The dump was written by kompas.web.migrate (before the migrations moved to kompas.store)
    at revision 0004, with one dossier: the same ids, so the upgrade starts where it stood."""
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as made:
        made.executescript(OLD_LAYOUT.read_text())
    engine = make_engine(f"sqlite:///{path}")
    try:
        assert migrate.current_revision(engine) == "0004"
        with pytest.raises(Unmigrated):
            migrate.check_schema(engine)
        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == migrate.head_revision()
        migrate.check_schema(engine)
        with using(engine):
            dossier = find_dossier(OLD_TOKEN)
            assert dossier is not None and dossier.municipality == "Oudlaag"
            assert load_answers(dossier.id) == {"inwoners": 12000}
        migrate.downgrade(engine, "0004")  # and back, as the old layout could
        assert migrate.current_revision(engine) == "0004"
    finally:
        engine.dispose()


# -- the data files: the same order as the database --------------------------------------------


def _accept_in_a_subprocess(instance: Path, *args: str) -> str:
    """`kompas catalogue accept` as a shell runs it, in a fresh process over this instance."""
    import subprocess
    import sys

    code = (
        "import sys; from pathlib import Path; from kompas.store import config\n"
        "config.instance_dir = lambda: Path(sys.argv[1])\n"
        "from kompas.cli import main; main(['catalogue', 'accept', *sys.argv[2:]])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(instance), *args],
        capture_output=True,
        text=True,
        env=os.environ | {"KOMPAS_LANG": "nl"},
        check=False,
    )
    assert out.returncode == 0, out.stderr
    return out.stdout


def _submitted(app: Flask) -> tuple[str, str, str]:
    """A vendor's answer sent through the app: (submission id, platform, fact)."""
    import re

    from tests.test_vendor_forged import answer
    from tests.test_vendor_forged import first
    from tests.test_vendor_forged import platform_with_cost
    from tests.test_vendor_forged import send

    platform_id, items = platform_with_cost(app)
    choice = first(items, "choice", "bool")
    value = choice.options[0][0] if choice.options else "true"
    link = _cli("catalogue", "link", platform_id, "--curator", "C")
    path = "/leverancier/" + link.strip().rsplit("/leverancier/", 1)[1]
    assert send(app.test_client(), path, answer(choice, value)).status_code == 200
    sid = re.search(r"(\d+): " + platform_id, _cli("catalogue", "review"))
    assert sid is not None
    return sid.group(1), platform_id, choice.fact_id


def _catalogue_copy(path: Path) -> Path:
    from kompas.engine.catalogue import DEFAULT_PLATFORMS

    path.write_bytes(DEFAULT_PLATFORMS.read_bytes())
    return path


def test_accept_writes_the_catalogue_in_config_py_and_the_app_serves_it(
    instance: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    import kompas
    from kompas.engine.catalogue import DEFAULT_PLATFORMS

    chosen = _catalogue_copy(tmp_path / "gekozen.yaml")
    instance.mkdir()
    (instance / "config.py").write_text(f"PLATFORMS_FILE = {str(chosen)!r}\n")
    monkeypatch.setenv("KOMPAS_ENV", "development")
    _cli("db", "upgrade")
    app = _app(monkeypatch)
    assert app.config["PLATFORMS_FILE"] == str(chosen)
    sid, platform_id, fact_id = _submitted(app)
    packaged = DEFAULT_PLATFORMS.read_bytes()
    time.sleep(1.1)  # the server looks at its files at most once a second

    said = _accept_in_a_subprocess(instance, sid, fact_id, "--curator", "E")
    assert str(chosen) in said
    assert DEFAULT_PLATFORMS.read_bytes() == packaged
    assert kompas.load(None, chosen)[1].platform(platform_id).fact(fact_id).known
    # The app built from the same instance serves the accepted fact, without a restart.
    page = app.test_client().get(f"/platforms/{platform_id}")
    assert page.status_code == 200 and f"inzending {sid}" in page.get_data(as_text=True)
    catalogue = app.extensions["kompas"]["catalogue"]
    assert catalogue.platform(platform_id).fact(fact_id).evidence == "leverancier"


def test_the_variable_wins_over_config_py_for_the_data_files(
    instance: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kompas
    from kompas.engine.catalogue import DEFAULT_PLATFORMS

    in_file = _catalogue_copy(tmp_path / "config.yaml")
    variable = _catalogue_copy(tmp_path / "variable.yaml")
    instance.mkdir()
    (instance / "config.py").write_text(
        f"PLATFORMS_FILE = {str(in_file)!r}\nQUESTIONS_FILE = 'nergens.yaml'\n"
    )
    monkeypatch.setenv("KOMPAS_PLATFORMS", str(variable))
    monkeypatch.setenv("KOMPAS_ENV", "development")
    _cli("db", "upgrade")
    monkeypatch.setenv("KOMPAS_QUESTIONS", str(store_config.data_file(store_config.QUESTIONS, {})))
    app = _app(monkeypatch)
    assert app.config["PLATFORMS_FILE"] == str(variable)
    sid, platform_id, fact_id = _submitted(app)

    assert str(variable) in _accept_in_a_subprocess(instance, sid, fact_id, "--curator", "E")
    assert kompas.load(None, variable)[1].platform(platform_id).fact(fact_id).known
    assert in_file.read_bytes() == DEFAULT_PLATFORMS.read_bytes()  # config.py's: untouched


def test_every_command_reads_the_data_files_config_py_names(instance: Path, tmp_path: Path) -> None:
    missing = tmp_path / "nergens-vragen.yaml"
    instance.mkdir()
    (instance / "config.py").write_text(f"QUESTIONS_FILE = {str(missing)!r}\n")
    for args in (["validate"], ["template"], ["platforms"], ["round", "status", "x"]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code != 0 and "nergens-vragen.yaml" in result.output, args
    assert "ok:" in _cli(
        "validate", "--questions", str(store_config.data_file(store_config.QUESTIONS, {}))
    )
