"""The PDF cache: identical answers, data and dossier metadata give the same PDF, once.

Two levels: a small in-process LRU, and (for the web app) files in a folder such as
instance/report-cache/<key>.pdf, shared by every app process on the machine. The key is a
hash of the decision record without its timestamp, the dossier metadata shown in the
report, its date, the language and the report version (which includes a hash of the
templates, stylesheet and fonts, so a changed template never serves an old PDF).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kompas.engine.record import to_record
from kompas.engine.result import Advice
from kompas.version import __version__

MEMORY_ITEMS = 16
DISK_ITEMS = 500
TOO_LARGE_SECONDS = 600  # a report that hit the time limit is not tried again this long
HERE = Path(__file__).resolve().parent


@dataclass(slots=True)
class CacheStats:
    """How the PDFs were served since the process started (for tests and benchmarks)."""

    renders: int = 0
    memory_hits: int = 0
    disk_hits: int = 0


stats = CacheStats()
_memory: OrderedDict[str, bytes] = OrderedDict()
_rendering: dict[str, threading.Lock] = {}
_too_large: dict[str, float] = {}
_lock = threading.Lock()


@functools.cache
def report_version() -> str:
    """Kompas's version plus a hash of the report's templates and static files."""
    digest = hashlib.sha256()
    for folder in ("templates", "static"):
        for path in sorted((HERE / folder).rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(HERE).as_posix().encode())
                digest.update(path.read_bytes())
    for module in sorted(HERE.glob("*.py")):
        digest.update(module.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:12]}"


def advice_fingerprint(advice: Advice) -> str:
    """A hash of the decision record without its timestamp: same answers and data, same hash."""
    record = to_record(advice)
    record.pop("created", None)
    return _hash(record)


def report_key(fingerprint: str, meta: Any, language: str, stance: str = "neutraal") -> str:
    """The cache key of a report: the advice fingerprint plus everything else it shows."""
    digest = _hash(
        {
            "advice": fingerprint,
            "municipality": meta.municipality,
            "advisor": meta.advisor,
            "reference": meta.reference,
            "date": meta.date.isoformat() if meta.date else None,
            "language": language,
            "full": getattr(meta, "full", True),
            "stance": stance,  # the probable shortlist's assumption changes its words
            "report": report_version(),
        }
    )
    # The (non-secret) dossier reference leads, so a deleted dossier's reports can be found.
    return f"{meta.reference}-{digest}" if meta.reference else digest


def _hash(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def cached_pdf(key: str, render: Callable[[], bytes], directory: Path | None = None) -> bytes:
    """The PDF for a key: from memory, from the folder, or rendered and stored in both.

    Requests for the same key wait for one another (a double click renders once).
    """
    hit = _from_memory(key)
    if hit is not None:
        return hit
    with _lock:
        key_lock = _rendering.setdefault(key, threading.Lock())
    try:
        with key_lock:
            hit = _from_memory(key)
            return hit if hit is not None else _load_or_render(key, render, directory)
    finally:
        with _lock:
            _rendering.pop(key, None)


def _from_memory(key: str) -> bytes | None:
    with _lock:
        if key in _memory:
            _memory.move_to_end(key)
            stats.memory_hits += 1
            return _memory[key]
    return None


def _load_or_render(key: str, render: Callable[[], bytes], directory: Path | None) -> bytes:
    path = directory / f"{key}.pdf" if directory is not None else None
    data = None
    if path is not None and path.is_file():
        data = path.read_bytes()
        if data.startswith(b"%PDF"):
            stats.disk_hits += 1
        else:  # a damaged file: render again
            data = None
    if data is None:
        data = render()
        stats.renders += 1
        if path is not None:
            _store(path, data)
    _remember(key, data)
    return data


def _remember(key: str, data: bytes) -> None:
    with _lock:
        _memory[key] = data
        _memory.move_to_end(key)
        while len(_memory) > MEMORY_ITEMS:
            _memory.popitem(last=False)


def _store(path: Path, data: bytes) -> None:
    """Write atomically (another process may read the same key), then prune the oldest."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    files = sorted(path.parent.glob("*.pdf"), key=_mtime)
    for old in files[:-DISK_ITEMS]:
        old.unlink(missing_ok=True)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:  # removed by another process meanwhile
        return 0.0


def forget(reference: str, directory: Path | None = None) -> int:
    """Remove every cached report of one dossier (memory and folder); returns how many files."""
    prefix = f"{reference}-"
    with _lock:
        for key in [k for k in _memory if k.startswith(prefix)]:
            del _memory[key]
    removed = 0
    if directory is not None and directory.is_dir():
        for path in directory.glob(f"{prefix}*.pdf"):
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def remember_too_large(key: str) -> None:
    """Note that this report hit its time limit: for a while, refuse it without rendering."""
    with _lock:
        now = time.monotonic()
        for old in [k for k, until in _too_large.items() if until <= now]:
            del _too_large[old]
        _too_large[key] = now + TOO_LARGE_SECONDS


def recently_too_large(key: str) -> bool:
    """Whether this report hit its time limit a short while ago (in this process)."""
    with _lock:
        until = _too_large.get(key)
        return until is not None and until > time.monotonic()


def clear_memory() -> None:
    """Forget the in-process cache (tests and benchmarks)."""
    with _lock:
        _memory.clear()
        _too_large.clear()
