"""What a fact rests on, in words: one place for evidence levels, shared by every skin."""

from __future__ import annotations

import datetime as dt

from kompas.engine.result import CriterionResult
from kompas.engine.result import FactRef
from kompas.i18n import _
from kompas.numbers import format_long_date


def evidence_label(evidence: str) -> str:
    """The evidence level as people say it ("volgens de leverancier"); "" when unclassified."""
    labels = {
        "onafhankelijk": _("volgens een onafhankelijke bron"),
        "leverancier": _("volgens de leverancier"),
        "gemeente": _("volgens een gemeente die het gebruikt"),
    }
    return labels.get(evidence, "")


def evidence_phrase(fact: FactRef) -> str:
    """Evidence and the year of the source ("volgens de leverancier, 2024"); "" when unknown.

    A fact given for one dossier only says so, because it is not in the shared catalogue.
    """
    return provenance(fact.evidence, fact.source_date, exact=fact.local, local=fact.local)


def provenance(
    evidence: str, source_date: dt.date | None, *, exact: bool = False, local: bool = False
) -> str:
    """Who says a fact and when: "volgens de leverancier, 2024"; "" when unclassified.

    `exact` gives the full date: a vendor's answer for one dossier (a verification round's,
    say) is recent, and the day it was given is what the advisor checks it against
    ("volgens de leverancier, 12 december 2026"). `local` adds that it counts for this
    dossier only."""
    label = evidence_label(evidence)
    if not label:
        return ""
    parts = [label]
    if source_date is not None:
        parts.append(format_long_date(source_date) if exact else str(source_date.year))
    phrase = ", ".join(parts)
    if local:
        phrase = _("{phrase}; alleen voor dit dossier").format(phrase=phrase)
    return phrase


def rests_on_vendor_only(result: CriterionResult) -> bool:
    """Whether a met (or partly met) criterion rests only on what the vendor says."""
    known = [f for f in result.facts if f.status == "known"]
    return (
        bool(result.satisfaction)
        and bool(known)
        and all(f.evidence == "leverancier" for f in known)
    )


def vendor_only_musts(results: tuple[CriterionResult, ...]) -> tuple[CriterionResult, ...]:
    """The must-haves a platform meets only on its vendor's word: to be marked as such."""
    return tuple(r for r in results if r.must and rests_on_vendor_only(r))
