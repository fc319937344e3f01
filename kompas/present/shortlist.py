"""The one shortlist a reader sees: the probable shortlist, in the one ranking order.

The dominance set (the platforms no other surely beats, `engine.kernel.shortlist`) stays an
internal notion for the headline and the value of information; where a reader sees the word
"kortlijst" (the advice page, the text view, page 1 and the shortlist chapter of the report,
the comparison's columns, the prices, "Volgende stap" and the vendor questions) it is the
list this module returns.
"""

from __future__ import annotations

from collections.abc import Collection

from kompas.engine.result import Advice
from kompas.engine.result import PlatformResult
from kompas.i18n import _

COMPARED = 2  # platforms of the ranking shown after a lone platform on the shortlist


def reader_shortlist(advice: Advice, probable: Collection[str]) -> tuple[PlatformResult, ...]:
    """The probable shortlist in ranking order; a lone one with the next two to compare with."""
    scored = [r for r in advice.ranking if r.score is not None]
    short = [r for r in scored if r.platform.id in probable]
    if len(short) != 1:
        return tuple(short)
    # Decided: the lone platform is compared with the next ones, still in ranking order.
    compared = {r.platform.id for r in [r for r in scored if r not in short][:COMPARED]}
    return tuple(r for r in scored if r in short or r.platform.id in compared)


def shortlist_note(short: tuple[PlatformResult, ...], probable: Collection[str]) -> str:
    """What the shortlist is, in one sentence above its table or chart."""
    if not short:
        return ""
    if len([r for r in short if r.platform.id in probable]) == 1:
        alone = next(r for r in short if r.platform.id in probable)
        return _(
            "Alleen {p} staat op de kortlijst (zie ‘Hoe zeker is dit advies?’). Ter vergelijking "
            "staan de volgende platforms uit de rangorde erbij."
        ).format(p=alone.platform.name)
    return _(
        "De platforms die over de mogelijke uitkomsten van de onbekende feiten het vaakst de "
        "beste keuze zijn (zie ‘Hoe zeker is dit advies?’), in de volgorde van de rangorde."
    )


def shortlist_aside(
    advice: Advice, short: tuple[PlatformResult, ...], probable: Collection[str]
) -> str:
    """Why the ranking's first is not on the shortlist, when it is not ("" otherwise).

    Page 1 says it under its table: the headline names that platform first.
    """
    top = next((r for r in advice.ranking if r.score is not None), None)
    if not short or top is None or top.platform.id in probable:
        return ""
    # True by construction: the probable shortlist takes the most-often-first platforms.
    return _(
        "{p} staat bovenaan de rangorde, maar is in minder mogelijke uitkomsten de beste "
        "keuze dan elk platform op de kortlijst."
    ).format(p=top.platform.name)
