"""Red flags that show even when nobody asked: a platform whose existence is unknown, and
the known drawbacks questions.yaml marks `red_flag:` (ads, data outside the EU)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kompas.engine.criterion_results import flag_notes
from kompas.engine.flags import red_flags
from kompas.engine.model import Questionnaire
from kompas.engine.model import format_text
from kompas.engine.result import Advice
from kompas.engine.result import PlatformResult
from kompas.i18n import _
from kompas.i18n import localise
from kompas.i18n import ngettext
from kompas.present.words import join_names

UNKNOWN = "onbekend"  # availability: nobody knows whether it still exists or can be adopted


def existence_unknown(r: PlatformResult) -> bool:
    """Whether nobody knows whether the platform still exists or can be adopted."""
    return r.platform.availability == UNKNOWN


def existence_warning(r: PlatformResult) -> str:
    """The warning next to a platform whose existence is unknown ("" otherwise)."""
    if not existence_unknown(r):
        return ""
    return _(
        "Let op: niet bekend of {p} nog bestaat en door uw gemeente kan worden afgenomen; "
        "ga dat eerst na."
    ).format(p=r.platform.name)


def flag_warnings(
    r: PlatformResult, questionnaire: Questionnaire, answers: Mapping[str, Any]
) -> list[str]:
    """Every red flag of a platform in words: its unknown existence, then its known drawbacks."""
    found = [existence_warning(r)] if existence_unknown(r) else []
    for c in red_flags(r, questionnaire, answers):
        sentence = format_text(localise(c.red_flag), {"platform": r.platform.name})
        notes = [localise(note) for note in flag_notes(c, r.platform)]
        found.append(" ".join([sentence, *notes]))
    return found


def leader_warning(advice: Advice) -> str:
    """The headline's warning when a leader's existence is unknown (a leader cannot lead
    without it); "" otherwise."""
    if not advice.ranking:
        return ""
    first = advice.ranking[0].rank
    names = [r.platform.name for r in advice.ranking if r.rank == first and existence_unknown(r)]
    if not names:
        return ""
    return ngettext(
        "Let op: van {names} is niet bekend of het nog bestaat en beschikbaar is.",
        "Let op: van {names} is niet bekend of ze nog bestaan en beschikbaar zijn.",
        len(names),
    ).format(names=join_names(names, limit=len(names)))


def with_warning(headline: list[str], warning: str) -> tuple[str, ...]:
    """The headline with the warning added to its last sentence (page 1 has no line to spare)."""
    if not warning or not headline:
        return tuple(headline)
    return (*headline[:-1], f"{headline[-1]} {warning}")
