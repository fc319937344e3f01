"""Advice page, exports (YAML, JSON, CSV) and import of an answers file."""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Response
from flask import current_app
from flask import flash
from flask import redirect
from flask import render_template
from flask import url_for

from kompas.engine import advise
from kompas.engine import to_record
from kompas.engine.answers import normalise_answer
from kompas.engine.model import Catalogue
from kompas.engine.result import Advice
from kompas.engine.yamlsource import load_text
from kompas.errors import AnswerError
from kompas.errors import DataError
from kompas.i18n import _
from kompas.web import db
from kompas.web.forms import ImportForm
from kompas.web.present import advice_csv
from kompas.web.present import answers_yaml
from kompas.web.wizard import bp
from kompas.web.wizard import dossier_or_404
from kompas.web.wizard import questionnaire
from kompas.web.wizard import section_status

DETAILS = 5


def catalogue() -> Catalogue:
    """The catalogue the app was started with."""
    return current_app.extensions["kompas"]["catalogue"]  # type: ignore[no-any-return]


def dossier_advice(dossier: db.Dossier, stored: dict[str, Any] | None = None) -> Advice:
    """The advice for a dossier's saved answers (stale answers set aside, never fatal)."""
    if stored is None:
        stored = db.load_answers(dossier.id)
    return advise(questionnaire(), catalogue(), stored, strict=False)


def _filename(dossier: db.Dossier, suffix: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", dossier.municipality.lower()).strip("-") or "dossier"
    return f"kompas-{slug[:40]}-{suffix}"


def _download(body: str | bytes, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _names(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return _("{first} en {last}").format(first=", ".join(names[:-1]), last=names[-1])


def summary_lines(advice: Advice) -> list[str]:
    """The advice in a few plain Dutch sentences (what leads, ties, exclusions)."""
    if not advice.ranking:
        return []
    top = advice.ranking[0]
    tied = [r.platform.name for r in advice.ranking if r.rank == top.rank]
    values = {
        "n": len(advice.active),
        "s": f"{top.score or 0:.0f}",
        "l": f"{top.lower or 0:.0f}",
        "u": f"{top.upper or 0:.0f}",
    }
    if len(tied) == 1:
        lines = [
            _(
                "Op basis van {n} meegewogen criteria past {p} het best, met een score van {s} (bandbreedte {l}–{u})."
            ).format(p=tied[0], **values)
        ]
    else:
        lines = [
            _(
                "Op basis van {n} meegewogen criteria scoren {p} gelijk, met een score van {s}."
            ).format(p=_names(tied), **values)
            + " "
            + _("Beantwoord meer vragen om ze te onderscheiden.")
        ]
    rest = [r for r in advice.ranking if r.rank != top.rank][:2]
    if rest:
        lines.append(
            _("Daarna volgen {names}.").format(
                names=_names([f"{r.platform.name} ({r.score or 0:.0f})" for r in rest])
            )
        )
    excluded = len(advice.excluded)
    lines.append(
        _("Geen enkel platform valt af door een eis.")
        if not excluded
        else _("Eén platform valt af door een eis.")
        if excluded == 1
        else _("{n} platforms vallen af door een eis.").format(n=excluded)
    )
    return lines


@bp.get("/d/<token>/advies")
def advice(token: str) -> str:
    """The ranked, explained advice with exclusions and questions for vendors."""
    dossier = dossier_or_404(token)
    stored = db.load_answers(dossier.id)
    result = dossier_advice(dossier, stored)
    q = questionnaire()
    because = {a.id: [(b.question, b.answer) for b in a.because] for a in result.active}
    return render_template(
        "wizard/advice.html",
        summary=summary_lines(result),
        status=section_status(stored),
        dossier=dossier,
        token=token,
        advice=result,
        details=DETAILS,
        because=because,
        questionnaire=q,
        catalogue=catalogue(),
        vendor_questions=result.vendor_questions(DETAILS),
        stale=[i for i in result.ignored if i.reason != "hidden"],
    )


@bp.get("/d/<token>/antwoorden.yaml")
def export_answers(token: str) -> Response:
    """The answers as YAML, the same format `kompas advise` reads."""
    dossier = dossier_or_404(token)
    body = answers_yaml(questionnaire(), dossier, db.load_answers(dossier.id))
    return _download(body, "application/yaml", _filename(dossier, "antwoorden.yaml"))


@bp.get("/d/<token>/advies.json")
def export_record(token: str) -> Response:
    """The advice as a JSON decision record."""
    dossier = dossier_or_404(token)
    record = to_record(dossier_advice(dossier))
    record["dossier"] = {"municipality": dossier.municipality, "advisor": dossier.advisor or None}
    body = json.dumps(record, indent=2, ensure_ascii=False) + "\n"
    return _download(body, "application/json", _filename(dossier, "advies.json"))


@bp.get("/d/<token>/advies.csv")
def export_csv(token: str) -> Response:
    """The ranking as CSV (semicolons, decimal commas) for a spreadsheet."""
    dossier = dossier_or_404(token)
    return _download(
        advice_csv(dossier_advice(dossier)), "text/csv", _filename(dossier, "advies.csv")
    )


@bp.route("/importeren", methods=["GET", "POST"])
def import_answers() -> Any:
    """Start a new dossier from an answers YAML file; every problem is listed, nothing half-done."""
    form = ImportForm()
    problems: list[str] = []
    if form.validate_on_submit():
        upload = form.answers_file.data
        raw = upload.read() if upload else b""
        name = (getattr(upload, "filename", "") or "antwoorden.yaml")[:100]
        answers, problems = read_answers_upload(raw, name)
        if not problems:
            token, dossier = db.create_dossier(
                form.municipality.data.strip(),
                (form.advisor.data or "").strip(),
                form.inhabitants.data,
            )
            db.save_answers(dossier.id, answers)
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
        low = "" if question.minimum is None else f"{question.minimum:g}"
        high = "" if question.maximum is None else f"{question.maximum:g}"
        hint = _("een getal van {low} tot {high}").format(low=low, high=high)
    else:
        hint = _("tekst van hoogstens 5000 tekens")
    shown = repr(value) if not isinstance(value, str) else f"'{value[:60]}'"
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
    try:
        data = load_text(text, name).plain()
    except DataError as exc:
        return {}, [str(p) for p in exc.problems]
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
    return answers, problems
