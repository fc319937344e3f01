"""Fuzzing with Hypothesis: the YAML loader and the web forms.

    python soak/fuzz.py                      # 10,000 examples per target (make soak)
    python soak/fuzz.py --examples 500 --only forms

YAML (kompas.engine.yamlsource and the catalogue/questionnaire builders): only a
KompasError (DataError) may escape, never another exception. Three families of input:
  text        random text and YAML-ish token soup, through load_text and both builders;
  documents   near-valid documents derived from tests/data/mini_*.yaml with mutations (wrong
              types, deleted or renamed keys, duplicate keys, odd scalars such as 'no',
              '0123', '1.000', '2026-02-30', '!!python/object', aliases, deep nesting, huge
              numbers), through load_text, the builders, the cross-check with the other file,
              the lint and, when the data is valid, an advice;
  bytes       files of random bytes and of documents in other encodings or with invalid
              UTF-8, through load_file (kompas.load).
Forms: random posts to the wizard steps, /nieuw, /importeren (multipart with random file
bytes), the what-if on the advice page (GET parameters and its POST) and the workshop forms
(start, join, participant answers, adopt), in-process with Flask's test client on a fresh
SQLite file, CSRF off: no response may be a 5xx.
Vendor and curator (soak/fuzz_vendor.py): random posts to vendor links, and the curator's
commands with random arguments on the submissions they leave (capped: each example of
these is slower). Round (soak/fuzz_round.py): the verification round's page and its POSTs
(start, a new link, answers to its vendor links), capped likewise.

The eight bugs the first runs found (unreadable YAML characters, keys and tagged values,
deep nesting, escaped surrogates, huge importance numbers, JSON bodies, NUL in names, a
database outage answered with 500) are fixed and pinned in tests/test_fuzz.py,
tests/test_serving.py and tests/test_faults.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import io
import json
import logging
import re
import sys
import tempfile
import time
import traceback
import urllib.parse
from collections import Counter
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

import kompas
from kompas.engine.catalogue import build_catalogue
from kompas.engine.catalogue import load_catalogue
from kompas.engine.checks import Checker
from kompas.engine.lint import lint_content
from kompas.engine.model import Catalogue
from kompas.engine.model import Questionnaire
from kompas.engine.questionnaire import build_questionnaire
from kompas.engine.questionnaire import load_questionnaire
from kompas.engine.questionnaire_checks import check_against_catalogue
from kompas.engine.scoring import advise
from kompas.engine.yamlsource import load_text
from kompas.errors import DataError
from kompas.errors import KompasError
from soak.common import ROOT
from soak.common import machine

DATA = ROOT / "tests" / "data"
MINI_QUESTIONS = DATA / "mini_questions.yaml"
MINI_PLATFORMS = DATA / "mini_platforms.yaml"
TODAY = dt.date(2026, 11, 29)


# -- known bugs ------------------------------------------------------------------------------

# Bugs the fuzzers found are fixed and pinned as regression tests in tests/test_fuzz.py.
# A bug found later and not yet fixed can be listed here (id -> description) so that the
# long runs count it instead of stopping at it; known_bug() then recognises it.
KNOWN_BUGS: dict[str, str] = {}


def known_bug(exc: BaseException) -> str | None:
    """The KNOWN_BUGS entry an exception belongs to (none are open)."""
    return None


class Unexpected(AssertionError):
    """An exception the code under test must never let escape."""


@dataclass
class Tally:
    """What a fuzz target ran into."""

    examples: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    known: Counter[str] = field(default_factory=Counter)

    def line(self, name: str) -> str:
        parts = [f"{k} {v}" for k, v in sorted(self.outcomes.items())]
        known = [f"{k} {v}" for k, v in sorted(self.known.items())]
        return f"{name:<10} {self.examples:>6} examples; {', '.join(parts)}" + (
            f"; KNOWN BUGS hit: {', '.join(known)}" if known else "; no known bug hit"
        )


def _unexpected(what: str, exc: BaseException, sample: Any) -> Unexpected:
    shown = repr(sample)
    if len(shown) > 1500:
        shown = shown[:1500] + "…"
    trace = "".join(traceback.format_exception(exc)[-12:])
    return Unexpected(f"{what}: {type(exc).__name__} escaped for input {shown}\n{trace}")


# -- the shipped mini documents and the emitter ----------------------------------------------


@dataclass(frozen=True)
class Raw:
    """A scalar written into the YAML verbatim (so 'no' stays a plain no, not a quoted one)."""

    text: str


@dataclass
class Pairs:
    """A mapping that may hold a key twice."""

    items: list[tuple[Any, Any]]


_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_RESERVED = {"true", "false", "True", "False", "TRUE", "FALSE", "null", "Null", "NULL"}


def _scalar(value: Any) -> str | None:
    """A scalar's YAML text, '{}'/'[]' for empty containers; None for other containers."""
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value:
            return ".nan"
        if value in (float("inf"), float("-inf")):
            return ".inf" if value > 0 else "-.inf"
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return json.dumps(value)  # a double-quoted YAML scalar
    if isinstance(value, dict | Pairs) and not _items(value):
        return "{}"
    if isinstance(value, list) and not value:
        return "[]"
    return None


def _items(value: dict[Any, Any] | Pairs) -> list[tuple[Any, Any]]:
    return value.items if isinstance(value, Pairs) else list(value.items())


def _key(key: Any) -> str:
    if isinstance(key, str) and _PLAIN_KEY.match(key) and key not in _RESERVED:
        return key
    text = _scalar(key)
    return text if text is not None else json.dumps(str(key))


def _block(node: Any, indent: int, out: list[str]) -> None:
    pad = " " * indent
    if isinstance(node, dict | Pairs):
        for key, value in _items(node):
            text = _scalar(value)
            if text is not None:
                out.append(f"{pad}{_key(key)}: {text}")
            else:
                out.append(f"{pad}{_key(key)}:")
                _block(value, indent + 2, out)
    else:
        for value in node:
            text = _scalar(value)
            if text is not None:
                out.append(f"{pad}- {text}")
            else:
                out.append(f"{pad}-")
                _block(value, indent + 2, out)


def emit(tree: Any) -> str:
    """YAML text for a tree of dicts, Pairs, lists, scalars and Raw."""
    text = _scalar(tree)
    if text is not None:
        return text + "\n"
    out: list[str] = []
    _block(tree, 0, out)
    return "\n".join(out) + "\n"


def _plain(path: Path) -> Any:
    return load_text(path.read_text(encoding="utf-8"), path.name).plain()


MINI_TREES = {"questions": _plain(MINI_QUESTIONS), "platforms": _plain(MINI_PLATFORMS)}


@functools.cache
def mini_data() -> tuple[Questionnaire, Catalogue]:
    """The mini questionnaire and catalogue, loaded as the tests load them."""
    return kompas.load(MINI_QUESTIONS, MINI_PLATFORMS)


# -- strategies: YAML ------------------------------------------------------------------------

ODD_SCALARS = (
    "no", "yes", "on", "off", "nee", "ja", "y", "n", "NO", "True", "TRUE", "null", "~", "Null",
    "0123", "0o17", "0x1F", "-0", "+1", "1_000", "1.000", "15.000", "-15.000", "1,5", "1.5e3",
    "1e999", "-1e999", ".inf", ".nan", "2026-02-30", "2026-13-01", "2026-11-29", "2026-1-1",
    "2026-11-29T25:00:00", "2026-11-29 10:00:00 +01:00", "29-11-2026", "12:30", "1:20:30",
    "''", '""', "'it''s'", '"\\x00"', '"\\ud800"', '"\\U0010FFFF"', '"\\N"',
    "!!python/object:os.system x", "!!python/name:os.system", "!!python/object/apply:os.system [ls]",
    "!!binary aGVsbG8=", "!!int x", "!!float x", "!!bool x", "!!timestamp 2026-02-30",
    "!!set {a, b}", "!!omap [a: 1]", "!!str 5", "!custom x", "!<tag:yaml.org,2002:str> x",
    "&a x", "*a", "&a [*a]", "&a {b: *a}", "[", "{", "]", "}", "|", ">", "|-\n  x", "@x", "`x",
    "%x", "? x", "- x", "-", "#c", ": x", "a: b", "<<", "[a, b", "{a: 1", "\"unterminated",
    "\\", "\t", "\u00a0", "\ufeff", "\u2028", "\x85", "é", "𝕏", "\x00", "\x07", "\ufffe",
    "9" * 5000, "1" + "0" * 400, "-" + "9" * 4300, "0." + "1" * 400, "1e" + "9" * 400,
)  # fmt: skip

TOKENS = (
    "a", "id", "version", "facts", "platforms", "sections", "questions", "criteria", "texts",
    "value", "source", "checked", "type", "options", ":", ": ", " ", "  ", "\n", "\n  ", "- ",
    "[", "]", "{", "}", ",", "&x ", "*x", "!!str ", "!!python/object:x ", "!x ", "? ", "|",
    ">", "'", '"', "#", "%YAML 1.1\n", "%TAG ! tag:x,2000:\n", "---\n", "...\n", "\t", "no",
    "0123", "1.000", "2026-02-30", "\x00", "\ufeff", "é", "\\", "<<: ", "~", "@", "`",
    "99999999999999999999", "true", "unknown", "not_applicable",
)  # fmt: skip


# Characters YAML accepts in a stream (mostly: no C0/C1 controls, surrogates, U+FFFE/U+FFFF),
# so that random text also gets past the reader; st.text() covers the rest.
PRINTABLE = st.one_of(
    st.characters(blacklist_categories=("Cs", "Cc", "Cn")), st.sampled_from("\t\n\r\n ")
)


def yamlish_text() -> st.SearchStrategy[str]:
    """Random text and YAML-ish token soup."""
    return st.one_of(
        st.text(max_size=200),
        st.text(PRINTABLE, max_size=200),
        st.lists(
            st.one_of(st.sampled_from(TOKENS), st.text(PRINTABLE, max_size=4)), max_size=80
        ).map("".join),
    )


def _nesting(depth: int, kind: str) -> Raw:
    if kind == "flow-list":
        return Raw("[" * depth + "]" * depth)
    if kind == "flow-map":
        return Raw("{a: " * depth + "1" + "}" * depth)
    return Raw("".join(f"\n{' ' * (2 * i + 4)}k{i}:" for i in range(depth)) + " 1")


def odd_values() -> st.SearchStrategy[Any]:
    """Values a careless or hostile author might write."""
    return st.one_of(
        st.sampled_from(ODD_SCALARS).map(Raw),
        st.integers(-(10**30), 10**30),
        st.floats(),
        st.booleans(),
        st.none(),
        st.text(max_size=30),
        st.dates(),
        st.just([]),
        st.just({}),
        st.lists(st.one_of(st.text(max_size=8), st.integers()), max_size=3),
        st.dictionaries(st.sampled_from(("value", "source", "checked", "x")), st.text(max_size=8)),
        st.builds(
            _nesting,
            st.one_of(st.integers(1, 60), st.integers(900, 2500)),
            st.sampled_from(("flow-list", "flow-map", "block")),
        ),
    )


def odd_keys() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.sampled_from(ODD_SCALARS[:60]).map(Raw),
        st.text(max_size=12),
        st.sampled_from(("id", "type", "value", "facts", "options", "show_if", "condition")),
        st.integers(-5, 5),
    )


def _locations(tree: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(tree, dict):
        for key, value in tree.items():
            found += _locations(value, (*path, key))
    elif isinstance(tree, list):
        for i, value in enumerate(tree):
            found += _locations(value, (*path, i))
    return found


def _get(tree: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        tree = tree[step]
    return tree


def _copy(tree: Any) -> Any:
    if isinstance(tree, dict):
        return {k: _copy(v) for k, v in tree.items()}
    if isinstance(tree, list):
        return [_copy(v) for v in tree]
    return tree


MUTATIONS = ("delete", "replace", "replace", "wrap", "rename", "duplicate", "swap", "empty")


@st.composite
def near_valid_documents(draw: st.DrawFn) -> tuple[str, str]:
    """(which file, YAML text): a mini file with 1-4 mutations."""
    kind = draw(st.sampled_from(("questions", "platforms")))
    tree = _copy(MINI_TREES[kind])
    for _ in range(draw(st.integers(1, 4))):
        spots = [p for p in _locations(tree) if p]
        if not spots:
            break
        path = spots[draw(st.integers(0, len(spots) - 1))]
        parent, last = _get(tree, path[:-1]), path[-1]
        if isinstance(parent, Pairs):
            break  # a duplicate-key mapping is final
        operation = draw(st.sampled_from(MUTATIONS))
        if operation == "delete":
            del parent[last]
        elif operation == "replace":
            parent[last] = draw(odd_values())
        elif operation == "wrap":
            if draw(st.booleans()):
                parent[last] = [parent[last]]
            else:
                parent[last] = {"value": parent[last]}
        elif operation == "empty":
            parent[last] = draw(st.sampled_from(([], {}, None, "", Raw(""))))
        elif operation == "swap":
            other = spots[draw(st.integers(0, len(spots) - 1))]
            parent[last] = _copy(_get(tree, other))
        elif isinstance(parent, dict) and operation == "rename":
            items = [(draw(odd_keys()) if k == last else k, v) for k, v in parent.items()]
            grand = _get(tree, path[:-2]) if len(path) > 1 else None
            replacement = Pairs(items)
            if grand is None:
                tree = replacement
                break
            grand[path[-2]] = replacement
        elif isinstance(parent, dict) and operation == "duplicate":
            items = [*parent.items(), (last, draw(odd_values()))]
            grand = _get(tree, path[:-2]) if len(path) > 1 else None
            if grand is None:
                tree = Pairs(items)
                break
            grand[path[-2]] = Pairs(items)
        elif isinstance(parent, list):
            parent.insert(last, draw(odd_values()))
    return kind, emit(tree)


ENCODINGS = ("utf-16", "utf-16-le", "latin-1", "cp1252", "utf-32")


@st.composite
def file_bytes(draw: st.DrawFn) -> tuple[str, bytes]:
    """(which file, raw bytes): random bytes, or a document badly encoded or with bad bytes."""
    kind = draw(st.sampled_from(("questions", "platforms")))
    how = draw(st.sampled_from(("random", "encoding", "inserted", "truncated", "bom")))
    if how == "random":
        return kind, draw(st.binary(max_size=300))
    text = emit(MINI_TREES[kind]).replace('"Burenhulp"', '"Burenhülp"')
    if how == "encoding":
        return kind, text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    raw = text.encode("utf-8")
    at = draw(st.integers(0, len(raw)))
    if how == "inserted":
        bad = draw(
            st.sampled_from((b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x00", b"\xc0\xaf", b"\xfe\xff"))
        )
        return kind, raw[:at] + bad + raw[at:]
    if how == "truncated":
        return kind, raw[:at]
    return kind, b"\xef\xbb\xbf" + raw  # a UTF-8 byte order mark


# -- checks: YAML ----------------------------------------------------------------------------


def _builders(tree: Any, kind: str, tally: Tally) -> None:
    """Both builders on the tree; the cross-check, lint and an advice when it is valid."""
    mini_q, mini_c = mini_data()
    check = Checker()
    catalogue = build_catalogue(tree, "sha256:fuzz", check, "fuzz")
    questionnaire = build_questionnaire(tree, "sha256:fuzz", Checker(), "fuzz")
    if kind == "questions" and questionnaire is not None:
        check_against_catalogue(questionnaire, mini_c, check)
        catalogue = mini_c
    elif kind == "platforms" and catalogue is not None:
        check_against_catalogue(mini_q, catalogue, check)
        questionnaire = mini_q
    if questionnaire is not None and catalogue is not None and not check.errors:
        lint_content(questionnaire, catalogue, Checker(), TODAY)
        advise(questionnaire, catalogue, {}, strict=False)
        tally.outcomes["valid"] += 1
    else:
        tally.outcomes["refused"] += 1


def _encodable(value: Any) -> bool:
    """Whether every text in a loaded tree can be written out as UTF-8."""
    if isinstance(value, dict):
        return all(_encodable(k) and _encodable(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_encodable(v) for v in value)
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
    return True


def check_text(text: str, kind: str, tally: Tally) -> None:
    """load_text and the builders on one text: only KompasError may escape."""
    tally.examples += 1
    try:
        tree = load_text(text, "fuzz.yaml")
        tally.outcomes["parsed"] += 1
        if not _encodable(tree.plain()):
            tally.known["yaml-escaped-surrogate"] += 1
            return
        _builders(tree, kind, tally)
    except KompasError:
        tally.outcomes["DataError"] += 1
    except Exception as exc:
        bug = known_bug(exc)
        if bug is None:
            raise _unexpected(f"YAML {kind}", exc, text) from None
        tally.known[bug] += 1


def check_file(raw: bytes, kind: str, folder: Path, tally: Tally) -> None:
    """kompas.load on a file with these bytes (through load_file): only KompasError escapes."""
    tally.examples += 1
    path = folder / f"fuzz-{kind}.yaml"
    path.write_bytes(raw)
    mini_q, mini_c = mini_data()
    try:
        if kind == "questions":
            load_questionnaire(path, mini_c)  # as kompas.load does, with the catalogue cached
        else:
            check = Checker()
            check_against_catalogue(mini_q, load_catalogue(path), check)
            if check.errors:
                raise DataError(check.errors)
        tally.outcomes["valid"] += 1
    except KompasError:
        tally.outcomes["DataError"] += 1
    except Exception as exc:
        bug = known_bug(exc)
        if bug is None:
            raise _unexpected(f"file {kind}", exc, raw) from None
        tally.known[bug] += 1


def _settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
            HealthCheck.large_base_example,
        ],
        print_blob=True,
    )


def fuzz_text(examples: int) -> Tally:
    tally = Tally()

    @_settings(examples)
    @given(yamlish_text(), st.sampled_from(("questions", "platforms")))
    def run(text: str, kind: str) -> None:
        check_text(text, kind, tally)

    run()
    return tally


def fuzz_documents(examples: int) -> Tally:
    tally = Tally()

    @_settings(examples)
    @given(near_valid_documents())
    def run(document: tuple[str, str]) -> None:
        kind, text = document
        check_text(text, kind, tally)

    run()
    return tally


def fuzz_bytes(examples: int, folder: Path) -> Tally:
    tally = Tally()

    @_settings(examples)
    @given(file_bytes())
    def run(document: tuple[str, bytes]) -> None:
        kind, raw = document
        check_file(raw, kind, folder, tally)

    run()
    return tally


# -- forms -----------------------------------------------------------------------------------


@dataclass
class Post:
    """One request the form fuzzer sends."""

    method: str
    path: str
    data: Any = None  # list of (name, value) pairs, or raw bytes
    content_type: str | None = None
    query: list[tuple[str, str]] | None = None
    target: str = ""


class _Catch(logging.Handler):
    """Keeps the exceptions the app logs as 'unexpected error'."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.errors: list[BaseException] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[1] is not None:
            self.errors.append(record.exc_info[1])


JSON_BODIES = (b"0", b"[1]", b'"x"', b"null", b"{}", b'{"actie": "opslaan"}', b"[[]]", b"1e999")
SAFE = st.characters(codec="utf-8")  # what a browser can send: UTF-8 has no surrogates
ODD_NUMBERS = (
    "15.000", "1e400", "NaN", "nan", "inf", "-inf", "-0", "0x10", "1_000", "٣", "１２", " 5 ",
    "2,5", "1.5.5", "9" * 5000, "-" + "9" * 30, "1e-400", "0", "20000001", "-1", "3.0", "",
)  # fmt: skip


class FormFuzz:
    """An app on a fresh SQLite file with a dossier, a workshop session and a participant."""

    def __init__(self, folder: Path) -> None:
        from kompas.engine.workshop import priority_questions
        from kompas.engine.workshop import priority_sections
        from kompas.web import create_app
        from kompas.web.migrate import upgrade

        self.app = create_app(
            {
                "TESTING": True,
                "WTF_CSRF_ENABLED": False,
                "RATELIMIT_ENABLED": False,
                "DATABASE_URL": f"sqlite:///{folder / 'fuzz.sqlite3'}",
                "SECRET_KEY": "fuzz",
                "KOMPAS_REPORT_CACHE": str(folder / "report-cache"),
            }
        )
        upgrade(self.app)
        self.client = self.app.test_client()
        self.q: Questionnaire = self.app.extensions["kompas"]["questionnaire"]
        self.catch = _Catch()
        logging.getLogger("kompas.web").addHandler(self.catch)

        reply = self.client.post("/nieuw", data={"municipality": "Fuzzdorp"})
        self.token = urllib.parse.urlsplit(reply.headers["Location"]).path.split("/")[2]
        self.sections = [s.id for s in self.q.sections]
        self.priority = [s.id for s in priority_sections(self.q)]
        reply = self.client.post(
            f"/d/{self.token}/werksessie/starten", data={"onderdelen": self.priority}
        )
        assert reply.status_code == 303, reply.status_code
        html = self.client.get(f"/d/{self.token}/werksessie").get_data(as_text=True)
        link = re.search(r'id="deelnemerslink">\s*([^<\s]+)\s*<', html)
        assert link, "the facilitator page shows no participant link"
        self.join = urllib.parse.urlsplit(link.group(1)).path
        reply = self.client.post(self.join, data={"naam_of_rol": "Wethouder"})
        self.personal = urllib.parse.urlsplit(reply.headers["Location"]).path
        self.session_questions = [x.id for x in priority_questions(self.q, self.priority)]
        self.importance = [x.id for x in self.q.questions if x.type == "importance"]
        self.option_ids = sorted({o.id for x in self.q.questions for o in x.options})

    def close(self) -> None:
        logging.getLogger("kompas.web").removeHandler(self.catch)
        from kompas.web.db import get_engine

        get_engine(self.app).dispose()

    # strategies

    def values(self) -> st.SearchStrategy[str]:
        return st.one_of(
            st.sampled_from(
                [*self.option_ids, "ja", "nee", "must", "0", "1", "2", "3", "4", "-1", ""]
            ),
            st.sampled_from(ODD_NUMBERS),
            st.text(SAFE, max_size=40),
            st.integers(4990, 5100).map(lambda n: "x" * n),
        )

    def fields(
        self, names: list[str], max_size: int = 12
    ) -> st.SearchStrategy[list[tuple[str, str]]]:
        name = st.text(SAFE, max_size=10)
        if names:
            name = st.one_of(st.sampled_from(names), name)
        return st.lists(st.tuples(name, self.values()), max_size=max_size)

    def answers_file(self) -> st.SearchStrategy[bytes]:
        q = self.q

        @st.composite
        def near_valid(draw: st.DrawFn) -> bytes:
            ids = [x.id for x in q.questions]
            chosen = draw(st.lists(st.sampled_from(ids), max_size=8, unique=True))
            tree = {}
            for qid in chosen:
                tree[qid] = draw(
                    st.one_of(
                        odd_values(),
                        st.sampled_from([o.id for o in q.question(qid).options] or ["x"]),
                        st.lists(st.sampled_from(self.option_ids), max_size=3),
                    )
                )
            return emit(tree).encode("utf-8", "surrogatepass")

        return st.one_of(
            near_valid(),
            st.binary(max_size=200),
            yamlish_text().map(lambda t: t.encode("utf-8", "surrogatepass")),
        )

    def posts(self) -> st.SearchStrategy[Post]:
        token, q = self.token, self.q
        section_ids = st.one_of(
            st.sampled_from(self.sections), st.text(SAFE, min_size=1, max_size=8)
        )

        def step(sid: str, pairs: list[tuple[str, str]], action: list[tuple[str, str]]) -> Post:
            path = f"/d/{token}/stap/{urllib.parse.quote(sid, safe='')}"
            return Post("POST", path, pairs + action, target="step")

        def question_ids(sid: str) -> list[str]:
            for section in q.sections:
                if section.id == sid:
                    return [x.id for x in section.questions]
            return []

        steps = section_ids.flatmap(
            lambda sid: st.builds(
                step,
                st.just(sid),
                self.fields(question_ids(sid)),
                st.lists(
                    st.tuples(
                        st.just("actie"),
                        st.sampled_from(("volgende", "vorige", "opslaan", "wis", "")),
                    ),
                    max_size=2,
                ),
            )
        )
        # A valid submission (answers read from the questionnaire) with a few odd extras,
        # so that fuzzing also reaches saving, follow-up questions and the pages after.
        valid_steps = st.sampled_from(self.sections).flatmap(
            lambda sid: st.builds(
                lambda variant, extra, action: step(
                    sid, self.valid(question_ids(sid), variant) + extra, [("actie", action)]
                ),
                st.integers(0, 10_000),
                st.one_of(st.just([]), self.fields(question_ids(sid), max_size=1)),
                st.sampled_from(("volgende", "vorige", "opslaan")),
            )
        )
        new = self.fields(["municipality", "advisor", "inhabitants"]).map(
            lambda pairs: Post("POST", "/nieuw", pairs, target="nieuw")
        )
        imports = st.builds(
            lambda pairs, raw, name: Post(
                "POST",
                "/importeren",
                [*pairs, ("answers_file", (io.BytesIO(raw), name))],
                "multipart/form-data",
                target="importeren",
            ),
            self.fields(["municipality", "advisor", "inhabitants"]),
            self.answers_file(),
            st.sampled_from(("antwoorden.yaml", "a.txt", "", "../../etc/passwd", "x" * 300)),
        )
        what_if = st.builds(
            lambda pairs: Post("GET", f"/d/{token}/advies", query=pairs, target="what-if GET"),
            self.fields([*self.importance, "alle"]),
        )
        what_if_post = self.fields(self.importance).map(
            lambda pairs: Post("POST", f"/d/{token}/wat-als", pairs, target="what-if POST")
        )
        join = self.fields(["naam_of_rol"]).map(
            lambda pairs: Post("POST", self.join, pairs, target="join")
        )
        answer = self.fields([*self.session_questions, "naam_of_rol"]).map(
            lambda pairs: Post("POST", self.personal, pairs, target="participant")
        )
        valid_answer = st.builds(
            lambda variant, name, extra: Post(
                "POST",
                self.personal,
                [("naam_of_rol", name), *self.valid(self.session_questions, variant), *extra],
                target="participant",
            ),
            st.integers(0, 10_000),
            st.one_of(st.sampled_from(("Wethouder", "Welzijn")), st.text(SAFE, max_size=90)),
            st.one_of(st.just([]), self.fields(self.session_questions, max_size=1)),
        )
        start = self.fields(["onderdelen"]).map(
            lambda pairs: Post(
                "POST", f"/d/{token}/werksessie/starten", pairs, target="workshop start"
            )
        )
        adopt = self.fields(["vragen", *self.session_questions]).map(
            lambda pairs: Post(
                "POST", f"/d/{token}/werksessie/overnemen", pairs, target="workshop adopt"
            )
        )
        toggle = st.sampled_from(("sluiten", "heropenen")).map(
            lambda what: Post("POST", f"/d/{token}/werksessie/{what}", [], target="workshop open")
        )
        raw = st.builds(
            lambda sid, body, ctype: Post(
                "POST", f"/d/{token}/stap/{sid}", body, ctype, target="raw body"
            ),
            st.sampled_from(self.sections),
            st.one_of(st.binary(max_size=300), st.sampled_from(JSON_BODIES)),
            st.sampled_from(
                (
                    "application/x-www-form-urlencoded",
                    "multipart/form-data; boundary=grens",
                    "multipart/form-data",
                    "application/json",
                    "text/plain; charset=latin-1",
                )
            ),
        )
        return st.one_of(
            steps, valid_steps, new, imports, imports, what_if, what_if_post, join, answer,
            valid_answer, start, adopt, toggle, raw,
        )  # fmt: skip

    def valid(self, qids: list[str], variant: int) -> list[tuple[str, str]]:
        """Valid form answers to the always-shown questions among qids."""
        from soak.common import form_answer

        pairs = []
        for i, qid in enumerate(qids):
            question = self.q.question(qid)
            if question.show_if is None:
                pairs += [(qid, v) for v in form_answer(question, variant + i)]
        return pairs

    # one request

    def send(self, post: Post, tally: Tally) -> None:
        """Send one request; a 5xx fails unless it is a known bug."""
        from werkzeug.datastructures import MultiDict
        from werkzeug.test import EnvironBuilder

        tally.examples += 1
        self.catch.errors.clear()
        data = post.data
        if isinstance(data, list):
            data = MultiDict(data)
        builder = EnvironBuilder(
            post.path,
            method=post.method,
            data=data,
            content_type=post.content_type,
            # A MultiDict keeps a repeated key, as the pairs do.
            query_string=None if post.query is None else MultiDict(post.query),
        )
        try:
            request = builder.get_request()
        finally:
            builder.close()
        try:
            response = self.client.open(request)
            status = response.status_code
            response.close()
        except Exception as exc:  # raised after the view (TESTING propagates it): a 500
            self.catch.errors.append(exc)
            status = 500
        finally:
            # The test client leaves the encoded body open: over 500 KB it is a temporary file,
            # which the garbage collector would close later with a ResourceWarning.
            request.environ["wsgi.input"].close()
        tally.outcomes[f"{post.target} {status // 100}xx"] += 1
        if status < 500:
            return
        for raised in self.catch.errors:
            bug = known_bug(raised)
            if bug is not None:
                tally.known[bug] += 1
                return
        trace = (
            "".join(traceback.format_exception(self.catch.errors[-1])[-12:])
            if (self.catch.errors)
            else "(nothing logged)"
        )
        raise Unexpected(
            f"{post.method} {post.target} answered {status} for {post!r:.1500}\n{trace}"
        )


def fuzz_forms(examples: int, folder: Path) -> Tally:
    tally = Tally()
    fuzz = FormFuzz(folder)
    try:

        @_settings(examples)
        @given(fuzz.posts())
        def run(post: Post) -> None:
            fuzz.send(post, tally)

        run()
    finally:
        fuzz.close()
    return tally


# -- main ------------------------------------------------------------------------------------

TARGETS = ("text", "documents", "bytes", "forms", "vendor", "curator", "round")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=10_000, help="per target")
    parser.add_argument("--only", choices=TARGETS, action="append")
    args = parser.parse_args()
    if not 1 <= args.examples <= 1_000_000:
        parser.error("--examples 1..1000000")
    print(f"fuzz: {dt.date.today().isoformat()}, {machine()}, {args.examples} examples per target")
    failed = False
    with tempfile.TemporaryDirectory(prefix="kompas-soak-fuzz-") as name:
        folder = Path(name)
        for target in args.only or TARGETS:
            started = time.monotonic()
            try:
                if target == "text":
                    tally = fuzz_text(args.examples)
                elif target == "documents":
                    tally = fuzz_documents(args.examples)
                elif target == "bytes":
                    tally = fuzz_bytes(args.examples, folder)
                elif target in ("vendor", "curator"):
                    from soak import fuzz_vendor

                    run = (
                        fuzz_vendor.fuzz_vendor if target == "vendor" else fuzz_vendor.fuzz_curator
                    )
                    tally = run(args.examples, folder)
                elif target == "round":
                    from soak import fuzz_round

                    tally = fuzz_round.fuzz_round(args.examples, folder)
                else:
                    tally = fuzz_forms(args.examples, folder)
            except Unexpected as exc:
                print(f"FAIL {target}: {exc}")
                failed = True
                continue
            print(f"{tally.line(target)} ({time.monotonic() - started:.0f} s)")
    for bug, text in KNOWN_BUGS.items():
        print(f"known bug {bug}: {text}")
    return 1 if failed else 0


if __name__ == "__main__":
    # soak/fuzz_vendor.py imports this module as soak.fuzz: one module, one Unexpected class.
    sys.modules.setdefault("soak.fuzz", sys.modules["__main__"])
    sys.exit(main())
