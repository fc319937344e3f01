"""The vendor loop: questions for a platform's unknowns, vendors' answers, local facts, stats.

Which questions matter for a platform is derived from the questionnaire and the catalogue:
its unknown facts, ordered by how often a value of the fact changes a shortlist over a set
of answer profiles (the shipped examples, given by the caller), then by how many criteria
read the fact. A vendor's answer (kompas.engine.vendor_answers; read from a file in
kompas.engine.vendor_file) becomes a Fact with evidence `leverancier`: used for one dossier
(local facts), or written into platforms.yaml by a curator. The names of both modules are
importable from here as before.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from kompas.engine.catalogue import with_facts
from kompas.engine.model import Catalogue
from kompas.engine.model import Fact
from kompas.engine.model import FactDef
from kompas.engine.model import Platform
from kompas.engine.model import Questionnaire
from kompas.engine.vendor_answers import MAX_NUMBER as MAX_NUMBER
from kompas.engine.vendor_answers import VENDOR_STATEMENT as VENDOR_STATEMENT
from kompas.engine.vendor_answers import VendorAnswer as VendorAnswer
from kompas.engine.vendor_answers import answer_from_record as answer_from_record
from kompas.engine.vendor_answers import answer_record as answer_record
from kompas.engine.vendor_answers import check_source as check_source
from kompas.engine.vendor_answers import control_problem as control_problem
from kompas.engine.vendor_answers import plain_value as plain_value
from kompas.engine.vendor_answers import value_from_form as value_from_form
from kompas.engine.vendor_file import local_fact_map as local_fact_map
from kompas.engine.vendor_file import parse_fill_in as parse_fill_in
from kompas.engine.vendor_file import parse_local_facts as parse_local_facts
from kompas.engine.vendor_file import read_answers_file as read_answers_file
from kompas.engine.vendor_file import read_answers_text as read_answers_text
from kompas.engine.yamlsource import load_file
from kompas.i18n import _
from kompas.i18n import localise

# Values tried for a fact that is not a choice: the extremes of what it could be.
BIG = 1_000_000


@dataclass(frozen=True, slots=True)
class VendorItem:
    """One question for a platform's vendor: an unknown fact, its options and why it is asked."""

    fact_id: str
    label: str
    type: str
    question: str  # ends in "?"
    options: tuple[tuple[str, str], ...]  # (value, label) of a choice or set fact
    unit: str
    why: tuple[str, ...]  # the labels of the criteria the fact feeds
    feeds: int  # how many criteria read the fact
    decides: int  # in how many profiles a value of the fact changes the shortlist


# -- the questions -------------------------------------------------------------------------


def criteria_of_fact(questionnaire: Questionnaire, fact_id: str) -> list[Any]:
    """The criteria that read a fact, in questionnaire order."""
    return [c for c in questionnaire.criteria.values() if fact_id in c.facts()]


def trial_values(spec: FactDef) -> list[Any]:
    """Values a fact could turn out to have, to see whether knowing it changes anything."""
    if spec.type == "bool":
        return [True, False]
    if spec.type == "choice":
        return list(spec.values)
    if spec.type == "set":
        return [frozenset(), frozenset(spec.values)] + [frozenset({v}) for v in spec.values]
    if spec.type == "number":
        return [0, BIG]
    if spec.type == "range":
        return [MappingProxyType({"min": 0, "max": 0}), MappingProxyType({"min": BIG, "max": BIG})]
    return []


def example_profiles() -> list[dict[str, Any]]:
    """The shipped answer profiles over which a fact 'decides a shortlist'.

    They ship inside the package (kompas/data/profiles, copies of examples/): an installed
    Kompas has no examples folder."""
    folder = Path(__file__).resolve().parent.parent / "data" / "profiles"
    profiles = []
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else ():
        tree, _raw = load_file(path)
        raw = tree.plain()
        if isinstance(raw, dict):
            profiles.append(raw)
    return profiles


def vendor_questionnaire(
    questionnaire: Questionnaire,
    catalogue: Catalogue,
    platform_id: str,
    profiles: Sequence[Mapping[str, Any]] = (),
) -> tuple[VendorItem, ...]:
    """A platform's unknown facts that some criterion reads, the most decisive first."""
    from kompas.engine.kernel import shortlist
    from kompas.engine.scoring import advise

    platform = catalogue.platform(platform_id)
    base = []
    for profile in profiles:
        advice = advise(questionnaire, catalogue, profile, strict=False)
        base.append({r.platform.id for r in shortlist(advice)})
    items = []
    for order, (fid, spec) in enumerate(catalogue.facts.items()):
        if platform.fact(fid).status != "unknown":
            continue
        criteria = criteria_of_fact(questionnaire, fid)
        if not criteria:
            continue
        decides = 0
        for profile, before in zip(profiles, base, strict=True):
            for value in trial_values(spec):
                trial = with_facts(catalogue, {platform_id: {fid: Fact(fid, "known", value)}})
                advice = advise(questionnaire, trial, profile, strict=False)
                if {r.platform.id for r in shortlist(advice)} != before:
                    decides += 1
                    break
        items.append((-decides, -len(criteria), order, _item(spec, platform, criteria, decides)))
    return tuple(item for *_key, item in sorted(items, key=lambda t: t[:3]))


def _item(spec: FactDef, platform: Platform, criteria: list[Any], decides: int) -> VendorItem:
    own = [c for c in criteria if c.facts() == frozenset({spec.id}) and c.ask]
    ask = localise(own[0].ask) if own else ""
    if not ask.endswith("?"):
        ask = _("Wat geldt bij {platform} voor: {label}?").format(
            platform=platform.name, label=localise(spec.label).lower()
        )
    return VendorItem(
        spec.id,
        localise(spec.label),
        spec.type,
        ask,
        tuple((v, localise(spec.value_label(v))) for v in spec.values),
        localise(spec.unit),
        tuple(dict.fromkeys(localise(c.label) for c in criteria)),
        len(criteria),
        decides,
    )


def answer_hint(item: VendorItem) -> str:
    """How to write an answer to this question in the fill-in file."""
    if item.type == "bool":
        return _("true (ja) of false (nee)")
    if item.type == "choice":
        return _("kies één: {values}").format(values=", ".join(v for v, _l in item.options))
    if item.type == "set":
        return _("een lijst, bijvoorbeeld [{first}]: {values}").format(
            first=item.options[0][0] if item.options else "",
            values=", ".join(v for v, _l in item.options),
        )
    unit = f" ({item.unit})" if item.unit else ""
    if item.type == "range":
        return _("{{min: N, max: N}}{unit}").format(unit=unit)
    if item.type == "number":
        return _("een getal{unit}").format(unit=unit)
    return _("tekst")


def render_text(platform: Platform, items: Iterable[VendorItem]) -> str:
    """The questions as plain text, one question per line."""
    return "".join(f"{item.question}\n" for item in items)


def render_fill_in(catalogue: Catalogue, platform: Platform, items: Iterable[VendorItem]) -> str:
    """A YAML fill-in file with every question; `read_fill_in` reads it back."""
    lines = [
        "# "
        + _("Leveranciersvragenlijst voor {name} (catalogus {v}).").format(
            name=platform.name, v=catalogue.version
        ),
        "# "
        + _(
            "Vul per vraag value, source (een webadres of '{statement}'), date (JJJJ-MM-DD),"
            " name en role in; laat value op unknown om een vraag open te laten."
        ).format(statement=VENDOR_STATEMENT),
        "# " + _("Controle: kompas catalogue check dit-bestand.yaml"),
        f"platform: {platform.id}",
        "facts:",
    ]
    for item in items:
        lines += [
            f"  # {item.question}",
            "  # " + _("Waarom: {why}").format(why="; ".join(item.why)),
            "  # " + answer_hint(item),
        ]
        lines += [f"  #   {v} = {label}" for v, label in item.options]
        lines += [
            f"  {item.fact_id}:",
            "    value: unknown",
            "    source:",
            "    date:",
            "    name:",
            "    role:",
            "",
        ]
    return "\n".join(lines)


# -- completeness of the catalogue ---------------------------------------------------------


def questions_on_missing_facts(
    questionnaire: Questionnaire, catalogue: Catalogue
) -> tuple[tuple[str, int], ...]:
    """Questions whose effect rests only on missing facts, with the pairs they re-order.

    The same test as the lint in `kompas validate`: every known value is the same, so the
    question only rewards whoever documents more.
    """
    from kompas.engine.lint import _criteria_of
    from kompas.engine.lint import _reordered_pairs
    from kompas.engine.lint import _separating_criteria

    separating = _separating_criteria(questionnaire, catalogue)
    result = []
    for question in questionnaire.questions:
        criteria = _criteria_of(question)
        if not criteria or criteria & separating:
            continue
        pairs = _reordered_pairs(questionnaire, catalogue, criteria)
        if pairs:
            result.append((question.id, pairs))
    return tuple(result)


def local_fact_lines(
    local: Mapping[str, Mapping[str, Fact]], questionnaire: Questionnaire, catalogue: Catalogue
) -> list[str]:
    """One line per local fact: "Platform: label: value (volgens de leverancier, datum; …)"."""
    from kompas.engine.criterion_results import describe_value
    from kompas.engine.evidence import provenance

    lines = []
    for pid, facts in sorted(local.items()):
        if pid not in catalogue.index:
            continue
        name = catalogue.platform(pid).name
        for fid, fact in facts.items():
            spec = catalogue.facts.get(fid)
            if spec is None:
                continue
            said = provenance(fact.evidence, fact.source_date, exact=True)
            lines.append(
                _("{platform}: {label}: {value} ({said}; alleen voor dit dossier)").format(
                    platform=name,
                    label=localise(spec.label),
                    value=describe_value(spec, fact, questionnaire.texts),
                    said=said,
                )
            )
    return lines
