"""Import of an answers file: a new dossier from an uploaded YAML file, every problem listed
(routes on the wizard blueprint)."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask import flash
from flask import redirect
from flask import render_template
from flask import url_for

from kompas.engine.answers import normalise_answer
from kompas.engine.answers import text_limit
from kompas.engine.yamlsource import load_text
from kompas.errors import AnswerError
from kompas.errors import DataError
from kompas.i18n import _
from kompas.numbers import format_number
from kompas.store import dossier as dossier_store
from kompas.web import answers_file
from kompas.web.forms import ImportForm
from kompas.web.wizard import bp
from kompas.web.wizard import questionnaire


@bp.route("/importeren", methods=["GET", "POST"])
def import_answers() -> Any:
    """Start a new dossier from an answers YAML file; problems are listed, nothing half-done."""
    form = ImportForm()
    problems: list[str] = []
    if form.validate_on_submit():
        upload = form.answers_file.data
        raw = upload.read(current_app.config["MAX_CONTENT_LENGTH"] + 1)
        upload.close()  # a large upload is a temporary file: close it now, not at GC time
        name = (upload.filename or "antwoorden.yaml")[:100]
        answers, problems = read_answers_upload(raw, name)
        if not problems:
            token, dossier = dossier_store.create_dossier(
                form.municipality.data.strip(),
                (form.advisor.data or "").strip(),
                form.inhabitants.data,
            )
            dossier_store.save_answers(dossier.id, answers)
            flash(
                _(
                    "{n} antwoorden zijn ingelezen in een nieuw dossier. Bewaar de link van deze pagina."
                ).format(n=len(answers)),
                "info",
            )
            return redirect(url_for(".dossier", token=token))
    status = 400 if (form.errors or problems) else 200
    return render_template("wizard/import.html", form=form, problems=problems), status


def _answer_problem(name: str, question: Any, value: Any) -> str:
    kind = question.type
    if kind in ("single", "multiple"):
        hint = _("kies uit: {ids}").format(ids=", ".join(o.id for o in question.options))
    elif kind == "importance":
        hint = _("0, 1, 2, 3 of must")
    elif kind == "yesno":
        hint = _("true (ja) of false (nee)")
    elif kind == "number":
        low = "" if question.minimum is None else format_number(question.minimum)
        high = "" if question.maximum is None else format_number(question.maximum)
        hint = _("een getal van {low} tot {high}").format(low=low, high=high)
    else:
        hint = _("tekst van ten hoogste {n} tekens").format(n=format_number(text_limit(question)))
    shown = repr(value)[:60] if not isinstance(value, str) else f"'{value[:60]}'"
    return _("{name}: {qid}: {value} past niet bij deze vraag ({hint}).").format(
        name=name, qid=question.id, value=shown, hint=hint
    )


def read_answers_upload(raw: bytes, name: str) -> tuple[dict[str, Any], list[str]]:
    """Parse and check an uploaded answers file; returns the answers or every problem found."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return {}, [_("{name}: het bestand is geen UTF-8-tekst.").format(name=name)]
    if not text.strip():
        return {}, [_("{name}: het bestand is leeg.").format(name=name)]
    if answers_file.too_costly(text, questionnaire()):
        return {}, answers_file.scanned_problems(text, name, questionnaire())
    try:
        data = load_text(text, name).plain()
    except DataError as exc:
        return {}, answers_file.capped([str(p) for p in exc.problems])
    if not isinstance(data, dict):
        return {}, [
            _("{name}: verwacht per regel een vraag met een antwoord (vraag: antwoord).").format(
                name=name
            )
        ]
    q = questionnaire()
    answers: dict[str, Any] = {}
    problems = []
    for qid, value in data.items():
        if value is None:
            continue
        if qid not in q.index:
            problems.append(_("{name}: onbekende vraag '{qid}'.").format(name=name, qid=qid))
            continue
        question = q.question(qid)
        try:
            normalised = normalise_answer(question, value)
        except AnswerError:
            problems.append(_answer_problem(name, question, value))
            continue
        answers[qid] = list(normalised) if isinstance(normalised, tuple) else normalised
    return answers, answers_file.capped(problems)
