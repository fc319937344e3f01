"""A post never leaves a file open: whatever a multipart body holds, the files the form parser
opened for it are closed when the request ends, not later by the garbage collector.

An unclosed file is found by its ResourceWarning: the collector warns when it frees a file
that is still open. The tests collect right after the request, so a leak shows in the test
that made it (under `filterwarnings = error` a leak found later fails whichever test runs
then: the fuzz test once failed that way).
"""

from __future__ import annotations

import gc
import warnings

import pytest
from flask.testing import FlaskClient

BOUNDARY = "grens"
# Werkzeug keeps a file part in memory up to 500 KB and moves it to a temporary file beyond.
IN_MEMORY = 2_000
ON_DISK = 700_000


def _field(name: str, value: str) -> bytes:
    return (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
    )


def _file_part(size: int) -> bytes:
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="answers_file"; '
        'filename="antwoorden.yaml"\r\nContent-Type: application/yaml\r\n\r\n'
    )
    return head.encode() + b"doelen: burenhulp\n" * (size // 18)


def _resource_warnings(client: FlaskClient, path: str, body: bytes) -> tuple[int, list[str]]:
    """Post the body; the status and the ResourceWarnings the collector gives right after."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        response = client.post(
            path, data=body, content_type=f"multipart/form-data; boundary={BOUNDARY}"
        )
        status = response.status_code
        response.close()
        del response
        gc.collect()
    return status, [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]


@pytest.mark.parametrize("size", [IN_MEMORY, ON_DISK], ids=["in-memory", "on-disk"])
@pytest.mark.parametrize("path", ["/importeren", "/nieuw"])
def test_a_body_that_breaks_off_inside_a_file_leaves_no_file_open(
    client: FlaskClient, path: str, size: int
) -> None:
    """The body ends inside the file part (no closing boundary): the form is refused, and
    the file opened for the part is closed with the request."""
    body = _field("municipality", "Afgebrokendorp") + _file_part(size)
    status, leaks = _resource_warnings(client, path, body)
    assert status == 400, status
    assert not leaks, leaks


@pytest.mark.parametrize("size", [IN_MEMORY, ON_DISK], ids=["in-memory", "on-disk"])
def test_a_whole_upload_that_is_refused_leaves_no_file_open(client: FlaskClient, size: int) -> None:
    """A complete upload without a municipality: refused, its file closed with the request."""
    body = _file_part(size) + f"\r\n--{BOUNDARY}--\r\n".encode()
    status, leaks = _resource_warnings(client, "/importeren", body)
    assert status == 400, status
    assert not leaks, leaks
