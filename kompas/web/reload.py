"""A running server sees a changed catalogue without a restart (an accepted vendor fact).

Each request compares the data files' modification times with those at the last load (at
most once a second per process); when one changed, both files are loaded again. A file
that no longer reads keeps the loaded data and is logged, so a half-written edit never
takes the site down.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path

from flask import Flask

from kompas.errors import KompasError

CHECK_EVERY = 1.0  # seconds between two looks at the files
_lock = threading.Lock()
log = logging.getLogger("kompas.web")


def _files(app: Flask) -> tuple[Path, Path]:
    from kompas.engine.catalogue import DEFAULT_PLATFORMS
    from kompas.engine.questionnaire import DEFAULT_QUESTIONS

    return (
        Path(app.config.get("QUESTIONS_FILE") or DEFAULT_QUESTIONS),
        Path(app.config.get("PLATFORMS_FILE") or DEFAULT_PLATFORMS),
    )


def _stamps(paths: tuple[Path, ...]) -> tuple[int, ...]:
    stamps = []
    for path in paths:
        try:
            stamps.append(os.stat(path).st_mtime_ns)
        except OSError:
            stamps.append(0)
    return tuple(stamps)


def _same(path: Path, digest: str) -> bool:
    from kompas.engine.catalogue import content_hash

    try:
        return content_hash(path.read_bytes()) == digest
    except OSError:
        return True


def refresh(app: Flask) -> bool:
    """Reload the data files if they changed since the last load; True when reloaded."""
    state = app.extensions["kompas"]
    moment = time.monotonic()
    if moment - state.get("checked_at", 0.0) < CHECK_EVERY:
        return False
    state["checked_at"] = moment
    paths = _files(app)
    stamps = _stamps(paths)
    if "stamps" not in state:
        # The first look: the loaded catalogue is current if the file still holds its bytes.
        state["stamps"] = stamps if _same(paths[1], state["catalogue"].content_hash) else ()
    if stamps == state["stamps"]:
        return False
    with _lock:
        if stamps == state["stamps"]:
            return False
        from kompas import load

        try:
            questionnaire, catalogue = load(*(str(p) for p in paths))
        except KompasError as exc:
            log.error("data files changed but do not load; keeping the loaded ones: %s", exc)
            state["stamps"] = stamps
            return False
        state.update(questionnaire=questionnaire, catalogue=catalogue, stamps=stamps)
        log.info("data files changed on disk: loaded again")
        return True
