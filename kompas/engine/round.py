"""The verification round's logic: whom to ask what, the snapshot at the start, before -> after.

A round asks every platform on the probable shortlist that has a supplier (someone who can
answer for it) its own deciding questions: the worth-ranked questions about that platform,
most worth first. At the start the probable shortlist and the shares are kept (`snapshot`),
so that after the answers came in `compare` shows what they changed. Storage is in
kompas.store.round; both sides come from the one pipeline's probable shortlist.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kompas.engine.acceptability import Acceptability
from kompas.engine.model import Catalogue
from kompas.engine.model import Platform
from kompas.engine.probable import Probable

# A vendor's status in a round (kompas.store.round derives it).
SENT, OPENED, ANSWERED, EXPIRED = "verstuurd", "geopend", "beantwoord", "verlopen"
STATUSES = (SENT, OPENED, ANSWERED, EXPIRED)
PER_VENDOR = 6  # questions per vendor link: the most decisive ones, so the form stays short
# Who operates an approach run by residents or volunteers: nobody can answer for it as its
# supplier, so a round sends it no link (an unknown operator may still have one: it is asked).
NO_SUPPLIER = frozenset({"bewoners"})


def has_supplier(platform: Platform) -> bool:
    """Whether someone can answer for the platform as its supplier."""
    operator = platform.fact("operator_type")
    return not (operator.status == "known" and operator.value in NO_SUPPLIER)


def plan_round(
    result: Probable, catalogue: Catalogue, per_vendor: int = PER_VENDOR
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(platform id, fact ids) per vendor to ask: the probable shortlist's platforms that have
    a supplier, each with its questions most worth first (`result` must rank the questions)."""
    plan = []
    for pid in result.acceptability.shortlist:
        if pid not in catalogue.index or not has_supplier(catalogue.platform(pid)):
            continue
        facts = tuple(q.fact for q in result.questions if q.platform_id == pid)[:per_vendor]
        plan.append((pid, facts))
    return tuple(plan)


def snapshot(acc: Acceptability) -> dict[str, Any]:
    """The probable shortlist and the shares as plain data, kept when a round starts."""
    return {
        "stance": acc.stance,
        "shortlist": list(acc.shortlist),
        "first": {s.platform_id: round(s.first, 6) for s in acc.shares},
        "top_three": {s.platform_id: round(s.top_three, 6) for s in acc.shares},
    }


@dataclass(frozen=True, slots=True)
class Shift:
    """One platform's first-place share before and after the round's answers."""

    platform_id: str
    before: float
    after: float
    was_listed: bool  # on the probable shortlist at the start
    is_listed: bool  # on it now


@dataclass(frozen=True, slots=True)
class RoundChange:
    """What the answers changed: the probable shortlist and the shares, before -> after."""

    before: tuple[str, ...]
    after: tuple[str, ...]
    shifts: tuple[Shift, ...]  # the platforms on either shortlist, by share now

    @property
    def changed(self) -> bool:
        """Whether the shortlist or any share moved (by at least half a percent)."""
        return self.before != self.after or any(
            abs(s.after - s.before) >= 0.005 for s in self.shifts
        )


def compare(start: Mapping[str, Any], acc: Acceptability) -> RoundChange:
    """The shortlist and shares at the start of a round (`snapshot`) against `acc` now."""
    before = tuple(str(p) for p in start.get("shortlist", ()))
    first = {str(k): float(v) for k, v in dict(start.get("first", {})).items()}
    now = {s.platform_id: s.first for s in acc.shares}
    shown = dict.fromkeys([*acc.shortlist, *before])
    shifts = [
        Shift(pid, first.get(pid, 0.0), now.get(pid, 0.0), pid in before, pid in acc.shortlist)
        for pid in shown
    ]
    shifts.sort(key=lambda s: (-s.after, -s.before, s.platform_id))
    return RoundChange(before, tuple(acc.shortlist), tuple(shifts))
