"""Options shared by the `kompas` commands: data files, language, and loading both files."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from kompas.i18n import DEFAULT
from kompas.i18n import LANGUAGES
from kompas.i18n import reset_language
from kompas.i18n import set_language

QUESTIONS_OPTION = click.option(
    "--questions",
    "questions",
    type=click.Path(dir_okay=False),
    default=None,
    help="questions.yaml to use (default: the configured one, else the shipped one).",
)


def _set_language(ctx: click.Context, _param: click.Parameter, value: str) -> str:
    """Set the language for this command and reset it when the command ends."""
    token = set_language(value)
    ctx.call_on_close(lambda: reset_language(token))
    return value


LANG_OPTION = click.option(
    "--lang",
    type=click.Choice(list(LANGUAGES)),
    default=lambda: os.environ.get("KOMPAS_LANG", DEFAULT),
    show_default="nl",
    expose_value=False,
    is_eager=True,
    callback=_set_language,
    help="Language of the output (Dutch or English).",
)
PLATFORMS_OPTION = click.option(
    "--platforms",
    "platforms",
    type=click.Path(dir_okay=False),
    default=None,
    help="platforms.yaml to use (default: the configured one, else the shipped one).",
)


def data_files(questions: str | None, platforms: str | None) -> tuple[Path, Path]:
    """The options' files, else the ones the server reads (kompas.store.config.data_file:
    the environment variable, else the instance config.py, else the shipped file)."""
    from kompas.store.config import PLATFORMS
    from kompas.store.config import QUESTIONS
    from kompas.store.config import data_file

    return (
        Path(questions) if questions else data_file(QUESTIONS),
        Path(platforms) if platforms else data_file(PLATFORMS),
    )


def load_files(questions: str | None, platforms: str | None) -> tuple[Any, Any]:
    """The questionnaire and catalogue: the options' files, else the configured ones."""
    from kompas import load

    return load(*data_files(questions, platforms))
