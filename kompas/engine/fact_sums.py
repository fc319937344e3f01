"""The sum of several platforms' numeric facts (costs, capacity), as a combination has it."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from kompas.engine.model import Fact


def sum_fact(facts: list[Fact]) -> Fact:
    """The sum of numeric or range facts; unknown as soon as one member's is unknown."""
    counted = [f for f in facts if f.status != "not_applicable"]
    if not counted:
        return Fact(facts[0].id if facts else "", "not_applicable")
    if any(not f.known for f in counted):
        aboves = [f.above for f in counted if not f.known and f.above is not None]
        if not aboves:
            return Fact(counted[0].id, "unknown")
        # Known to exceed what the known members cost plus what the others are known to exceed.
        floor = sum(_low(f.value) for f in counted if f.known) + sum(aboves)
        return Fact(counted[0].id, "unknown", above=floor)
    low = high = 0.0
    ranged = False
    for f in counted:
        if isinstance(f.value, Mapping):
            ranged = True
            low += f.value["min"]
            high += f.value["max"]
        else:
            low += f.value
            high += f.value
    value: Any = MappingProxyType({"min": low, "max": high}) if ranged else low
    return Fact(counted[0].id, "known", value)


def _low(value: Any) -> float:
    return float(value["min"]) if isinstance(value, Mapping) else float(value)
