"""Reject posts whose text is not valid UTF-8 before any form reads them; close every
upload a post brought, also one whose body broke off."""

from __future__ import annotations

from typing import IO
from urllib.parse import unquote_to_bytes

from flask import Flask
from flask import Request
from flask import abort
from flask import request


class ClosingRequest(Request):
    """A request that closes every file its form parser opened, when the request ends.

    Werkzeug's Request.close() closes the files of a parsed form only. A multipart body that
    breaks off inside a file part (or stops at a size limit) is parsed silently to an empty
    form: the file already opened for that part is then closed only by the garbage collector,
    with a ResourceWarning, and on disk (parts over 500 KB) it holds a descriptor until then."""

    def _get_file_stream(
        self,
        total_content_length: int | None,
        content_type: str | None,
        filename: str | None = None,
        content_length: int | None = None,
    ) -> IO[bytes]:
        stream = super()._get_file_stream(
            total_content_length, content_type, filename, content_length
        )
        self.__dict__.setdefault("_opened_streams", []).append(stream)
        return stream

    def close(self) -> None:
        """Close the parsed form's files and every other file the parser opened."""
        try:
            super().close()
        finally:
            for stream in self.__dict__.pop("_opened_streams", ()):
                stream.close()


def init_app(app: Flask) -> None:
    """Check every POST body once, before the views (and the CSRF check) see it."""
    app.request_class = ClosingRequest
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
