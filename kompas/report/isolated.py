"""Render a report's HTML to PDF in a child process that is killed after a time limit.

WeasyPrint's cost grows faster than the text it lays out (a long CJK answer without spaces
takes minutes), and a web worker busy with it answers no one else. In a child process the
work can be stopped for certain: the child is killed when the limit passes, the worker
moves on and its memory is returned.

Children come from a fork server that has WeasyPrint loaded already, so starting one costs
milliseconds, and the worker's threads and database connections are never forked.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from multiprocessing.connection import Connection
from typing import Any

from kompas.errors import KompasError
from kompas.numbers import compact

_context: Any = None
_context_lock = threading.Lock()


class RenderTimeout(KompasError):
    """The PDF took longer than its time limit to render; the child was stopped."""


class RenderFailed(KompasError):
    """The child process could not render the PDF (an error, or it died)."""


def _start_context() -> Any:
    global _context
    with _context_lock:
        if _context is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["kompas.report.pdf"])
            _context = context
        return _context


def _child(html: str, send: Connection) -> None:
    """In the child: render and send back ("ok", pdf) or ("error", text)."""
    try:
        # Lower priority: the worker's other requests (cheap pages) get the CPU first.
        os.nice(10)
        from kompas.report.pdf import html_to_pdf

        send.send(("ok", html_to_pdf(html)))
    except Exception as exc:  # any WeasyPrint error goes back to the parent as text
        send.send(("error", f"{type(exc).__name__}: {exc}"[:1000]))
    finally:
        send.close()


def html_to_pdf_within(html: str, seconds: float) -> bytes:
    """The PDF for report HTML, rendered in a child; RenderTimeout after `seconds`."""
    context = _start_context()
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(html, send), name="kompas-pdf")
    started = time.monotonic()
    process.start()
    send.close()  # the child holds the sending end; EOF here means the child is gone
    try:
        # The child's start (a fork of the server) counts towards the limit too.
        remaining = max(0.0, seconds - (time.monotonic() - started))
        if not receive.poll(remaining):
            raise RenderTimeout(f"the PDF took longer than {compact(seconds)} s to render")
        try:
            kind, payload = receive.recv()
        except EOFError:
            raise RenderFailed(f"the PDF process ended (exit code {process.exitcode})") from None
    finally:
        if process.is_alive():
            process.kill()
        process.join(5)
        receive.close()
    if kind != "ok":
        raise RenderFailed(payload)
    return payload  # type: ignore[no-any-return]
