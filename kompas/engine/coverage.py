"""How complete the catalogue is: known, unknown and not applicable, per fact and per platform.

`kompas catalogue stats` prints these figures and the README quotes them. Not applicable is
counted apart from known: a fact that cannot apply tells the advice nothing about a platform,
so counting it as known would overstate what the catalogue documents.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass

from kompas.engine.model import EVIDENCE
from kompas.engine.model import Catalogue
from kompas.engine.model import Fact
from kompas.engine.model import Questionnaire
from kompas.i18n import _
from kompas.numbers import format_percent

# Age of a fact's source on the reference date: (bucket id, at most this many whole years).
AGE_BUCKETS: tuple[tuple[str, int | None], ...] = (
    ("tot_1_jaar", 1),
    ("1_3_jaar", 3),
    ("3_5_jaar", 5),
    ("ouder", None),
)
UNDATED = "zonder_datum"
UNCLASSIFIED = ""


@dataclass(frozen=True, slots=True)
class Tally:
    """Counts of known, unknown and not-applicable cells for one fact, platform or total."""

    name: str
    known: int
    unknown: int
    not_applicable: int

    @property
    def total(self) -> int:
        """Every cell counted."""
        return self.known + self.unknown + self.not_applicable

    @property
    def applicable(self) -> int:
        """The cells a value could be known for."""
        return self.known + self.unknown

    @property
    def percent_known(self) -> float:
        """Known as a share of the applicable cells (0 when nothing applies)."""
        return 100.0 * self.known / self.applicable if self.applicable else 0.0


@dataclass(frozen=True, slots=True)
class CatalogueStats:
    """Every figure `kompas catalogue stats` reports."""

    on: dt.date
    platforms: int
    total: Tally
    decision: Tally  # cells of the facts some criterion reads
    decision_facts: tuple[str, ...]
    per_fact: tuple[Tally, ...]
    per_platform: tuple[Tally, ...]  # over the decision-relevant facts
    by_evidence: tuple[tuple[str, int], ...]  # known facts per evidence level ("" = none)
    by_age: tuple[tuple[str, int], ...]  # known facts per age bucket of their source


def tally(name: str, facts: Iterable[Fact]) -> Tally:
    """Count a group of cells by status."""
    counts = {"known": 0, "unknown": 0, "not_applicable": 0}
    for fact in facts:
        counts[fact.status] += 1
    return Tally(name, counts["known"], counts["unknown"], counts["not_applicable"])


def decision_facts(questionnaire: Questionnaire, catalogue: Catalogue) -> tuple[str, ...]:
    """The facts some criterion reads, in schema order."""
    read = set().union(*(c.facts() for c in questionnaire.criteria.values()))
    return tuple(fid for fid in catalogue.facts if fid in read)


def age_bucket(source_date: dt.date | None, on: dt.date) -> str:
    """The age bucket of a source dated `source_date`, seen on `on`."""
    if source_date is None:
        return UNDATED
    years = on.year - source_date.year - ((on.month, on.day) < (source_date.month, source_date.day))
    for bucket, limit in AGE_BUCKETS:
        if limit is None or years < limit:
            return bucket
    return AGE_BUCKETS[-1][0]


def catalogue_stats(
    questionnaire: Questionnaire, catalogue: Catalogue, on: dt.date | None = None
) -> CatalogueStats:
    """Coverage of the catalogue on a date (default today), overall and for decisions."""
    on = on or dt.date.today()
    relevant = decision_facts(questionnaire, catalogue)
    cells = [p.fact(fid) for p in catalogue.platforms for fid in catalogue.facts]
    known = [f for f in cells if f.known]
    levels = (*EVIDENCE, UNCLASSIFIED)
    ages = (*(b for b, _limit in AGE_BUCKETS), UNDATED)
    buckets = [age_bucket(f.source_date, on) for f in known]
    return CatalogueStats(
        on=on,
        platforms=len(catalogue.platforms),
        total=tally("", cells),
        decision=tally("", (p.fact(fid) for p in catalogue.platforms for fid in relevant)),
        decision_facts=relevant,
        per_fact=tuple(
            tally(fid, (p.fact(fid) for p in catalogue.platforms)) for fid in catalogue.facts
        ),
        per_platform=tuple(
            tally(p.id, (p.fact(fid) for fid in relevant)) for p in catalogue.platforms
        ),
        by_evidence=tuple((lvl, sum(1 for f in known if f.evidence == lvl)) for lvl in levels),
        by_age=tuple((b, buckets.count(b)) for b in ages),
    )


def _level_name(level: str) -> str:
    return {
        "onafhankelijk": _("onafhankelijk"),
        "leverancier": _("leverancier"),
        "gemeente": _("gemeente"),
        UNCLASSIFIED: _("niet ingedeeld"),
    }[level]


def _age_name(bucket: str) -> str:
    return {
        "tot_1_jaar": _("jonger dan 1 jaar"),
        "1_3_jaar": _("1 tot 3 jaar"),
        "3_5_jaar": _("3 tot 5 jaar"),
        "ouder": _("5 jaar of ouder"),
        UNDATED: _("zonder datum"),
    }[bucket]


def _pct(part: int, whole: int) -> str:
    return format_percent(100.0 * part / whole) if whole else "-"


def summary_lines(stats: CatalogueStats) -> list[str]:
    """The headline figures (quoted verbatim in the README)."""
    t, d = stats.total, stats.decision
    known = sum(n for _lvl, n in stats.by_evidence)
    return [
        _("Catalogus op {date}: {platforms} platforms, {cells} cellen.").format(
            date=stats.on.isoformat(), platforms=stats.platforms, cells=t.total
        ),
        _(
            "Alle feiten: {k} bekend, {u} onbekend, {n} niet van toepassing; "
            "bekend {p} van de {a} toepasselijke cellen."
        ).format(
            k=t.known,
            u=t.unknown,
            n=t.not_applicable,
            p=_pct(t.known, t.applicable),
            a=t.applicable,
        ),
        _(
            "Beslissingsrelevant ({f} feiten die een criterium leest): {k} bekend, {u} onbekend, "
            "{n} niet van toepassing; bekend {p} van de {a} toepasselijke cellen."
        ).format(
            f=len(stats.decision_facts),
            k=d.known,
            u=d.unknown,
            n=d.not_applicable,
            p=_pct(d.known, d.applicable),
            a=d.applicable,
        ),
        _("Bekende feiten naar bewijsniveau: {parts}.").format(
            parts=", ".join(
                f"{_level_name(lvl)} {n} ({_pct(n, known)})" for lvl, n in stats.by_evidence
            )
        ),
        _("Bekende feiten naar leeftijd van de bron: {parts}.").format(
            parts=", ".join(f"{_age_name(b)} {n} ({_pct(n, known)})" for b, n in stats.by_age)
        ),
    ]


def _table(title: str, rows: Sequence[Tally]) -> list[str]:
    head = (
        f"{'':30} {_('bekend'):>8} {_('onbekend'):>9} {_('n.v.t.'):>7} "
        f"{_('bekend van toepasselijk'):>24}"
    )
    return [
        title,
        head,
        *(
            f"{r.name[:30]:30} {r.known:>8} {r.unknown:>9} {r.not_applicable:>7} "
            f"{_pct(r.known, r.applicable):>24}"
            for r in rows
        ),
    ]


def render_stats(
    questionnaire: Questionnaire, catalogue: Catalogue, on: dt.date | None = None
) -> str:
    """`kompas catalogue stats` as text."""
    from kompas.engine.vendor import questions_on_missing_facts

    stats = catalogue_stats(questionnaire, catalogue, on)
    relevant = set(stats.decision_facts)
    facts = [
        Tally(t.name + ("" if t.name in relevant else " (-)"), t.known, t.unknown, t.not_applicable)
        for t in stats.per_fact
    ]
    lines = [
        *summary_lines(stats),
        "",
        *_table(_("Per feit ((-) = geen criterium leest dit feit):"), facts),
        "",
        *_table(_("Per platform (beslissingsrelevante feiten):"), stats.per_platform),
        "",
        _("Vragen waarvan het effect op ontbrekende feiten rust:"),
    ]
    missing = questions_on_missing_facts(questionnaire, catalogue)
    lines += [
        "  " + _("{question}: herschikt {pairs} paren").format(question=qid, pairs=n)
        for qid, n in missing
    ] or ["  " + _("geen")]
    return "\n".join(lines) + "\n"
