"""The `kompas` command line: validate, template, advise, platforms, serve, db."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING
from typing import Any

import click

from kompas import db_cli
from kompas.cli_options import LANG_OPTION
from kompas.cli_options import PLATFORMS_OPTION
from kompas.cli_options import QUESTIONS_OPTION
from kompas.cli_options import data_files
from kompas.cli_options import load_files as _load
from kompas.engine import validate as validate_files
from kompas.engine.answers import answer_problems
from kompas.engine.yamlsource import load_file
from kompas.errors import AnswerError
from kompas.errors import DataError
from kompas.errors import KompasError
from kompas.i18n import _

if TYPE_CHECKING:  # the pipeline loads only when a command needs it
    from kompas.engine.probable import Probable
    from kompas.pipeline import Explanation


class _Group(click.Group):
    """A group that reports KompasError as a clean message with exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KompasError as exc:
            raise click.ClickException(str(exc)) from None


@click.group(cls=_Group)
@click.version_option(package_name="kompas")
def main() -> None:
    """Kompas: transparent advice on digital neighbourhood platforms."""


@main.command()
@QUESTIONS_OPTION
@PLATFORMS_OPTION
@click.option("--strict", is_flag=True, help="Also fail on warnings (lints, unknown keys).")
def validate(questions: str | None, platforms: str | None, strict: bool) -> None:
    """Check questions.yaml and platforms.yaml; exit 1 on errors."""
    report = validate_files(*data_files(questions, platforms))
    shown = report.errors + report.warnings + (report.untranslated if strict else ())
    for problem in shown:
        click.echo(str(problem), err=True)
    if not report.ok(strict):
        n, w = len(report.errors), len(report.warnings)
        click.echo(f"{n} error(s), {w} warning(s)" + (" (--strict)" if strict else ""), err=True)
        sys.exit(1)
    q, c = report.questionnaire, report.catalogue
    assert q is not None and c is not None  # no errors: both files were loaded
    click.echo(
        f"ok: {len(q.questions)} questions in {len(q.sections)} sections, "
        f"{len(q.criteria)} criteria, {len(c.platforms)} platforms, "
        f"{len(report.warnings)} warning(s)"
    )


@main.command()
@QUESTIONS_OPTION
@LANG_OPTION
def template(questions: str | None) -> None:
    """Print an answers file with every question, its options and help as comments."""
    from kompas.answers_template import render_template
    from kompas.engine import load_questionnaire

    click.echo(render_template(load_questionnaire(data_files(questions, None)[0])), nl=False)


@main.command()
@click.argument("answers", type=click.Path(dir_okay=False, exists=True))
@QUESTIONS_OPTION
@PLATFORMS_OPTION
@LANG_OPTION
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--details", default=5, show_default=True, help="How many platforms to explain in full."
)
@click.option(
    "--pdf",
    "pdf",
    type=click.Path(dir_okay=False),
    default=None,
    help="Also write the PDF report here.",
)
@click.option(
    "--municipality",
    default="",
    help="The municipality's name for the PDF report's cover and page footers.",
)
@click.option(
    "--facts",
    "facts",
    type=click.Path(dir_okay=False, exists=True),
    default=None,
    help="Local facts (e.g. what a vendor said) that overlay the catalogue for this advice.",
)
@click.option(
    "--report",
    "report_kind",
    type=click.Choice(["short", "full"]),
    default="full",
    show_default=True,
    help="The PDF: the council part only (short) or with every annex (full).",
)
@click.option(
    "--stance",
    type=click.Choice(["neutraal", "voorzichtig"]),
    default="neutraal",
    show_default=True,
    help="The probable shortlist's assumption: an unknown fact as likely yes as no (neutraal), "
    "or three times as likely unfavourable (voorzichtig).",
)
def advise(
    answers: str,
    questions: str | None,
    platforms: str | None,
    fmt: str,
    details: int,
    pdf: str | None,
    municipality: str,
    facts: str | None,
    report_kind: str,
    stance: str,
) -> None:
    """Rank and explain every platform for an answers file."""
    from kompas.engine.probable import ask

    explanation = _explain_file(answers, questions, platforms, facts, stance)
    q, c = explanation.questionnaire, explanation.catalogue  # c: local facts included
    # The pipeline computed the shares; the CLI adds the (slower) vendor question ranking.
    likely = ask(q, c, explanation.advice.answers, explanation.probable)
    if pdf:
        from kompas.report import render_pdf

        Path(pdf).write_bytes(
            render_pdf(explanation, municipality=municipality, full=report_kind == "full")
        )
    if fmt == "json":
        import json

        from kompas.engine.probable import probable_record

        record = explanation.record()
        record["acceptability"] = probable_record(likely)
        click.echo(json.dumps(record, indent=2, ensure_ascii=False))
    else:
        _echo_text(explanation, likely, details)


def _explain_file(
    answers: str, questions: str | None, platforms: str | None, facts: str | None, stance: str
) -> Explanation:
    """The explained advice for an answers file; each answer problem named with its line."""
    from kompas.engine.vendor import local_fact_map
    from kompas.engine.vendor import read_answers_file
    from kompas.pipeline import explain

    q, c = _load(questions, platforms)
    local = local_fact_map(read_answers_file(facts, c, local=True)) if facts else {}
    raw, lines = read_answers_with_lines(answers)
    problems = answer_problems(q, raw)
    if problems:
        raise KompasError(
            "\n".join(
                f"{answers}:{lines.get(p.question_id, 0)}: {answer_problem_text(p)}"
                for p in sorted(problems, key=lambda p: lines.get(p.question_id, 0))
            )
        )
    try:
        return explain(q, c, raw, local_facts=local, stance=stance)
    except AnswerError as exc:
        raise KompasError(f"{answers}: {answer_problem_text(exc)}") from None


def _echo_text(explanation: Explanation, likely: Probable, details: int) -> None:
    """The advice, how sure it is and the probable shortlist as terminal text."""
    from kompas.present.probable import probable_lines
    from kompas.present.probable import probable_story
    from kompas.textview import render_advice
    from kompas.textview import render_analysis

    q, c, story = explanation.questionnaire, explanation.catalogue, explanation.story
    click.echo(render_advice(explanation.advice, story, details) + render_analysis(story), nl=False)
    click.echo("\n" + "\n".join(probable_lines(probable_story(likely, q, c))))
    local = explanation.advice.local_facts  # the vendors' facts the advice overlaid
    if local:
        from kompas.engine.vendor import local_fact_lines

        click.echo("\n" + _("Feiten van leveranciers (alleen voor dit advies):"))
        for line in local_fact_lines(local, q, c):
            click.echo(f"  {line}")


def read_answers(path: str | Path) -> dict[str, Any]:
    """Read an answers YAML file; KompasError naming the file when it does not fit."""
    return read_answers_with_lines(path)[0]


def read_answers_with_lines(path: str | Path) -> tuple[dict[str, Any], dict[str, int]]:
    """An answers file's answers and the line of each question id in it."""
    try:
        tree, _raw = load_file(path)
    except DataError as exc:
        if "the file is empty" in str(exc):
            return {}, {}
        raise
    raw = tree.plain()
    if not isinstance(raw, dict):
        raise KompasError(f"{path}: expected question ids with answers (question: answer)")
    lines = {str(k): node.location.line for k, node in tree.value.items()}
    return raw, lines


def answer_problem_text(problem: AnswerError) -> str:
    """One answer problem in the user's language, with a 'did you mean' where one fits."""
    params = problem.params
    value = _shown(problem.value)
    texts = {
        "question": _("onbekende vraag {question}"),
        "option": _("{value} is geen keuze bij deze vraag"),
        "list": _("verwacht een lijst met keuzes"),
        "importance": _("verwacht belang 0, 1, 2, 3 of must"),
        "yesno": _("verwacht ja of nee"),
        "number": _("verwacht een getal"),
        "below": _("verwacht minstens {limit}"),
        "above": _("verwacht hoogstens {limit}"),
        "text": _("verwacht tekst"),
        "too_long": _("de tekst is langer dan {limit} tekens"),
    }
    template = texts.get(problem.kind)
    if template is None:
        return str(problem)
    text = template.format(
        question=repr(problem.question_id),
        value=_shown(params.get("item", problem.value)) if problem.kind == "option" else value,
        limit=f"{params.get('limit', '')}".removesuffix(".0"),
    )
    close = params.get("close")
    if close:
        text += " " + _("(bedoelt u {close}?)").format(close=repr(close))
    return text if problem.kind == "question" else f"{problem.question_id}: {text}"


def _shown(value: Any) -> str:
    return repr(value) if isinstance(value, str) else str(value)


@main.command()
@click.argument("ids", nargs=-1)
@QUESTIONS_OPTION
@PLATFORMS_OPTION
@LANG_OPTION
def platforms(ids: tuple[str, ...], questions: str | None, platforms: str | None) -> None:
    """List the catalogue, or show 2-4 platforms side by side with sources."""
    from kompas.textview import render_catalogue
    from kompas.textview import render_comparison

    q, c = _load(questions, platforms)
    if not ids:
        click.echo(render_catalogue(c), nl=False)
        return
    if len(ids) > 4:
        raise click.UsageError(_("Vergelijk hoogstens 4 platforms tegelijk."))
    missing = [i for i in ids if i not in c.index]
    if missing:
        raise click.UsageError(_("Onbekend platform: {ids}").format(ids=", ".join(missing)))
    click.echo(render_comparison(c, [c.platform(i) for i in ids], q), nl=False)


main.add_command(db_cli.db)


# The production server: threads let a worker that waits for a PDF child (up to
# KOMPAS_PDF_TIMEOUT) keep serving others; the connection cap bounds what one worker queues.
PRODUCTION_WORKERS = 2
PRODUCTION_THREADS = 4
PRODUCTION_CONNECTIONS = 100


def production_command(host: str, port: int, workers: int, threads: int) -> list[str]:
    """The gunicorn command line `kompas serve --production` runs (docs/reliability.md)."""
    return [
        "gunicorn",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-connections",
        str(PRODUCTION_CONNECTIONS),
        "--bind",
        f"{host}:{port}",
        "kompas.web:create_app()",
    ]


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=None, type=int, help="Default 5000, with --production 8000.")
@click.option(
    "--production",
    is_flag=True,
    help="Run gunicorn with threads, as docs/reliability.md describes (no development server).",
)
@click.option("--workers", default=PRODUCTION_WORKERS, show_default=True, type=click.IntRange(1))
@click.option("--threads", default=PRODUCTION_THREADS, show_default=True, type=click.IntRange(1))
@click.option("--dry-run", is_flag=True, help="With --production: print the command only.")
def serve(
    host: str, port: int | None, production: bool, workers: int, threads: int, dry_run: bool
) -> None:
    """Run the wizard: Flask's development server (upgrades the database first), or with
    --production gunicorn on the configured database (run `kompas db upgrade` first)."""
    if production:
        command = production_command(host, port or 8000, workers, threads)
        if dry_run:
            click.echo(" ".join(f'"{a}"' if "(" in a else a for a in command))
            return
        # gunicorn from this environment, in place of this process (signals reach it).
        os.execv(sys.executable, [sys.executable, "-m", *command])
    from kompas.web import create_app
    from kompas.web.migrate import upgrade

    os.environ.setdefault("KOMPAS_DEV", "1")
    # The development server brings its database up to date itself (a fresh checkout too).
    app = create_app(migrating=True)
    upgrade(app)
    port = port or 5000
    click.echo(f"Kompas: http://{host}:{port}/")
    app.run(host=host, port=port, debug=False, use_reloader=False)


@main.group()
def catalogue() -> None:
    """The vendor loop: questions for vendors, their answers, the curator's review, stats."""


def _catalogue_commands() -> None:
    """Add the catalogue's reading commands (kompas.catalogue_cli) to `catalogue`."""
    from kompas import catalogue_cli

    for command in catalogue_cli.COMMANDS:
        catalogue.add_command(command)


_catalogue_commands()


def _curator_commands() -> None:
    """Add the curator's commands (kompas.curator_cli) to `catalogue`."""
    from kompas import curator_cli

    for command in curator_cli.COMMANDS:
        # Review prints in the chosen language like the other catalogue commands.
        catalogue.add_command(LANG_OPTION(command) if command.name == "review" else command)


_curator_commands()


def _round_commands() -> None:
    """Add `kompas round` (kompas.round_cli), its commands in the chosen language."""
    from kompas import round_cli

    for command in round_cli.round_group.commands.values():
        LANG_OPTION(command)
    main.add_command(round_cli.round_group)


_round_commands()
