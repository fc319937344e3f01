"""Architecture rules: a light engine, and no platform knowledge in Python code."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import kompas

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("flask", "wtforms", "sqlalchemy", "weasyprint", "jinja2", "alembic")


def test_engine_imports_no_web_pdf_or_database_code():
    """`import kompas.engine` (and `import kompas`) load only the standard library and PyYAML."""
    code = (
        "import sys, kompas.engine, kompas; "
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_no_platform_id_or_name_in_python_code(shipped):
    """All knowledge about platforms lives in platforms.yaml."""
    _q, c = shipped
    words = {p.id for p in c.platforms} | {p.name for p in c.platforms}
    # Short generic words would match ordinary code; real ids and names are longer.
    words = {w for w in words if len(w) >= 5}
    offenders = []
    for path in (ROOT / "kompas").rglob("*.py"):
        text = path.read_text()
        offenders += [f"{path.relative_to(ROOT)}: {w}" for w in words if w in text]
    assert offenders == []


def test_public_api_is_documented():
    """Every public name of kompas has a docstring."""
    missing = [
        name
        for name in kompas.__all__
        if not name.startswith("_") and not (getattr(kompas, name).__doc__ or "").strip()
    ]
    assert missing == []


def test_the_store_imports_no_web_code():
    """Every module of kompas.store loads without Flask: the command line uses it directly."""
    store = ROOT / "kompas" / "store"
    modules = sorted(f"kompas.store.{p.stem}" for p in store.glob("*.py") if p.stem != "__init__")
    assert {"kompas.store.dossier", "kompas.store.workshop"} <= set(modules)
    code = (
        f"import importlib, sys; [importlib.import_module(m) for m in {modules!r}]; "
        "print(','.join(m for m in ('flask', 'wtforms', 'jinja2', 'kompas.web') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_database_commands_run_without_flask(tmp_path: Path) -> None:
    """`kompas db upgrade`, a curator's and a round command open the database via kompas.store,
    in one interpreter that never loads Flask, WTForms, Jinja or kompas.web."""
    code = """
import sys
from kompas.cli import main
from kompas.store.base import open_configured
from kompas.store.dossier import create_dossier

def run(*args):
    main(list(args), standalone_mode=False)
    web = [m for m in ('flask', 'wtforms', 'jinja2', 'kompas.web') if m in sys.modules]
    print('after', args[0], args[1], 'loaded:', ','.join(web) or 'nothing of the web')

run('db', 'upgrade')
with open_configured():
    token, _dossier = create_dossier('Proefgemeente')
run('catalogue', 'review')
run('round', 'status', '--', token)  # a token may start with '-'
"""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOMPAS_")}
    env |= {"KOMPAS_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}", "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    lines = out.stdout.splitlines()
    assert any(line.startswith("database at revision 0") for line in lines), lines
    assert [line for line in lines if line.startswith("after")] == [
        "after db upgrade loaded: nothing of the web",
        "after catalogue review loaded: nothing of the web",
        "after round status loaded: nothing of the web",
    ]
