"""Reject posts whose text is not valid UTF-8 before any form reads them."""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from flask import Flask
from flask import abort
from flask import request


def init_app(app: Flask) -> None:
    """Check every POST body once, before the views (and the CSRF check) see it."""
    # First of all before-request functions: Flask-WTF's CSRF check parses the form, and a
    # form parsed from undecodable bytes would be what the views get.
    app.before_request_funcs.setdefault(None, []).insert(0, _check_post)


def _check_post() -> None:
    if request.method != "POST":
        return
    if request.is_json:
        abort(400)  # every form here is an HTML form; JSON bodies are not accepted
    if request.mimetype == "application/x-www-form-urlencoded":
        # Werkzeug silently drops or keeps undecodable bytes; a form built from that
        # would save 'no answer' over stored answers. Decode strictly ourselves.
        raw = request.get_data(cache=True)
        for pair in raw.split(b"&"):
            for piece in pair.split(b"=", 1):
                try:
                    unquote_to_bytes(piece.replace(b"+", b" ")).decode("utf-8")
                except UnicodeDecodeError:
                    abort(400)
    elif request.mimetype == "multipart/form-data" and any(
        # Werkzeug decodes multipart text with replacement characters: refuse those.
        "\ufffd" in value
        for _name, values in request.form.lists()
        for value in values
    ):
        abort(400)
    # NUL cannot be stored in PostgreSQL text and is never typed by a person.
    if any("\x00" in value for _name, values in request.form.lists() for value in values):
        abort(400)
