"""The PDF advice report for the council: Advice -> HTML (Jinja2 + print CSS) -> PDF.

`import kompas.report` loads Jinja2 and the engine only; WeasyPrint is imported inside
render_pdf(). The report has its own Jinja environment (autoescape on, gettext from
kompas.i18n), so the CLI renders it without Flask.

>>> explanation = kompas.explain(questionnaire, catalogue, answers)
>>> html = render_report_html(explanation, municipality="Ede")
>>> pdf = render_pdf(explanation, municipality="Ede")

An Advice with its questionnaire and catalogue is accepted too; the report then explains
it through kompas.pipeline (the one place that analyses and words an advice).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from pathlib import Path

import jinja2

from kompas.engine.model import Catalogue
from kompas.engine.model import Questionnaire
from kompas.engine.result import Advice
from kompas.errors import ReportError
from kompas.i18n import _
from kompas.i18n import current_language
from kompas.i18n import language as use
from kompas.i18n import ngettext
from kompas.pipeline import Explanation
from kompas.present.words import points
from kompas.report import cache
from kompas.report.compare import cell_legend
from kompas.report.formatting import css_string
from kompas.report.model import ReportMeta
from kompas.report.model import build_report
from kompas.report.model import section_headings

TEMPLATES = Path(__file__).resolve().parent / "templates"


class ReportTooLarge(ReportError):
    """The PDF took longer than its time limit to render (it is not cached)."""


@functools.cache
def environment() -> jinja2.Environment:
    """The report's own Jinja environment: autoescaped, with Kompas's gettext."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_callables(_, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters["css_string"] = css_string
    env.filters["points"] = points  # "3,7" in Dutch, as every other number in the report
    return env


def dossier_reference(dossier_id: int, created: dt.datetime) -> str:
    """A short, non-secret dossier reference for the cover (never the dossier's link)."""
    if created.tzinfo is not None:  # PostgreSQL gives aware times, SQLite naive UTC ones
        created = created.astimezone(dt.UTC).replace(tzinfo=None)
    digest = hashlib.sha256(f"{dossier_id}:{created.isoformat()}".encode()).hexdigest()
    return digest[:8].upper()


def _meta(
    municipality: str,
    advisor: str,
    reference: str,
    date: dt.date | None,
    language: str,
    full: bool = True,
) -> ReportMeta:
    return ReportMeta(
        municipality.strip(), advisor.strip(), reference.strip(), date, language, full
    )


def _html(explanation: Explanation, meta: ReportMeta, fingerprint: str) -> str:
    report = build_report(explanation, meta, fingerprint)
    template = environment().get_template("report.html")
    return template.render(
        r=report,
        h=report.headings,
        legend=cell_legend(),
        sections=section_headings(meta.full),
    )


def _explained(
    subject: Advice | Explanation,
    questionnaire: Questionnaire | None,
    catalogue: Catalogue | None,
    language: str,
) -> Explanation:
    """The explanation to report on: given, or made by the pipeline for a bare Advice."""
    if isinstance(subject, Explanation):
        return subject
    if questionnaire is None or catalogue is None:
        raise TypeError("an Advice needs its questionnaire and catalogue")
    from kompas.pipeline import explain_advice

    return explain_advice(subject, questionnaire, catalogue, language)


def _advice(subject: Advice | Explanation) -> Advice:
    return subject.advice if isinstance(subject, Explanation) else subject


def render_report_html(
    subject: Advice | Explanation,
    questionnaire: Questionnaire | None = None,
    catalogue: Catalogue | None = None,
    *,
    municipality: str = "",
    advisor: str = "",
    reference: str = "",
    date: dt.date | None = None,
    language: str | None = None,
    full: bool = True,
) -> str:
    """The report as standalone HTML (its stylesheet and fonts are relative to static/).

    full=False gives the council part only (at most eight pages, no annexes).
    """
    language = language or _language(subject)
    meta = _meta(municipality, advisor, reference, date, language, full)
    with use(language):
        explanation = _explained(subject, questionnaire, catalogue, language)
        return _html(explanation, meta, cache.advice_fingerprint(explanation.advice))


def _stance(subject: Advice | Explanation) -> str:
    """The stance the report's probable shortlist assumes (an Advice gets the neutral one)."""
    return subject.probable.acceptability.stance if isinstance(subject, Explanation) else "neutraal"


def _language(subject: Advice | Explanation) -> str:
    return subject.language if isinstance(subject, Explanation) else current_language()


def render_pdf(
    subject: Advice | Explanation,
    questionnaire: Questionnaire | None = None,
    catalogue: Catalogue | None = None,
    *,
    municipality: str = "",
    advisor: str = "",
    reference: str = "",
    date: dt.date | None = None,
    language: str | None = None,
    cache_dir: Path | None = None,
    timeout: float | None = None,
    full: bool = True,
) -> bytes:
    """The report as PDF/UA-1 bytes, served from the cache when nothing it shows changed.

    Written in `language` (default: the current one); the advice should be in it too.
    full=False gives the council part only (at most eight pages, no annexes).
    With a timeout the PDF is rendered in a child process, stopped after that many seconds
    (ReportTooLarge); a report that was too large recently fails at once.
    """
    language = language or _language(subject)
    advice = _advice(subject)
    meta = _meta(municipality, advisor, reference, date, language, full)
    if meta.date is None:
        from kompas.report.model import report_date

        meta = ReportMeta(
            meta.municipality,
            meta.advisor,
            meta.reference,
            report_date(advice, meta),
            language,
            full,
        )
    fingerprint = cache.advice_fingerprint(advice)
    key = cache.report_key(fingerprint, meta, language, _stance(subject))

    def render() -> bytes:
        with use(language):
            explanation = _explained(subject, questionnaire, catalogue, language)
            html = _html(explanation, meta, fingerprint)
        from kompas.report.isolated import RenderTimeout
        from kompas.report.isolated import html_to_pdf_within

        try:
            if timeout is not None:
                return html_to_pdf_within(html, timeout)
            from kompas.report.pdf import html_to_pdf

            return html_to_pdf(html)
        except RenderTimeout as exc:
            cache.remember_too_large(key)
            raise ReportTooLarge(str(exc)) from exc
        except Exception as exc:  # WeasyPrint raises many kinds; report them as one
            raise ReportError(f"the PDF report could not be rendered: {exc}") from exc

    if cache.recently_too_large(key):
        raise ReportTooLarge("this report took too long to render a moment ago")
    return cache.cached_pdf(key, render, cache_dir)


__all__ = [
    "ReportError",
    "ReportMeta",
    "ReportTooLarge",
    "dossier_reference",
    "render_pdf",
    "render_report_html",
    "section_headings",
]
