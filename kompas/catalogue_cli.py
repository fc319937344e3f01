"""The catalogue's reading commands: `kompas catalogue questions|check|stats`.

kompas.cli adds them to its `catalogue` group (COMMANDS), beside the curator's commands.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from kompas.cli_options import LANG_OPTION
from kompas.cli_options import PLATFORMS_OPTION
from kompas.cli_options import QUESTIONS_OPTION
from kompas.cli_options import load_files as _load
from kompas.i18n import _


def _profiles() -> list[dict[str, Any]]:
    """The shipped example answers (see kompas.engine.vendor.example_profiles)."""
    from kompas.engine.vendor import example_profiles

    return example_profiles()


@click.command("questions")
@click.argument("platform")
@QUESTIONS_OPTION
@PLATFORMS_OPTION
@LANG_OPTION
@click.option(
    "--format", "fmt", type=click.Choice(["text", "yaml"]), default="text", show_default=True
)
def catalogue_questions(
    platform: str, questions: str | None, platforms: str | None, fmt: str
) -> None:
    """The questions for a platform's vendor (its unknown facts that matter, most decisive first)."""
    from kompas.engine.vendor import render_fill_in
    from kompas.engine.vendor import render_text
    from kompas.engine.vendor import vendor_questionnaire

    q, c = _load(questions, platforms)
    if platform not in c.index:
        raise click.UsageError(_("Onbekend platform: {ids}").format(ids=platform))
    items = vendor_questionnaire(q, c, platform, _profiles())
    p = c.platform(platform)
    text = render_fill_in(c, p, items) if fmt == "yaml" else render_text(p, items)
    click.echo(text, nl=False)


@click.command("check")
@click.argument("filled", type=click.Path(dir_okay=False, exists=True))
@QUESTIONS_OPTION
@PLATFORMS_OPTION
@LANG_OPTION
def catalogue_check(filled: str, questions: str | None, platforms: str | None) -> None:
    """Check a filled-in vendor questionnaire against the fact schema; exit 1 on problems."""
    from kompas.engine.vendor import read_answers_file

    _q, c = _load(questions, platforms)
    answers = read_answers_file(filled, c)
    for a in answers:
        click.echo(f"{filled}:{a.line}: {a.platform_id}.{a.fact_id}: {a.source} ({a.date})")
    click.echo(_("ok: {n} antwoord(en)").format(n=len(answers)))


@click.command("stats")
@QUESTIONS_OPTION
@PLATFORMS_OPTION
@LANG_OPTION
@click.option(
    "--on",
    "on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Judge the age of sources on this date (default: today).",
)
def catalogue_stats(questions: str | None, platforms: str | None, on: dt.datetime | None) -> None:
    """Known, unknown and not applicable per fact and platform; decision-relevant coverage."""
    from kompas.engine.coverage import render_stats

    q, c = _load(questions, platforms)
    click.echo(render_stats(q, c, on.date() if on else None), nl=False)


COMMANDS = [catalogue_questions, catalogue_check, catalogue_stats]
