"""Bounds on reading an uploaded answers file: its cost and the length of its problem list.

An answers file that Kompas wrote, or that `kompas template` made and someone filled in,
is about 20 KB and has one top-level key per question. Parsing YAML in Python costs about
5 s of CPU per MB, so a file that cannot be a real answers file (too large, or far more
keys than there are questions) is judged from a quick line scan instead of being parsed,
and no list of problems grows beyond MAX_PROBLEMS lines.
"""

from __future__ import annotations

import re

from kompas.engine.model import Questionnaire
from kompas.i18n import _
from kompas.i18n import ngettext
from kompas.numbers import format_number

MAX_PROBLEMS = 50  # listed on the page; the rest are counted
MAX_PARSED_BYTES = 64 * 1024  # three times the largest filled-in template
# A top-level key: a line that starts with a plain, single- or double-quoted key and a colon.
_TOP_KEY = re.compile(
    r"""^(?:"([^"\n]*)"|'([^'\n]*)'|([^\s#\-?:'"{\[][^:\n]*?))[ \t]*:(?=\s|$)""", re.M
)


def too_costly(text: str, questionnaire: Questionnaire) -> bool:
    """Whether parsing the text is not worth it: it cannot be a valid answers file."""
    if len(text.encode("utf-8")) > MAX_PARSED_BYTES:
        return True
    keys = sum(1 for _match in _TOP_KEY.finditer(text))
    return keys > len(questionnaire.questions) + MAX_PROBLEMS


def scanned_problems(text: str, name: str, questionnaire: Questionnaire) -> list[str]:
    """The problems a line scan finds in an oversized file (unknown and repeated keys)."""
    seen: set[str] = set()
    problems: list[str] = []
    count = 0
    for match in _TOP_KEY.finditer(text):
        key = next(group for group in match.groups() if group is not None).strip()
        if key in questionnaire.index and key not in seen:
            seen.add(key)
            continue
        count += 1
        if len(problems) < MAX_PROBLEMS:
            line = text.count("\n", 0, match.start()) + 1
            if key in seen:
                problems.append(
                    _("{name}, regel {line}: vraag '{qid}' staat er twee keer in.").format(
                        name=name, line=line, qid=key[:80]
                    )
                )
            else:
                problems.append(
                    _("{name}, regel {line}: onbekende vraag '{qid}'.").format(
                        name=name, line=line, qid=key[:80]
                    )
                )
    if not problems:
        problems.append(
            _(
                "{name}: het bestand is groter dan {size} KB; een antwoordenbestand is nooit zo groot."
            ).format(name=name, size=MAX_PARSED_BYTES // 1024)
        )
    return capped(problems, count)


def capped(problems: list[str], total: int | None = None) -> list[str]:
    """At most MAX_PROBLEMS problems, and one line that counts the ones left out."""
    total = len(problems) if total is None else total
    shown = problems[:MAX_PROBLEMS]
    rest = total - len(shown)
    if rest > 0:
        shown.append(
            ngettext(
                "… en nog {n} ander probleem.",
                "… en nog {n} andere problemen.",
                rest,
            ).format(n=format_number(rest))
        )
    return shown
