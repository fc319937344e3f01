"""The PDF advice report: structure, metadata, fonts, no network, and the cached web download.

PDFs are checked by their properties (pypdf and poppler's pdftotext), never byte for byte.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypdf
import pytest

import kompas
from kompas.cli import main
from kompas.cli import read_answers
from kompas.report import cache
from kompas.report import render_pdf
from kompas.report import render_report_html
from kompas.report import section_headings
from kompas.report.formatting import css_string
from tests.conftest import stored_dossier

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
MUNICIPALITY = "Gemeente Proefdorp"
DAY = dt.date(2026, 11, 29)
PDFTOTEXT = "/usr/bin/pdftotext"


def pdf_text(data: bytes, tmp_path: Path, name: str = "report") -> list[str]:
    """The text of every page (pdftotext -layout); fails, never skips, without poppler."""
    tool = shutil.which("pdftotext") or (PDFTOTEXT if Path(PDFTOTEXT).exists() else None)
    if tool is None:
        pytest.fail(
            "pdftotext is missing: install the Debian package poppler-utils "
            "(apt-get install poppler-utils); scripts/ensure-test-services should do this"
        )
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(data)
    out = subprocess.run(
        [tool, "-layout", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    )
    return out.stdout.decode("utf-8").split("\f")


def one_answer(q: kompas.Questionnaire) -> dict[str, Any]:
    """A single answer: the first option of the first choice question that weighs."""
    for question in q.questions:
        if question.type == "multiple":
            for option in question.options:
                if option.activates:
                    return {question.id: [option.id]}
    raise AssertionError("the questionnaire has no multiple choice question that weighs")


@dataclass
class Rendered:
    """One answer set, its advice and its PDF."""

    advice: kompas.Advice
    pdf: bytes
    reader: pypdf.PdfReader


CASES = [p.stem for p in EXAMPLES] + ["leeg", "een-antwoord"]


@pytest.fixture(scope="module")
def rendered(shipped) -> dict[str, Rendered]:
    """Every case rendered once for the whole module."""
    import io

    q, c = shipped
    sets: dict[str, dict[str, Any]] = {p.stem: read_answers(p) for p in EXAMPLES}
    sets["leeg"] = {}
    sets["een-antwoord"] = one_answer(q)
    out = {}
    for name, answers in sets.items():
        advice = kompas.advise(q, c, answers)
        data = render_pdf(advice, q, c, municipality=MUNICIPALITY, advisor="A. Adviseur", date=DAY)
        out[name] = Rendered(advice, data, pypdf.PdfReader(io.BytesIO(data)))
    return out


def outline_titles(reader: pypdf.PdfReader) -> list[str]:
    titles: list[str] = []

    def walk(items: Any) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    return titles


def test_examples_are_there():
    assert {"strenge-eisen"} <= {p.stem for p in EXAMPLES}, "the report tests need the examples"


@pytest.mark.pdf
@pytest.mark.parametrize("name", CASES)
def test_pdf_structure_and_metadata(rendered, name):
    r = rendered[name]
    assert r.pdf.startswith(b"%PDF-")
    assert 3 <= len(r.reader.pages) <= 45
    info = r.reader.metadata
    assert "Advies digitaal buurtplatform" in info.title
    assert MUNICIPALITY in info.title
    root = r.reader.trailer["/Root"]
    assert root["/Lang"] == "nl"
    assert root["/MarkInfo"]["/Marked"] in (True, "true")
    assert "/StructTreeRoot" in root, "the PDF must be tagged"
    xmp = root["/Metadata"].get_object().get_data()
    assert b"pdfuaid" in xmp, "the PDF must declare PDF/UA"


def structure_tags(reader: pypdf.PdfReader) -> list[tuple[str, Any]]:
    """Every structure element of a tagged PDF as (tag, element)."""
    found: list[tuple[str, Any]] = []
    seen: set[int] = set()

    def walk(node: Any) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            for child in node:
                walk(child)
            return
        if not isinstance(node, dict) or id(node) in seen:
            return
        seen.add(id(node))
        if "/S" in node:
            found.append((str(node["/S"]), node))
        if "/K" in node:
            walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


@pytest.mark.pdf
@pytest.mark.parametrize("name", ["burenhulp-dorp", "leeg"])
def test_tagged_structure_has_headings_tables_and_figure_alt_text(rendered, name):
    tags = structure_tags(rendered[name].reader)
    kinds = {t for t, _e in tags}
    assert {"/H1", "/H2", "/P", "/Table", "/TH", "/TD", "/L", "/LI"} <= kinds
    figures = [e for t, e in tags if t == "/Figure"]
    assert all("/Alt" in e and str(e["/Alt"]).strip() for e in figures)
    if rendered[name].advice.active:
        assert figures, "the summary chart is tagged as figures"


@pytest.mark.pdf
def test_rendering_logs_no_weasyprint_problems(shipped, caplog):
    q, c = shipped
    advice = kompas.advise(q, c, read_answers(EXAMPLES[0]))
    from kompas.report.pdf import html_to_pdf

    html = render_report_html(advice, q, c, municipality=MUNICIPALITY, date=DAY)
    with caplog.at_level("WARNING", logger="weasyprint"):
        html_to_pdf(html)
    assert not [r.getMessage() for r in caplog.records if r.levelname in ("WARNING", "ERROR")]


@pytest.mark.pdf
@pytest.mark.parametrize("name", CASES)
def test_bookmarks_name_every_section(rendered, name):
    titles = outline_titles(rendered[name].reader)
    for heading in section_headings():
        assert heading.title in titles


@pytest.mark.pdf
@pytest.mark.parametrize("name", CASES)
def test_every_font_is_embedded(rendered, name):
    reader = rendered[name].reader
    seen = 0
    for page in reader.pages:
        fonts = page["/Resources"].get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            for f in [d.get_object() for d in descendants] if descendants else [font]:
                descriptor = f["/FontDescriptor"].get_object()
                assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, f["/BaseFont"]
                seen += 1
    assert seen


@pytest.mark.pdf
@pytest.mark.parametrize("name", CASES)
def test_text_names_municipality_top_platform_and_sections(rendered, name, tmp_path):
    r = rendered[name]
    pages = pdf_text(r.pdf, tmp_path, name)
    text = "\n".join(pages)
    flat = re.sub(r"\s+", " ", text)
    for heading in section_headings():
        assert heading.title in flat
    top = r.advice.top
    if r.advice.active and top is not None and top.score is not None:
        assert top.platform.name in flat
    body = [p for p in pages if p.strip()]
    assert all(MUNICIPALITY in p for p in body), "the municipality is on every page"
    n = len(r.reader.pages)
    assert f"pagina 2 van {n}" in pages[1]
    # Page 1 is the advice: for whom, when, the first of the shortlist and the next step.
    first = re.sub(r"\s+", " ", pages[0])
    assert MUNICIPALITY in first and "29 november 2026" in first
    assert "Volgende stap" in first
    if r.advice.active and top is not None and top.score is not None:
        assert top.platform.name in first
    # Codes and hashes are in the colophon, not on page 1.
    assert r.advice.catalogue_hash.split(":", 1)[-1][:12] not in first
    assert r.advice.catalogue_hash.split(":", 1)[-1][:12] in flat


def body_lines(page: str) -> int:
    """Lines of body text on a page: every non-empty line but the running header and footer."""
    lines = [line for line in page.splitlines() if line.strip()]
    return max(len(lines) - 2, 0)


def annex_start(pages: list[str]) -> int:
    """The number of the page that opens the annexes (its heading 'Bijlage A.')."""
    for number, page in enumerate(pages, start=1):
        if re.search(r"^\s*Bijlage A\.", page, re.MULTILINE) and number > 1:
            return number
    raise AssertionError("no page starts the annexes")


@pytest.mark.pdf
@pytest.mark.parametrize("name", CASES)
def test_council_part_fits_eight_pages_then_the_annexes(rendered, name, tmp_path):
    pages = [p for p in pdf_text(rendered[name].pdf, tmp_path, name) if p.strip()]
    start = annex_start(pages)
    assert start <= 9, f"the annexes start on page {start}"
    assert pages[start - 1].strip().splitlines()[0].startswith("Bijlage A.")
    # No near-empty pages: about five lines of body text at least, page 1 included.
    thin = [(k, body_lines(p)) for k, p in enumerate(pages, start=1) if body_lines(p) < 4]
    assert not thin, f"near-empty pages (page, lines): {thin}"


@pytest.mark.pdf
def test_no_platform_meets_every_must_have(rendered, tmp_path):
    r = rendered["strenge-eisen"]
    text = re.sub(r"\s+", " ", "\n".join(pdf_text(r.pdf, tmp_path)))
    for excluded in r.advice.excluded:
        assert excluded.platform.name in text
        for criterion in excluded.excluded_by:
            assert criterion.label in text or criterion.text in text
    if r.advice.top and r.advice.top.to_verify:
        assert "te verifiëren" in text or "Verifieer" in text


@pytest.mark.pdf
def test_empty_answers_say_there_is_no_advice_yet(rendered, tmp_path):
    text = re.sub(r"\s+", " ", "\n".join(pdf_text(rendered["leeg"].pdf, tmp_path)))
    assert "nog geen advies" in text


def test_fetcher_refuses_everything_but_its_own_files(tmp_path):
    from kompas.report.pdf import STATIC
    from kompas.report.pdf import RefusedURL
    from kompas.report.pdf import StaticFetcher

    fetcher = StaticFetcher()
    secret = tmp_path / "secret.txt"
    secret.write_text("geheim")
    for url in (
        "http://example.invalid/logo.png",
        "https://example.invalid/font.ttf",
        "ftp://example.invalid/x",
        "data:text/plain,hoi",
        secret.as_uri(),
        (STATIC / ".." / "__init__.py").as_uri(),
        "file://example.invalid" + (STATIC / "report.css").as_posix(),
        STATIC.as_uri(),
    ):
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)
    response = fetcher.fetch((STATIC / "report.css").as_uri())
    assert b"@font-face" in response.read()
    assert response.content_type == "text/css"


@pytest.mark.pdf
def test_markup_in_the_data_is_printed_as_text(tmp_path, caplog):
    """An <img> with a remote URL in the catalogue shows as text and fetches nothing."""
    img = "<img src='http://example.invalid/kompas.png'>"
    source = (ROOT / "kompas" / "data" / "platforms.yaml").read_text(encoding="utf-8")
    changed, n = re.subn(r'(\n    description: ")', lambda m: m.group(1) + img + " ", source)
    assert n
    platforms = tmp_path / "platforms.yaml"
    platforms.write_text(changed, encoding="utf-8")
    q, c = kompas.load(None, platforms)
    advice = kompas.advise(q, c, read_answers(EXAMPLES[0]))
    html = render_report_html(advice, q, c, municipality=MUNICIPALITY)
    assert "&lt;img src=" in html and "<img" not in html
    with caplog.at_level("WARNING", logger="weasyprint"):
        data = render_pdf(advice, q, c, municipality=MUNICIPALITY, date=DAY)
    text = re.sub(r"\s+", " ", "\n".join(pdf_text(data, tmp_path)))
    assert img in text
    assert not [r for r in caplog.records if "example.invalid" in r.getMessage()]


def test_css_strings_cannot_break_out_of_the_style_block():
    assert css_string('Ede"; } </style><script>') == (
        '"Ede\\000022\\00003b\\000020\\00007d\\000020\\00003c\\00002f'
        "style\\00003e\\00003c"
        'script\\00003e"'
    )


def test_importing_the_report_does_not_import_weasyprint():
    code = "import sys, kompas.report; print('weasyprint' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_no_question_criterion_or_platform_id_in_report_code(shipped):
    q, c = shipped
    ids = set(q.index) | set(q.criteria) | {p.id for p in c.platforms}
    code = "\n".join(p.read_text() for p in (ROOT / "kompas" / "report").glob("*.py"))
    literals = set(re.findall(r"[\"']([a-z][a-z0-9_]*)[\"']", code))
    assert not (ids & literals)


@pytest.mark.pdf
def test_cli_writes_the_pdf_with_the_municipality(runner, tmp_path):
    out = tmp_path / "advies.pdf"
    result = runner.invoke(
        main, ["advise", str(EXAMPLES[0]), "--pdf", str(out), "--municipality", "Gemeente Ede"]
    )
    assert result.exit_code == 0, result.output
    assert "Gemeente Ede" in "\n".join(pdf_text(out.read_bytes(), tmp_path))


def test_same_key_at_once_renders_once(tmp_path):
    import threading
    import time

    calls = []

    def slow() -> bytes:
        calls.append(1)
        time.sleep(0.2)
        return b"%PDF-1.7 test"

    key = "test-" + tmp_path.name
    results: list[bytes] = []
    threads = [
        threading.Thread(target=lambda: results.append(cache.cached_pdf(key, slow, tmp_path)))
        for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1
    assert results == [b"%PDF-1.7 test"] * 4
    assert (tmp_path / f"{key}.pdf").read_bytes() == b"%PDF-1.7 test"


# --- the web download ------------------------------------------------------------------


def new_dossier(app, answers: dict[str, Any]) -> str:
    return stored_dossier(app, answers, "Gemeente Proef-Dorp", "A. Adviseur")


@pytest.mark.pdf
def test_web_download_is_a_cached_pdf(app, client, tmp_path):
    folder = tmp_path / "report-cache"
    app.config["KOMPAS_REPORT_CACHE"] = str(folder)
    token = new_dossier(app, read_answers(EXAMPLES[0]))

    page = client.get(f"/d/{token}/advies")
    assert f"/d/{token}/advies.pdf".encode() in page.data

    before = (cache.stats.renders, cache.stats.memory_hits, cache.stats.disk_hits)
    first = client.get(f"/d/{token}/advies.pdf")
    assert first.status_code == 200
    assert first.mimetype == "application/pdf"
    assert first.headers["Content-Disposition"] == (
        'attachment; filename="kompas-advies-gemeente-proef-dorp.pdf"'
    )
    assert first.data.startswith(b"%PDF-")
    files = list(folder.glob("*.pdf"))
    assert len(files) == 1 and files[0].read_bytes() == first.data
    assert cache.stats.renders == before[0] + 1

    second = client.get(f"/d/{token}/advies.pdf")
    assert second.data == first.data
    assert cache.stats.memory_hits == before[1] + 1
    assert cache.stats.renders == before[0] + 1

    cache.clear_memory()  # as if another app process served the next download
    third = client.get(f"/d/{token}/advies.pdf")
    assert third.data == first.data
    assert cache.stats.disk_hits == before[2] + 1
    assert cache.stats.renders == before[0] + 1

    english = client.get(f"/d/{token}/advies.pdf?lang=en")
    assert english.data != first.data  # a report per language
    assert len(list(folder.glob("*.pdf"))) == 2

    # Deleting the dossier deletes its cached reports too.
    assert client.post(f"/d/{token}/verwijderen").status_code == 302
    assert list(folder.glob("*.pdf")) == []


def test_web_download_of_a_bad_token_is_404(client):
    assert client.get("/d/niet-een-echt-dossier/advies.pdf").status_code == 404


@pytest.mark.pdf
def test_changed_answers_give_a_new_report(app, client, tmp_path, shipped):
    from kompas.store import dossier as dossier_store

    app.config["KOMPAS_REPORT_CACHE"] = str(tmp_path / "report-cache")
    q, _c = shipped
    token = new_dossier(app, {})
    empty = client.get(f"/d/{token}/advies.pdf").data
    with app.app_context():
        dossier = dossier_store.find_dossier(token)
        dossier_store.save_answers(dossier.id, one_answer(q))
    answered = client.get(f"/d/{token}/advies.pdf").data
    assert answered != empty
    assert len(list((tmp_path / "report-cache").glob("*.pdf"))) == 2


# --- issue 14: the council report, short or full, with pictures -------------------------


@pytest.mark.pdf
def test_short_report_is_the_council_part_only(shipped, rendered, tmp_path):
    import io

    q, c = shipped
    full = rendered["burenhulp-dorp"]
    data = render_pdf(
        full.advice, q, c, municipality=MUNICIPALITY, advisor="A. Adviseur", date=DAY, full=False
    )
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) <= 8 < len(full.reader.pages)
    text = re.sub(r"\s+", " ", "\n".join(pdf_text(data, tmp_path, "kort")))
    assert "Bijlage A." not in text and "Bijlage E." not in text
    titles = outline_titles(reader)
    for heading in section_headings(full=False):
        assert heading.title in titles
    assert not [t for t in titles if t.startswith("Bijlage")]
    # The same page 1 as the full report, but for the note that this is the council version.
    first_short = re.sub(r"\s+", " ", pdf_text(data, tmp_path, "kort")[0])
    first_full = re.sub(r"\s+", " ", pdf_text(full.pdf, tmp_path, "vol")[0])
    n_short, n_full = len(reader.pages), len(full.reader.pages)
    assert first_short.replace(" · RAADSVERSIE", "").replace(f"1 van {n_short}", "") == (
        first_full.replace(f"1 van {n_full}", "")
    )


@pytest.mark.pdf
def test_pictures_are_in_the_html_and_the_pdf(shipped, rendered, tmp_path):
    q, c = shipped
    r = rendered["burenhulp-dorp"]
    html = render_report_html(r.advice, q, c, municipality=MUNICIPALITY, date=DAY)
    for kind in ("scores", "weights", "tornado"):
        assert f'class="chart chart-{kind}"' in html
    assert html.count('role="img"') >= 3 and html.count("<desc>") >= 3
    # The chart's own labels are drawn in the PDF: "score (lower–upper)" is only in the chart.
    top = r.advice.ranking[0]
    label = f"{round(top.score)} ({round(top.lower)}–{round(top.upper)})"
    assert label in "\n".join(pdf_text(r.pdf, tmp_path))
    figures = [e for t, e in structure_tags(r.reader) if t == "/Figure"]
    assert len(figures) >= 3 and all(str(e.get("/Alt", "")).strip() for e in figures)


@pytest.mark.pdf
def test_cli_writes_the_short_report(runner, tmp_path):
    out = tmp_path / "kort.pdf"
    args = ["advise", str(EXAMPLES[0]), "--pdf", str(out), "--report", "short"]
    result = runner.invoke(main, [*args, "--municipality", "Gemeente Ede"])
    assert result.exit_code == 0, result.output
    pages = pdf_text(out.read_bytes(), tmp_path)
    assert "Gemeente Ede" in pages[0]
    assert "Bijlage A." not in "\n".join(pages)


@pytest.mark.pdf
def test_web_offers_the_short_and_the_full_report(app, client, tmp_path):
    app.config["KOMPAS_REPORT_CACHE"] = str(tmp_path / "report-cache")
    token = new_dossier(app, read_answers(EXAMPLES[0]))
    page = client.get(f"/d/{token}/advies").get_data(as_text=True)
    assert f"/d/{token}/advies.pdf?rapport=kort" in page
    assert f"/d/{token}/advies.pdf?rapport=volledig" in page
    short = client.get(f"/d/{token}/advies.pdf?rapport=kort")
    full = client.get(f"/d/{token}/advies.pdf?rapport=volledig")
    assert short.status_code == full.status_code == 200
    assert short.headers["Content-Disposition"].endswith('-kort.pdf"')
    import io

    assert len(pypdf.PdfReader(io.BytesIO(short.data)).pages) <= 8
    assert len(pypdf.PdfReader(io.BytesIO(full.data)).pages) > 8
    bad = client.get(f"/d/{token}/advies.pdf?rapport=groot")
    assert bad.status_code == 400 and b"rapport" in bad.data
