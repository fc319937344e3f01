"""The questions for the vendors: the unknown facts of the shortlist, most decisive first."""

from __future__ import annotations

from collections.abc import Iterable

from kompas.engine.result import Advice
from kompas.engine.result import PlatformResult
from kompas.present.model import DecidingFact
from kompas.present.model import VendorTopic

VENDOR_TOPICS = 10  # vendor questions shown, the most decisive first


def deciding_facts(
    advice: Advice, short: tuple[PlatformResult, ...], without_supplier: str = ""
) -> tuple[DecidingFact, ...]:
    """The unknown facts of the shortlisted platforms, most decisive first.

    Platforms of the category `without_supplier` (offline approaches) have no vendor to ask:
    their unknowns are not vendor questions (the notices say whom to ask instead).

    A platform's score range (upper - lower) is what its unknowns together could still
    move; each unknown takes the share its weight has among them. Resolving it moves
    the score from the middle by half that share either way. An unknown must-have can
    also exclude the platform, which matters most of all.
    """
    if not short:
        return ()
    scores = {r.platform.id: r.score or 0.0 for r in short}
    facts = []
    for r in short:
        if without_supplier and r.platform.category == without_supplier:
            continue
        unknown = [c for c in r.unknowns if c.weight > 0 or c.must]
        total = sum(c.weight for c in unknown)
        spread = (r.upper or 0.0) - (r.lower or 0.0)
        others = [s for pid, s in scores.items() if pid != r.platform.id]
        best_other = max(others) if others else None
        for c in unknown:
            move = spread * c.weight / total / 2 if total > 0 else 0.0
            if best_other is None:
                changes = c.must
            elif scores[r.platform.id] >= best_other:  # it leads: can it fall behind?
                changes = c.must or scores[r.platform.id] - move < best_other
            else:  # it trails: can it get ahead?
                changes = scores[r.platform.id] + move > best_other
            facts.append(
                DecidingFact(
                    r.platform.id,
                    r.platform.name,
                    c.criterion_id,
                    c.label,
                    c.ask,
                    c.must,
                    move,
                    changes,
                )
            )
    facts.sort(key=lambda f: (not f.changes_top, not f.must, -f.value, f.criterion_id))
    return tuple(facts)


def vendor_topics(facts: Iterable[DecidingFact]) -> tuple[VendorTopic, ...]:
    """The deciding facts grouped per question, the most decisive question first."""
    groups: dict[tuple[str, str], list[DecidingFact]] = {}
    for f in facts:
        groups.setdefault((f.criterion_id, f.question), []).append(f)
    topics = [
        VendorTopic(
            cid,
            asks[0].criterion,
            question,
            any(a.must for a in asks),
            # Stable sort: equally decisive platforms stay in ranking order.
            tuple(sorted(asks, key=lambda a: (not a.changes_top, -round(a.value, 9)))),
        )
        for (cid, question), asks in groups.items()
    ]
    topics.sort(
        key=lambda t: (
            not any(a.changes_top for a in t.asks),
            not t.must,
            -t.value,
            t.criterion_id,
        )
    )
    return tuple(topics[:VENDOR_TOPICS])
