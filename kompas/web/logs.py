"""Keep dossier and participant links out of every log line: whoever has one has the dossier."""

from __future__ import annotations

import logging
import re

# A token character, also percent-encoded: a path means the same with "%2D" for "-", and
# gunicorn's access log writes the path as the client sent it.
_CHAR = r"(?:[A-Za-z0-9_\-]|%[0-9A-Fa-f]{2})"
_LINK = re.compile(rf"/(d|w|leverancier)/{_CHAR}{{8,}}(/p/{_CHAR}{{8,}})?")


def redact(text: str) -> str:
    """The text with secret tokens in paths (dossier, workshop, vendor) replaced by '…'."""
    return _LINK.sub(lambda m: f"/{m.group(1)}/…" + ("/p/…" if m.group(2) else ""), text)


class RedactTokens(logging.Filter):
    """A logging filter that redacts tokens from the formatted message."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error", "kompas.web", "flask.app")


def init_app() -> None:
    """Install the filter on the loggers that can see request paths."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactTokens) for f in logger.filters):
            logger.addFilter(RedactTokens())
