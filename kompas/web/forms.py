"""WTForms forms built at run time from the questionnaire (one fresh class per request)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import cache
from typing import Any
from typing import cast

from flask import get_flashed_messages
from flask_wtf import FlaskForm
from markupsafe import Markup
from markupsafe import escape
from werkzeug.datastructures import FileStorage
from wtforms import Field
from wtforms import FileField
from wtforms import RadioField
from wtforms import SelectChoice
from wtforms import SelectMultipleField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms import ValidationError
from wtforms import widgets
from wtforms.validators import DataRequired
from wtforms.validators import InputRequired
from wtforms.validators import Length
from wtforms.validators import Optional

from kompas.engine.answers import normalise_answer
from kompas.engine.answers import text_limit
from kompas.engine.model import Question
from kompas.errors import AnswerError
from kompas.i18n import _
from kompas.i18n import current_language
from kompas.i18n import lazy_gettext
from kompas.i18n import localise
from kompas.narrative import importance_choices
from kompas.numbers import format_number
from kompas.numbers import parse_number

NO_ANSWER = ""


class KompasForm(FlaskForm):
    """Base form: WTForms' own Dutch messages."""

    class Meta:
        def get_translations(self, form: Any) -> Any:
            """WTForms' own messages in the page's language (its source language is English)."""
            return _wtforms_translations(current_language())


@cache
def _wtforms_translations(code: str) -> Any:
    from wtforms.i18n import get_translations

    return get_translations(["nl_NL", "nl"]) if code == "nl" else None


class CheckboxListField(SelectMultipleField):
    """Several choices as checkboxes, which work without JavaScript."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _choices(pairs: list[tuple[str, str]]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def _field(question: Question) -> Field:
    label = localise(question.text)
    kind = question.type
    if kind == "single":
        choices = [(o.id, localise(o.label)) for o in question.options]
        choices.append((NO_ANSWER, _("Geen antwoord")))
        return RadioField(
            label, choices=_choices(choices), default=NO_ANSWER, validators=[Optional()]
        )
    if kind == "multiple":
        return CheckboxListField(
            label, choices=_choices([(o.id, localise(o.label)) for o in question.options])
        )
    if kind == "importance":
        return RadioField(
            label,
            choices=_choices(importance_choices()),
            default=NO_ANSWER,
            validators=[Optional()],
        )
    if kind == "yesno":
        choices = [("ja", _("Ja")), ("nee", _("Nee")), (NO_ANSWER, _("Geen antwoord"))]
        return RadioField(
            label, choices=_choices(choices), default=NO_ANSWER, validators=[Optional()]
        )
    if kind == "number":
        return StringField(label, validators=[Optional(), Length(max=40), _NumberCheck(question)])
    return TextAreaField(
        label,
        validators=[
            Optional(),
            Length(
                max=text_limit(question),
                message=_("Gebruik ten hoogste %(max)d tekens; dit antwoord heeft er %(length)d."),
            ),
        ],
    )


class _NumberCheck:
    """Read a number as written in the page's language (15.000 or 15,000), then check it."""

    def __init__(self, question: Question) -> None:
        self.question = question

    def __call__(self, form: Any, field: Field) -> None:
        try:
            normalise_answer(self.question, _number(field.data))
        except AnswerError:
            low, high = self.question.minimum, self.question.maximum
            if low is not None and high is not None:
                raise ValidationError(
                    _("Vul een getal in tussen {low} en {high}.").format(
                        low=format_number(low), high=format_number(high)
                    )
                ) from None
            raise ValidationError(_("Vul een getal in.")) from None


def build_step_form(questions: tuple[Question, ...] | list[Question]) -> type[KompasForm]:
    """A form class with one field per question, in questionnaire order."""

    class StepForm(KompasForm):
        pass

    for question in questions:
        setattr(StepForm, question.id, _field(question))
    return StepForm


def form_value(question: Question, answer: Any) -> Any:
    """A stored answer as the form field's data."""
    if answer is None:
        return [] if question.type == "multiple" else NO_ANSWER
    if question.type == "multiple":
        return list(answer)
    if question.type == "yesno":
        return "ja" if answer else "nee"
    if question.type == "number":
        return format_number(answer)
    return str(answer)


def submitted_answers(questions: Iterable[Question], form: Any) -> tuple[dict[str, Any], set[str]]:
    """A validated form's answers to store, and the questions it left without an answer."""
    values: dict[str, Any] = {}
    cleared: set[str] = set()
    for question in questions:
        value = answer_value(question, form[question.id].data)
        if value is None:
            cleared.add(question.id)
        else:
            values[question.id] = value
    return values, cleared


def answer_value(question: Question, data: Any) -> Any:
    """The form field's data as an answer for the engine; None means 'no answer'."""
    if question.type == "multiple":
        return list(data) if data else None
    if data is None or (isinstance(data, str) and not data.strip()):
        return None
    if question.type == "yesno":
        return data == "ja"
    if question.type == "text":
        return data
    if question.type == "number":
        return normalise_answer(question, _number(data))
    return normalise_answer(question, data)


NAME_MAX = 100  # municipality and advisor: a name, not a text


def strip_text(value: Any) -> Any:
    """A typed name without the blanks around it."""
    return value.strip() if isinstance(value, str) else value


def one_line(form: Any, field: Field) -> None:
    """Refuse line breaks and other control characters in a name (they would end up in
    file headers, report covers and log lines)."""
    if isinstance(field.data, str) and any(
        unicodedata.category(ch) in ("Cc", "Zl", "Zp") for ch in field.data
    ):
        raise ValidationError(_("Gebruik één regel tekst, zonder regeleinden of tabs."))


def name_validators(required: bool) -> list[Any]:
    """Checks for a name: present if required, at most NAME_MAX characters, one line."""
    first: Any = (
        DataRequired(lazy_gettext("Vul een naam in (niet alleen spaties)."))
        if required
        else Optional()
    )
    return [
        first,
        Length(max=NAME_MAX, message=lazy_gettext("Gebruik ten hoogste %(max)d tekens.")),
        one_line,
    ]


def _number(data: Any) -> Any:
    """A typed number read in the current language (the raw text when it is not one)."""
    if not isinstance(data, str):
        return data
    value = parse_number(data)
    return data if value is None else value


MAX_INHABITANTS = 20_000_000


def whole_inhabitants(form: Any, field: Field) -> None:
    """Read the number of inhabitants as step 3 reads it ('62.000' in Dutch), as a whole
    number from 1 to MAX_INHABITANTS; the field's data becomes that int."""
    value = _number(field.data)
    if (
        not isinstance(value, int | float)
        or isinstance(value, bool)
        or value != int(value)  # parse_number gives only finite floats
        or not 1 <= value <= MAX_INHABITANTS
    ):
        raise ValidationError(
            _("Vul een getal in tussen {low} en {high}.").format(
                low=format_number(1), high=format_number(MAX_INHABITANTS)
            )
        )
    field.data = int(value)


class NewDossierForm(KompasForm):
    """What is needed to start: the municipality (advisor and inhabitants optional)."""

    municipality = StringField(
        lazy_gettext("Naam van de gemeente"),
        validators=name_validators(required=True),
        filters=[strip_text],
    )
    advisor = StringField(
        lazy_gettext("Uw naam (optioneel)"),
        validators=name_validators(required=False),
        filters=[strip_text],
    )
    inhabitants = StringField(
        lazy_gettext("Aantal inwoners (optioneel)"),
        validators=[Optional(), Length(max=40), whole_inhabitants],
        filters=[lambda v: (v.strip() or None) if isinstance(v, str) else v],
    )


def uploaded_file(form: Any, field: Field) -> None:
    """The field must carry a file (a text field of the same name is a forged form)."""
    if not isinstance(field.data, FileStorage):
        raise ValidationError(_("Kies een antwoordenbestand om te uploaden."))


class ImportForm(NewDossierForm):
    """Start a dossier from an answers file (the YAML that `kompas advise` reads)."""

    answers_file = FileField(
        lazy_gettext("Antwoordenbestand (YAML)"), validators=[InputRequired(), uploaded_file]
    )


class ConfirmForm(KompasForm):
    """A form that carries only the CSRF token (delete, reset)."""


def choice_inputs(field: Field, kind: str) -> Markup:
    """A choice field's radio buttons or checkboxes as a list, each with its label.

    Written out here rather than in the template or through WTForms' widgets: the same
    accessible markup at a fraction of the cost, on the pages served most.
    """
    items = []
    for i, (value, label, selected, _kw) in enumerate(field.iter_choices()):
        ident = f"{field.id}-{i}"
        checked = " checked" if selected else ""
        items.append(
            f'<li><input type="{kind}" name="{escape(field.name)}" id="{escape(ident)}" '
            f'value="{escape(value)}"{checked}> <label for="{escape(ident)}">{escape(label)}</label></li>'
        )
    return Markup("<ul>" + "".join(items) + "</ul>")


def flashed_messages() -> list[tuple[str, str]]:
    """This request's flashed messages as (category, message)."""
    return cast("list[tuple[str, str]]", get_flashed_messages(with_categories=True))
