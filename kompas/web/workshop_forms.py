"""The workshop's forms: which sections participants see, who a participant is, their answers."""

from __future__ import annotations

from typing import Any

from wtforms import SelectChoice
from wtforms import StringField
from wtforms.validators import DataRequired
from wtforms.validators import Length

from kompas.engine.model import Question
from kompas.engine.workshop import priority_sections
from kompas.i18n import _
from kompas.i18n import lazy_gettext
from kompas.store import workshop as workshop_store
from kompas.web.forms import CheckboxListField
from kompas.web.forms import KompasForm
from kompas.web.forms import build_step_form
from kompas.web.forms import one_line
from kompas.web.workshop_shared import questionnaire


def sections_form(selected: list[str] | None = None, formdata: Any = None) -> KompasForm:
    """Which sections participants see: the priority sections, as checkboxes."""

    class SectionsForm(KompasForm):
        onderdelen = CheckboxListField(
            _("Onderdelen die deelnemers beantwoorden"),
            choices=[SelectChoice(s.id, s.title) for s in priority_sections(questionnaire())],
        )

    if formdata is not None:
        return SectionsForm(formdata=formdata)
    return SectionsForm(formdata=None, data={"onderdelen": selected or []})


def _name_field() -> StringField:
    return StringField(
        lazy_gettext("Uw naam of rol"),
        description=lazy_gettext("Bijvoorbeeld ‘wethouder’, ‘welzijn’ of ‘woningcorporatie’."),
        validators=[
            DataRequired(lazy_gettext("Vul uw naam of rol in.")),
            Length(
                max=workshop_store.NAME_MAX, message=lazy_gettext("Gebruik ten hoogste 80 tekens.")
            ),
            one_line,
        ],
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
    )


class JoinForm(KompasForm):
    """A participant's first step: who they are (a name or a role)."""

    naam_of_rol = _name_field()


def answer_form_class(questions: list[Question], with_name: bool = True) -> type[KompasForm]:
    """The participant's form: name or role (on the first part), then the shown questions."""
    step = build_step_form(questions)
    if not with_name:
        return step  # type: ignore[no-any-return]

    class ParticipantForm(step):  # type: ignore[misc, valid-type]
        naam_of_rol = _name_field()

    return ParticipantForm
