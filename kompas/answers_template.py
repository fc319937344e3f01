"""The answers file to fill in (`kompas template`): every question with its options as comments."""

from __future__ import annotations

from kompas.engine.model import Question
from kompas.engine.model import Questionnaire
from kompas.i18n import _
from kompas.i18n import localise


def render_template(q: Questionnaire) -> str:
    """An answers YAML file to fill in; every question starts unanswered (null)."""
    import textwrap

    lines = [
        "# " + _("Antwoorden voor Kompas (vragenlijst {v}).").format(v=q.version),
        "# " + _("Vul een antwoord in achter de dubbele punt; leeg laten = vraag overgeslagen."),
        "# " + _("Gebruik: kompas advise antwoorden.yaml"),
        "",
    ]
    for section in q.sections:
        lines += [f"# === {localise(section.title)} ===", ""]
        for question in section.questions:
            lines += [f"# {line}" for line in textwrap.wrap(localise(question.text), 86)]
            lines += [f"#   {line}" for line in textwrap.wrap(localise(question.help), 84)]
            lines += [f"#   {line}" for line in _answer_hint(question)]
            if question.show_if is not None:
                lines.append("#   " + _("(alleen van toepassing bij bepaalde eerdere antwoorden)"))
            lines += [f"{question.id}:", ""]
    return "\n".join(lines)


def _answer_hint(question: Question) -> list[str]:
    kind = question.type
    if kind in ("single", "multiple"):
        head = _("kies één:") if kind == "single" else _("kies een lijst, bijvoorbeeld [a, b]:")
        return [head] + [f"  {o.id} = {localise(o.label)}" for o in question.options]
    if kind == "importance":
        return [
            _("0 = maakt niet uit, 1 = enigszins, 2 = belangrijk, 3 = zeer belangrijk, must = eis")
        ]
    if kind == "yesno":
        return [_("true (ja) of false (nee)")]
    if kind == "number":
        unit = f" ({question.unit})" if question.unit else ""
        return [
            _("een getal{unit}, zonder punten of komma's tussen duizendtallen").format(unit=unit)
        ]
    return [_("vrije tekst tussen aanhalingstekens; telt niet mee in de score")]
