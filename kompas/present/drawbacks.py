"""A platform's documented drawbacks in words, each with its source, evidence and year.

The web platform page, the report's platform sheets and the text view show the same notes,
so a setback said about one platform is said in the same way wherever it is described.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from kompas.engine.evidence import provenance
from kompas.engine.model import Catalogue
from kompas.engine.model import Drawback
from kompas.engine.model import Platform
from kompas.engine.research import drawbacks_searched
from kompas.i18n import _
from kompas.i18n import localise
from kompas.numbers import format_short_date


@dataclass(frozen=True, slots=True)
class DrawbackNote:
    """One documented setback, ready for a page: text, source and who says it when."""

    text: str
    source: str
    is_url: bool
    said: str  # "onafhankelijke bron, 2020"; the year is the source's own
    checked: str  # when a curator last compared the text with its source

    @property
    def host(self) -> str:
        """The site the source is on, for narrow columns ("www.ad.nl")."""
        return (urlsplit(self.source).hostname or self.source) if self.is_url else self.source


def drawback_notes(platform: Platform) -> tuple[DrawbackNote, ...]:
    """The platform's drawbacks in the current language, in the catalogue's order."""
    return tuple(_note(d) for d in platform.drawbacks)


@dataclass(frozen=True, slots=True)
class Drawbacks:
    """What a page says about a platform's setbacks: the notes, or why there are none."""

    notes: tuple[DrawbackNote, ...]
    none: str  # said only when there are no notes: searched in vain (when), or not yet


def drawbacks_of(catalogue: Catalogue, platform: Platform) -> Drawbacks:
    """A platform's notes, or the month its search found none; `catalogue` holds the log."""
    notes = drawback_notes(platform)
    month = drawbacks_searched(catalogue, platform.id)
    if notes:
        none = ""
    elif month:
        none = _(
            "Geen gedocumenteerde kanttekeningen gevonden in openbare bronnen (gezocht {month})."
        ).format(month=month)
    else:
        none = _("Nog niet naar kanttekeningen gezocht.")
    return Drawbacks(notes, none)


def _note(d: Drawback) -> DrawbackNote:
    said = provenance(d.evidence, d.source_date)
    if d.source_date is None:
        # Never let an undated source pass for a recent one.
        said = _("{said}, zonder datum").format(said=said)
    return DrawbackNote(
        localise(d.text),
        d.source,
        d.source.startswith(("https://", "http://")),
        said,
        format_short_date(d.checked),
    )
