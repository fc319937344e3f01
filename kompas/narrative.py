"""Answers and importances in words, for the wizard, the workshop and the report.

What the advice *says* (headline, ties, robustness, combinations) lives in the
presentation model, kompas.present; this module only words the advisor's
own answers.
"""

from __future__ import annotations

from typing import Any

from kompas.engine.model import MUST
from kompas.engine.model import Question
from kompas.i18n import _
from kompas.i18n import localise
from kompas.numbers import format_number


def importance_choices() -> list[tuple[str, str]]:
    """The importance scale as form choices, from 'maakt niet uit' to 'eis'."""
    return [
        ("0", _("Maakt niet uit")),
        ("1", _("Enigszins belangrijk")),
        ("2", _("Belangrijk")),
        ("3", _("Zeer belangrijk")),
        (MUST, _("Eis: moet")),
        ("", _("Geen antwoord")),
    ]


def importance_label(level: Any) -> str:
    """An importance in words, as the wizard shows it."""
    return dict(importance_choices()).get(str(level), str(level))


def describe_answer(question: Question, value: Any) -> str:
    """An answer in words, in the current language, as the advisor chose it."""
    if value is None:
        return ""
    kind = question.type
    if kind == "single":
        option = question.option(value)
        return localise(option.label) if option else str(value)
    if kind == "multiple":
        labels = [localise(o.label) for o in question.options if o.id in value]
        return "; ".join(labels) if labels else _("niets gekozen")
    if kind == "importance":
        return importance_label(value)
    if kind == "yesno":
        return _("Ja") if value else _("Nee")
    if kind == "number":
        unit = f" {localise(question.unit)}" if question.unit else ""
        return format_number(value) + unit
    return str(value)
