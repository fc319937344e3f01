"""Small text helpers every part of the advice uses: lists of names, points, weights, labels."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kompas.engine.model import MUST
from kompas.engine.model import Questionnaire
from kompas.i18n import _
from kompas.numbers import format_number
from kompas.numbers import format_points

MAX_WEIGHT = 3.0  # the top of the importance scale the advisor chooses from
NAMES_SHOWN = 5  # names listed in one sentence before "en N andere"


def join_names(names: Iterable[str], limit: int = NAMES_SHOWN) -> str:
    """Names as a Dutch list: 'A, B en C', or 'A, B en 3 andere' when there are many."""
    items = [str(n) for n in names]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    if len(items) > limit:
        shown, rest = items[: limit - 1], len(items) - (limit - 1)
        return _("{first} en {n} andere").format(first=", ".join(shown), n=rest)
    return _("{first} en {last}").format(first=", ".join(items[:-1]), last=items[-1])


def either_names(names: Iterable[str]) -> str:
    """Names as a Dutch choice: 'A, B of C' (every name: a shortlist is short)."""
    items = [str(n) for n in names]
    if len(items) < 2:
        return "".join(items)
    return _("{first} of {last}").format(first=", ".join(items[:-1]), last=items[-1])


def points(value: float) -> str:
    """A score or difference in points (one decimal at most)."""
    return format_points(value)


def whole(value: float | None) -> str:
    """A score as a whole number, or a dash."""
    return "—" if value is None else format_number(value, 0)


def weight_text(weight: float) -> str:
    """A weight on the advisor's scale (0-3, two decimals at most)."""
    return format_number(weight, 2)


def stability_label(label: str) -> str:
    """The name of a stability label in the current language."""
    return {
        "solid": _("stevig"),
        "sensitive": _("gevoelig"),
        "shaky": _("wankel"),
        "none": _("geen advies"),
    }.get(label, label)


def stability_definitions(questionnaire: Questionnaire) -> list[tuple[str, str]]:
    """What each stability label means, for the method section."""
    margin = points(questionnaire.tie_margin)
    solid = _(
        "Geen enkel gewicht kan binnen de schaal van 0 tot 3 het eerste platform van zijn "
        "plaats brengen, en het weglaten van één antwoord ook niet."
    )
    sensitive = _(
        "Een of twee gewichten binnen de schaal, of het weglaten van één antwoord, kunnen een "
        "ander platform bovenaan zetten."
    )
    shaky = _(
        "De eerste twee liggen minder dan {margin} punten uit elkaar, delen de eerste plaats, "
        "of drie of meer gewichten binnen de schaal kunnen de eerste plaats veranderen."
    ).format(margin=margin)
    return [(_("stevig"), solid), (_("gevoelig"), sensitive), (_("wankel"), shaky)]


def importance_words(level: Any) -> str:
    """An importance level in words; anything else (an option's own label) as it is."""
    words = {
        MUST: _("onmisbaar"),
        "3": _("zeer belangrijk"),
        "2": _("belangrijk"),
        "1": _("enigszins belangrijk"),
        "0": _("maakt niet uit"),
    }
    key = str(level)
    if key.endswith(".0"):
        key = key[:-2]
    return words.get(key, key)


def ignored_reason(reason: str) -> str:
    """Why an answer does not count, in words (never the raw code)."""
    return {
        "hidden": _("vraag is niet van toepassing bij de andere antwoorden"),
        "unknown_question": _("vraag bestaat niet (meer) in de vragenlijst"),
        "invalid": _("antwoord past niet (meer) bij de vraag"),
    }.get(reason, _("telt om een andere reden niet mee"))
