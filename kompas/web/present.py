"""Turning answers and advice into text, YAML and CSV for people and other tools."""

from __future__ import annotations

import csv
import io
from typing import Any

import yaml

from kompas.engine.answers import normalise_answer
from kompas.engine.model import Questionnaire
from kompas.engine.result import Advice
from kompas.errors import AnswerError
from kompas.i18n import _
from kompas.numbers import format_fixed
from kompas.store.dossier import Dossier


def valid_answers(questionnaire: Questionnaire, stored: dict[str, Any]) -> dict[str, Any]:
    """The stored answers that still fit the questionnaire, in questionnaire order."""
    result = {}
    for question in questionnaire.questions:
        if question.id in stored and stored[question.id] is not None:
            try:
                result[question.id] = normalise_answer(question, stored[question.id])
            except AnswerError:
                continue
    return result


def answers_yaml(questionnaire: Questionnaire, dossier: Dossier, stored: dict[str, Any]) -> str:
    """The answers as the YAML file `kompas advise` reads, with a short header."""
    values = {
        k: list(v) if isinstance(v, tuple) else v
        for k, v in valid_answers(questionnaire, stored).items()
    }
    header = [
        _("Antwoorden uit Kompas voor {municipality}").format(municipality=dossier.municipality),
        _("Vragenlijst {version}; gebruik: kompas advise <dit bestand>").format(
            version=questionnaire.version
        ),
    ]
    body = (
        yaml.safe_dump(
            values, allow_unicode=True, sort_keys=False, default_flow_style=None, width=88
        )
        if values
        else "{}\n"
    )
    return "".join(yaml_comment(line) for line in header) + body


def yaml_comment(text: str) -> str:
    """The text as one YAML comment line."""
    # Every kind of line break (YAML also breaks on U+0085, U+2028, U+2029) becomes a space:
    # a name, even one stored before names were checked, can never start a line of data.
    return "# " + " ".join(text.split()) + "\n"


def advice_csv(advice: Advice) -> str:
    """One row per platform: rank, scores, exclusions and what is still to verify."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            _("rang"),
            _("status"),
            _("platform_id"),
            _("platform"),
            _("score"),
            _("score_min"),
            _("score_max"),
            _("passend"),
            _("bekend"),
            _("uitgesloten_door"),
            _("te_verifieren"),
        ]
    )

    def num(value: float | None) -> str:
        return "" if value is None else format_fixed(value, 1)

    # Every platform of the catalogue has a row; the status says why an unranked one is out.
    groups = (
        (advice.ranking, _("kandidaat")),
        (advice.complements, _("aanvulling")),
        (advice.aside, _("onder de streep")),
        (advice.excluded, _("valt af")),
        (advice.examples, _("voorbeeld van één gemeente")),
        (advice.withdrawn, _("gestopt")),
    )
    for results, status in groups:
        for r in results:
            writer.writerow(
                [
                    r.rank or "",
                    status,
                    r.platform.id,
                    r.platform.name,
                    num(r.score),
                    num(r.lower),
                    num(r.upper),
                    num(r.fit),
                    num(r.coverage),
                    " | ".join(c.label for c in r.excluded_by),
                    " | ".join(c.label for c in r.to_verify),
                ]
            )
    # A byte-order mark makes spreadsheet programs read the Dutch characters correctly.
    return "\ufeff" + out.getvalue()
