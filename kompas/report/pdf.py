"""HTML to PDF with WeasyPrint: only files from kompas/report/static, never the network.

This module imports WeasyPrint; kompas.report imports it only inside render_pdf(), so the
engine, the CLI and the web app start without WeasyPrint's system libraries.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint import HTML
from weasyprint.urls import URLFetcher
from weasyprint.urls import URLFetcherResponse

STATIC = Path(__file__).resolve().parent / "static"
PDF_VARIANT = "pdf/ua-1"  # tagged PDF with title and language: accessible and archivable


class RefusedURL(ValueError):
    """The report asked for something that is not a file of its own static folder."""


class StaticFetcher(URLFetcher):
    """A URL fetcher (WeasyPrint >= 68 API) that serves only files inside one folder.

    Everything else (http, https, data, ftp, files elsewhere, folders) is refused, so a
    report can never fetch from the network or read other local files, whatever text ends
    up in the HTML.
    """

    def __init__(self, root: Path = STATIC) -> None:
        super().__init__(allowed_protocols={"file"}, allow_redirects=False)
        self.root = root.resolve()

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        """The file behind a file: URL inside the root folder; RefusedURL for anything else."""
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            raise RefusedURL(f"refused (not a report file): {url[:200]}")
        path = Path(url2pathname(unquote(parts.path))).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            raise RefusedURL(f"refused (outside the report's static folder): {url[:200]}")
        mimetype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": mimetype})


def html_to_pdf(html: str) -> bytes:
    """Render report HTML to a tagged PDF (PDF/UA-1) with embedded fonts."""
    document = HTML(string=html, base_url=STATIC.as_uri() + "/", url_fetcher=StaticFetcher())
    return document.write_pdf(pdf_variant=PDF_VARIANT)  # type: ignore[no-any-return]
