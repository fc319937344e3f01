"""Extract the user-facing messages and keep the gettext catalogues in step (`make messages`).

Dutch is the source language: the Dutch catalogue repeats every message, the English one
translates it. A new message lands in both catalogues; in English it stays empty (and
counts as missing) until someone translates it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None}


def extract() -> Catalog:
    """Every message in the code and the templates, as a Babel catalogue."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    catalog = Catalog(project="kompas", domain="kompas")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def po_path(code: str) -> Path:
    """The catalogue file of a language."""
    return ROOT / "kompas" / "locale" / code / "LC_MESSAGES" / "kompas.po"


def read(code: str) -> Catalog:
    """A language's catalogue as it is on disk (an empty one when there is none)."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    path = po_path(code)
    if not path.exists():
        return Catalog(locale=code, project="kompas", domain="kompas")
    with path.open("rb") as handle:
        return read_po(handle, locale=code)


def update() -> list[str]:
    """Merge the extracted messages into the Dutch and English catalogues; returns what changed."""
    from babel.messages.pofile import write_po

    changed = []
    for code in ("nl", "en"):
        catalog = read(code)
        catalog.update(extract(), no_fuzzy_matching=True)  # a fresh template: update shares it
        if code == "nl":
            for message in catalog:
                if message.id:
                    message.string = message.id
        catalog.obsolete.clear()
        path = po_path(code)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(
                handle,
                catalog,
                width=100,
                omit_header=False,
                sort_output=True,
                ignore_obsolete=True,
            )
        changed.append(str(path.relative_to(ROOT)))
    return changed


if __name__ == "__main__":
    for path in update():
        print(path)
    sys.exit(0)
