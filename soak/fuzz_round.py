"""Fuzz target for the verification round (issue 21): its page and its POSTs.

`round`: on a dossier with answers (strenge-eisen: its question ranking is the cheapest of the
shipped examples, so a start costs about one advice), random requests to the round: start a
round (again), renew a vendor's link by a known, unknown or absurd id, view the round page
with odd query strings, post random answers to a round's vendor links, and the same paths
under a dossier token that does not exist. No answer may be a 5xx, and the round page must
keep showing one line per vendor of the newest round.
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from soak.fuzz import ODD_NUMBERS
from soak.fuzz import SAFE
from soak.fuzz import FormFuzz
from soak.fuzz import Post
from soak.fuzz import Tally
from soak.fuzz import Unexpected
from soak.fuzz import _settings

# Each start ranks the vendor questions again: a default of 10,000 would take hours.
MAX_ROUND_EXAMPLES = 600
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "strenge-eisen.yaml"
LINK = re.compile(r'id="round-link-\d+" value="[^"]*(/leverancier/[^"]+)"')
VENDOR = re.compile(r'class="round-vendor"')


class RoundFuzz(FormFuzz):
    """FormFuzz's app whose dossier has answers and a started round."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        from kompas.engine.yamlsource import load_file
        from kompas.store import dossier as dossier_store

        with self.app.app_context():
            dossier = dossier_store.find_dossier(self.token)
            assert dossier is not None
            dossier_store.save_answers(dossier.id, load_file(EXAMPLE)[0].plain())
        self.links: list[str] = []
        self.ids: list[int] = []
        self.facts: list[str] = []
        self.start()

    def start(self) -> None:
        """Start a round and keep its links, link ids and asked facts."""
        page = self.client.post(f"/d/{self.token}/ronde").get_data(as_text=True)
        self.remember(page)

    def remember(self, page: str) -> None:
        """The links shown once on a fresh round page, and the newest round's ids and facts."""
        from kompas.store import dossier as dossier_store
        from kompas.store import round as round_store

        links = LINK.findall(page)
        if links:
            self.links = links
        with self.app.app_context():
            dossier = dossier_store.find_dossier(self.token)
            assert dossier is not None
            rnd = round_store.latest_round(dossier.id)
            if rnd is not None:
                self.ids = [v.link_id for v in rnd.vendors]
                self.facts = sorted({f for v in rnd.vendors for f in v.questions})

    def text(self) -> st.SearchStrategy[str]:
        return st.one_of(
            st.sampled_from(["ja", "nee", "nl", "eu", "2026-11-30", "verklaring leverancier"]),
            st.sampled_from(ODD_NUMBERS),
            st.text(SAFE, max_size=30),
        )

    def requests(self) -> st.SearchStrategy[tuple[str, int, list[tuple[str, str]]]]:
        """(kind, a link index or id, random pairs)."""
        names = st.one_of(
            st.sampled_from(["action", "name", "role", "csrf_token", "aanname", "lang"]),
            st.builds(
                lambda f, part: f"{f}-{part}",
                st.sampled_from(self.facts or ["x"]),
                st.sampled_from(["value", "source", "date", "remark"]),
            ),
            st.text(SAFE, max_size=8),
        )
        pairs = st.lists(st.tuples(names, self.text()), max_size=12)
        which = st.one_of(
            st.integers(0, 8),
            st.sampled_from([-1, 0, 2**31, 2**63, 10**30]),
        )
        kind = st.sampled_from(["start", "view", "renew", "answer", "answer", "view"])
        return st.tuples(kind, which, pairs)

    def step(self, request: tuple[str, int, list[tuple[str, str]]], tally: Tally) -> None:
        """Send one request; after a start, read the new round's links."""
        kind, which, pairs = request
        token = self.token
        if kind == "start":
            post = Post("POST", f"/d/{token}/ronde", pairs, target="round start")
        elif kind == "view":
            post = Post("GET", f"/d/{token}/ronde", None, query=pairs, target="round page")
        elif kind == "renew":
            link_id = self.ids[which % len(self.ids)] if self.ids and which >= 0 else which
            post = Post("POST", f"/d/{token}/leverancier/{link_id}/nieuw", pairs, target="renew")
        else:
            if not self.links:
                return
            path = self.links[abs(which) % len(self.links)]
            post = Post("POST", path, pairs, target="round answer")
        self.send(post, tally)
        if kind == "start":
            self.remember("")  # the new round's ids; its links were shown once, to `send`
        # A renewed or older round's link that stopped working is still worth posting to.

    def check_page(self) -> None:
        """The round page shows one line per vendor of the newest round."""
        page = self.client.get(f"/d/{self.token}/ronde").get_data(as_text=True)
        if len(VENDOR.findall(page)) != len(self.ids):
            raise Unexpected(f"the round page lists {len(VENDOR.findall(page))} vendors")


def fuzz_round(examples: int, folder: Path) -> Tally:
    """Random requests to the round page and its POSTs: never a 5xx."""
    tally = Tally()
    fuzz = RoundFuzz(folder)
    try:

        @_settings(min(examples, MAX_ROUND_EXAMPLES))
        @given(fuzz.requests())
        def run(request: tuple[str, int, list[tuple[str, str]]]) -> None:
            fuzz.step(request, tally)

        run()
        fuzz.check_page()
        for path in ("/d/bestaat-niet/ronde", "/d/bestaat-niet/leverancier/1/nieuw"):
            fuzz.send(Post("POST", path, [("x", "y")], target="round unknown"), tally)
    finally:
        fuzz.close()
    return tally
