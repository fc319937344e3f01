"""Translations: complete catalogues, complete data files, and English pages without Dutch."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

import kompas
from kompas import messages
from kompas.cli import main
from kompas.engine.lint import validate
from kompas.i18n import Text
from kompas.i18n import catalogue
from kompas.i18n import language
from tests.test_web_wizard import example_answers
from tests.test_web_wizard import start
from tests.test_web_wizard import walk

ROOT = Path(__file__).resolve().parent.parent
MIN_LENGTH = 12  # shorter fragments ("Ja", "score") can be the same word in both languages


def test_every_message_is_in_both_catalogues_and_translated():
    """Each message in the code and templates has a Dutch and a finished English entry."""
    extracted = {m.id for m in messages.extract() if m.id}
    for code in ("nl", "en"):
        po = messages.read(code)
        entries = {m.id: m for m in po if m.id}
        missing = sorted(str(i) for i in extracted - set(entries))
        assert missing == [], f"{code}: run `make messages` and translate: {missing[:5]}"
        stale = sorted(str(i) for i in set(entries) - extracted)
        assert stale == [], f"{code}: messages no longer in the code: {stale[:5]}"
        fuzzy = sorted(str(i) for i, m in entries.items() if m.fuzzy)
        assert fuzzy == [], f"{code}: fuzzy entries: {fuzzy[:5]}"
        empty = sorted(
            str(i)
            for i, m in entries.items()
            if not m.string or (isinstance(m.string, tuple) and not all(m.string))
        )
        assert empty == [], f"{code}: untranslated entries: {empty[:5]}"


def _placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"\{[^{}]*\}|%\([a-z_]+\)[sd]", text))


def test_translations_keep_their_placeholders():
    """A translation fills in the same values as the Dutch message."""
    for message in messages.read("en"):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for source, translated in zip(ids, strings, strict=False):
            assert _placeholders(source) == _placeholders(translated), source


def test_shipped_data_files_are_fully_translated():
    """Every text in questions.yaml and platforms.yaml has its English sibling."""
    report = validate()
    assert report.untranslated == ()


def test_missing_translations_are_warnings_and_errors_under_strict(runner):
    """A Dutch-only file validates with one warning per file, and fails under --strict."""
    from tests.conftest import MINI_PLATFORMS
    from tests.conftest import MINI_QUESTIONS

    args = ["--questions", str(MINI_QUESTIONS), "--platforms", str(MINI_PLATFORMS)]
    plain = runner.invoke(main, ["validate", *args])
    assert plain.exit_code == 0
    assert "text(s) without an English translation" in plain.stderr
    strict = runner.invoke(main, ["validate", "--strict", *args])
    assert strict.exit_code == 1
    assert "no en translation (add text_en:)" in strict.stderr


def dutch_phrases() -> set[str]:
    """Dutch texts that read differently in English: none may show on an English page."""
    phrases: set[str] = set()
    english_texts: list[str] = []

    def add(dutch: str, english: str) -> None:
        english_texts.append(english)
        if dutch == english:
            return
        for part in re.split(r"\{[^{}]*\}|%\([a-z_]+\)[sd]|[\n]", dutch):
            part = part.strip(" .,:;()'\"")
            if len(part) >= MIN_LENGTH:
                phrases.add(part)

    english = catalogue("en")
    for message, translated in english.items():
        if isinstance(message, str):
            add(message, translated)
    q, c = kompas.load()

    def walk_texts(value: object) -> None:
        if isinstance(value, Text):
            add(str(value), value.get("en"))
        elif isinstance(value, dict | tuple | list) or hasattr(value, "items"):
            items = value.values() if hasattr(value, "values") else value
            for item in items:  # type: ignore[union-attr]
                walk_texts(item)

    for section in q.sections:
        walk_texts([section.title, section.intro])
        for question in section.questions:
            walk_texts([question.text, question.help, question.unit])
            walk_texts([o.label for o in question.options])
    for criterion in q.criteria.values():
        walk_texts([criterion.label, criterion.ask, dict(criterion.explain)])
    walk_texts(dict(q.texts))
    walk_texts(dict(c.categories))
    for spec in c.facts.values():
        walk_texts([spec.label, spec.unit, dict(spec.values)])
    for platform in c.platforms:
        walk_texts([platform.description])
        walk_texts([f.note for f in platform.facts.values()])
    # A fragment that also occurs in English text ("open source is") proves nothing.
    corpus = "\n".join(english_texts)
    return {p for p in phrases if p not in corpus}


DUTCH = dutch_phrases()


# Names as printed, also cut to the terminal's 30-character column.
NAMES = sorted(
    {n for p in kompas.load()[1].platforms for n in (p.name, p.name[:30])}, key=len, reverse=True
)


def dutch_on(text: str) -> list[str]:
    """The Dutch phrases found in a text (platform names are names, not Dutch)."""
    for name in NAMES:
        text = text.replace(name, " ")
    return sorted(p for p in DUTCH if p in text)


def test_the_wizard_in_english_has_no_dutch_left(app, client):
    """A whole walk in English: every page type, no Dutch phrase from code or data."""
    assert DUTCH, "the list of Dutch phrases should not be empty"
    landing = client.get("/?lang=en")
    assert "kompas_lang=en" in landing.headers.get("Set-Cookie", "")
    token = start(client, "Testville")
    walk(client, token, example_answers())
    q, c = kompas.load()
    top = kompas.advise(q, c, example_answers()).ranking
    pages = [
        "/",
        "/werkwijze",
        "/nieuw",
        "/importeren",
        f"/d/{token}/",
        f"/d/{token}/overzicht",
        f"/d/{token}/advies",
        f"/d/{token}/advies?alle=1",
        f"/d/{token}/verwijderen",
        "/platforms/",
        f"/platforms/{top[0].platform.id}",
        f"/platforms/vergelijk?p={top[0].platform.id}&p={top[1].platform.id}&p={top[2].platform.id}",
        "/d/bestaat-niet/",
        *(f"/d/{token}/stap/{s.id}" for s in q.sections),
    ]
    for path in pages:
        response = client.get(path)
        page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
        assert page.html["lang"] == "en", path
        text = page.get_text(" ")
        assert dutch_on(text) == [], path


def test_language_switch_needs_no_javascript(client):
    """The header links to this page in the other language, and the choice is remembered."""
    page = BeautifulSoup(client.get("/platforms/").get_data(as_text=True), "html.parser")
    switch = page.find("a", hreflang="en")
    assert switch is not None and switch["href"] == "/platforms/?lang=en"
    client.get(switch["href"])
    again = BeautifulSoup(client.get("/platforms/").get_data(as_text=True), "html.parser")
    assert again.html["lang"] == "en"
    assert again.find("a", hreflang="nl")["href"] == "/platforms/?lang=nl"


def test_cli_advice_in_english(runner):
    """`kompas advise --lang en` prints the advice without Dutch."""
    example = ROOT / "examples" / "burenhulp-dorp.yaml"
    result = runner.invoke(main, ["advise", str(example), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "Ranking" in result.stdout
    assert dutch_on(result.stdout) == []
    dutch = runner.invoke(main, ["advise", str(example)])
    assert "Rangorde" in dutch.stdout  # the default stays Dutch


def test_engine_explains_in_the_language_asked():
    """advise(lang=...) writes explanations in that language, also when read later."""
    q, c = kompas.load()
    answers = example_answers()
    dutch = kompas.advise(q, c, answers)
    english = kompas.advise(q, c, answers, lang="en")
    with language("nl"):
        texts = [r.text for r in english.ranking[0].results]
    assert texts != [r.text for r in dutch.ranking[0].results]
    assert dutch_on(" ".join(texts)) == []
    assert [r.platform.id for r in english.ranking] == [r.platform.id for r in dutch.ranking]


@pytest.mark.pdf
def test_pdf_report_in_english(app, client):
    """The PDF with ?lang=en is in English (metadata language and text)."""
    pypdf = pytest.importorskip("pypdf", reason="pypdf is a dev dependency: pip install -e .[dev]")
    token = start(client, "Testville")
    walk(client, token, example_answers())
    response = client.get(f"/d/{token}/advies.pdf?lang=en")
    assert response.mimetype == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.data))
    assert reader.trailer["/Root"].get("/Lang") == "en"
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    text = re.sub(r"\s+", " ", text)
    assert dutch_on(text) == []


# A count of one with a plural noun ("Nog 1 punten"): the sign of a count put in with
# `_().format()` instead of ngettext, which picks the noun by the number.
ONE_WITH_PLURAL = re.compile(
    r"(?<![\d.,])\b1 (punten|vragen|platforms|aanvullingen|deelnemers|antwoorden|wijzigingen|"
    r"points|questions|platforms|complements|participants|answers|changes)\b"
)


def test_a_count_of_one_takes_the_singular_on_the_advice_page(answered_dossier):
    """The example dossier's advice page, in Dutch and English, never says '1 punten'."""
    client, token = answered_dossier(example_answers())
    for lang in ("nl", "en"):
        page = client.get(f"/d/{token}/advies?lang={lang}")
        assert page.status_code == 200
        text = BeautifulSoup(page.data, "html.parser").get_text(" ")
        hit = ONE_WITH_PLURAL.search(text)
        assert hit is None, text[max(0, hit.start() - 120) : hit.end() + 40]


# Counts that are never one: totals of the questionnaire or the catalogue ("3 van {n} vragen"),
# and a shift in points, a measured difference that is exactly one only by chance.
NEVER_ONE = (
    re.compile(r"van (de )?\{n\} vragen"),
    re.compile(r"telt \{n\} vragen"),
    re.compile(r"\(\{n\} platforms en aanpakken\)"),
    re.compile(r"alle \{n\} platforms scoren gelijk"),
    re.compile(r"\{n\} punten verschuiven"),
)


def test_templates_count_with_ngettext():
    """A template message that puts a count before a noun goes through ngettext."""
    call = re.compile(r"""\b_\(\s*(["'])(.*?)\1\s*\)""", re.S)
    counted = re.compile(r"\{n\} [a-z]+(en|s)\b")
    found = []
    for path in sorted((ROOT / "kompas").rglob("*.html")):
        for match in call.finditer(path.read_text(encoding="utf-8")):
            text = match.group(2)
            if counted.search(text) and not any(rule.search(text) for rule in NEVER_ONE):
                found.append(f"{path.relative_to(ROOT)}: {text}")
    assert not found, "use ngettext for these counts:\n" + "\n".join(found)
