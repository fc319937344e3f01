"""Fuzz targets for the vendor form and the curator's commands (issue 20).

`vendor`: random and hostile form posts (odd numbers, control characters, huge text, unknown
fields) to fresh vendor links, saving and sending; no answer may be a 5xx. `curator`: the
same kind of submissions, then `kompas catalogue review|accept|reject` with random
arguments; every command must end with a clean message (never a traceback), and review must
print no control character besides the line ends.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from soak.fuzz import ODD_NUMBERS
from soak.fuzz import SAFE
from soak.fuzz import FormFuzz
from soak.fuzz import Post
from soak.fuzz import Tally
from soak.fuzz import Unexpected
from soak.fuzz import _settings

# Each example costs a form post (and a command run): a default of 10,000 would take hours.
MAX_VENDOR_EXAMPLES = 1000
MAX_CURATOR_EXAMPLES = 150
HOSTILE = ("\x1b[2K\x1b[1A", "a\nb", "\r", "\u202e", "\x00", "x" * 600, "€ 0,15 per inwoner")


class VendorFuzz(FormFuzz):
    """FormFuzz's app with vendor links for one platform (a fresh link once one is sent)."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        from kompas.web import vendor as vendor_web

        catalogue = self.app.extensions["kompas"]["catalogue"]
        self.platform = catalogue.platforms[0].id
        with self.app.test_request_context():
            self.items = vendor_web.items_for(self.platform)
        self.names = [
            f"{i.fact_id}-{part}"
            for i in self.items
            for part in ("value", "source", "date", "remark")
        ]
        self.path = self.fresh()

    def fresh(self) -> str:
        from kompas.web import vendor as vendor_web

        with self.app.app_context():
            return "/leverancier/" + vendor_web.create_link(self.platform, created_by="fuzz")

    def text(self) -> st.SearchStrategy[str]:
        return st.one_of(
            st.sampled_from(["verklaring leverancier", "https://example.nl/x", "2026-11-30"]),
            st.sampled_from(ODD_NUMBERS),
            st.sampled_from(HOSTILE),
            st.text(SAFE, max_size=30),
        )

    def vendor_posts(self) -> st.SearchStrategy[list[tuple[str, str]]]:
        name = st.one_of(st.sampled_from([*self.names, "name", "role"]), st.text(SAFE, max_size=8))
        pairs = st.lists(st.tuples(name, self.text()), max_size=16)
        action = st.sampled_from(["save", "send", "", "x"])
        return st.tuples(pairs, action).map(lambda t: [*t[0], ("action", t[1])])

    def post(self, pairs: list[tuple[str, str]], tally: Tally) -> None:
        self.send(Post("POST", self.path, pairs, target="vendor"), tally)
        from kompas.store.vendor import find_link
        from kompas.store.vendor import load_submission

        with self.app.app_context():
            link = find_link(self.path.rsplit("/", 1)[1])
            saved = load_submission(link.id) if link else None
        if saved and saved["status"] == "ingediend":
            self.path = self.fresh()


def fuzz_vendor(examples: int, folder: Path) -> Tally:
    """Random vendor form posts: never a 5xx."""
    tally = Tally()
    fuzz = VendorFuzz(folder)
    try:

        @_settings(min(examples, MAX_VENDOR_EXAMPLES))
        @given(fuzz.vendor_posts())
        def run(pairs: list[tuple[str, str]]) -> None:
            fuzz.post(pairs, tally)

        run()
    finally:
        fuzz.close()
    return tally


def _command(fuzz: VendorFuzz, args: list[str], copy: Path, tally: Tally) -> None:
    from click.testing import CliRunner

    from kompas.cli import main

    tally.examples += 1
    env = {"KOMPAS_DATABASE_URL": fuzz.app.config["DATABASE_URL"], "KOMPAS_PLATFORMS": str(copy)}
    result = CliRunner().invoke(main, args, env={**env, "KOMPAS_ENV": "development"})
    tally.outcomes[f"{args[1]} exit {result.exit_code}"] += 1
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise Unexpected(f"{args!r} raised {result.exception!r}\n{result.output[-1500:]}")
    if args[1] == "review":
        odd = [ch for ch in result.output if not ch.isprintable() and ch != "\n"]
        if odd:
            raise Unexpected(f"review printed control characters {odd!r}")


def fuzz_curator(examples: int, folder: Path) -> Tally:
    """Submissions from the vendor fuzzer, then the curator's commands with random arguments."""
    from kompas.engine.catalogue import DEFAULT_PLATFORMS

    tally = Tally()
    fuzz = VendorFuzz(folder)
    copy = folder / "curator-platforms.yaml"
    shutil.copy(DEFAULT_PLATFORMS, copy)
    facts = [i.fact_id for i in fuzz.items]
    number = st.one_of(st.integers(0, 40).map(str), st.sampled_from(["-1", "x", "9" * 30]))
    fact = st.one_of(st.sampled_from(facts or ["x"]), st.text(SAFE, max_size=12))
    args: Any = st.one_of(
        st.just(["catalogue", "review"]),
        st.tuples(number, fact, st.sampled_from([[], ["--dossier", "1"], ["--dossier", "x"]])).map(
            lambda t: ["catalogue", "accept", t[0], t[1], "--curator", "fuzz", *t[2]]
        ),
        st.tuples(number, fact, st.text(SAFE, max_size=20)).map(
            lambda t: ["catalogue", "reject", t[0], t[1], "--reason", t[2] or "r", "--curator", "f"]
        ),
    )
    saved = dict(os.environ)
    try:

        @_settings(min(examples, MAX_CURATOR_EXAMPLES))
        @given(fuzz.vendor_posts(), args)
        def run(pairs: list[tuple[str, str]], command: list[str]) -> None:
            fuzz.post(pairs, Tally())
            _command(fuzz, command, copy, tally)

        run()
    finally:
        os.environ.clear()
        os.environ.update(saved)
        fuzz.close()
    return tally
