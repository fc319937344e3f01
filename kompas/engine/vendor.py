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
from kompas.numbers import parse_number

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


<<<<<<< HEAD
# -- reading answers -----------------------------------------------------------------------


def read_entry(
    node: Node,
    path: str,
    platform_id: str,
    spec: FactDef,
    check: Checker,
    today: dt.date,
    *,
    need_role: bool = True,
) -> VendorAnswer | None:
    """One answer to one fact; None when left open (value unknown) or wrong (problems in check)."""
    body = check.mapping(node, path, optional=ENTRY_KEYS)
    if body is None:
        return None
    value_node = body.get("value")
    if value_node is None or value_node.value in (None, "", "unknown"):
        return None
    value = read_value(value_node, f"{path}.value", spec, check)
    source = _text(body.get("source"))
    if not source:
        check.error(
            node, f"{path}.source", "missing source", f"a web address or {VENDOR_STATEMENT!r}"
        )
    elif source.casefold() == VENDOR_STATEMENT:
        source = VENDOR_STATEMENT
    elif not URL.match(source):
        check.error(
            body["source"],
            f"{path}.source",
            f"expected a web address (https://...) or {VENDOR_STATEMENT!r}, got {source!r}",
        )
        source = ""
    date: dt.date | None = None
    if body.get("date") is None or body["date"].value in (None, ""):
        check.error(
            node, f"{path}.date", "missing date", "the date of the statement, like 2026-11-29"
        )
    else:
        date = _date(body["date"], f"{path}.date", check)
        if date is not None and date > today:
            check.error(body["date"], f"{path}.date", f"{date.isoformat()} is in the future")
            date = None
    name = _text(body.get("name"))
    role = _text(body.get("role"))
    if not name:
        check.error(node, f"{path}.name", "missing name", "who gave the answer")
    if need_role and not role:
        check.error(node, f"{path}.role", "missing role", "the role of who gave the answer")
    if value is None or not source or date is None or not name or (need_role and not role):
        return None
    return VendorAnswer(
        platform_id,
        spec.id,
        value,
        source,
        date,
        name,
        role,
        _text(body.get("how")),
        node.location.line,
    )


def _date(node: Node, path: str, check: Checker) -> dt.date | None:
    """A date, also when written in quotes (as a form or a YAML emitter may write it)."""
    if isinstance(node.value, str):
        try:
            return dt.date.fromisoformat(node.value.strip())
        except ValueError:
            pass
    return check.date(node, path)


def _text(node: Node | None) -> str:
    if node is None or node.value is None:
        return ""
    return str(node.value).strip()


def _facts_of(
    node: Node,
    path: str,
    platform: Platform,
    catalogue: Catalogue,
    check: Checker,
    today: dt.date,
    need_role: bool,
) -> list[VendorAnswer]:
    body = _strict_keys(node, path, catalogue.facts, "fact", check)
    answers = []
    for fid, child in (body or {}).items():
        if fid in catalogue.facts:
            entry = read_entry(
                child,
                f"{path}.{fid}",
                platform.id,
                catalogue.facts[fid],
                check,
                today,
                need_role=need_role,
            )
            if entry is not None:
                answers.append(entry)
    return answers


def _strict_keys(
    node: Node, path: str, allowed: Mapping[str, Any], what: str, check: Checker
) -> dict[str, Node] | None:
    """A mapping whose keys must be known ids: an unknown one is an error, not ignored."""
    if not node.is_mapping:
        check.error(node, path, "expected a mapping")
        return None
    body: dict[str, Node] = node.value
    for key, child in body.items():
        if key not in allowed:
            from kompas.engine.checks import suggest

            where = f"{path}.{key}" if path else str(key)
            check.error(child, where, f"unknown {what} {key!r}", suggest(str(key), allowed))
    return body


def _platform_node(node: Node, path: str, catalogue: Catalogue, check: Checker) -> Platform | None:
    pid = node.value if isinstance(node.value, str) else None
    if pid is None or pid not in catalogue.index:
        check.one_of(node, path, catalogue.index, "platform")
        return None
    return catalogue.platform(pid)


def parse_fill_in(
    tree: Node, catalogue: Catalogue, check: Checker, today: dt.date | None = None
) -> list[VendorAnswer]:
    """The answers in a fill-in file (`platform:` and `facts:`); problems go to check."""
    today = today or dt.date.today()
    top = check.mapping(tree, "", required=("platform", "facts"))
    if top is None or "platform" not in top or "facts" not in top:
        return []
    platform = _platform_node(top["platform"], "platform", catalogue, check)
    if platform is None:
        return []
    return _facts_of(top["facts"], "facts", platform, catalogue, check, today, True)


def parse_local_facts(
    tree: Node, catalogue: Catalogue, check: Checker, today: dt.date | None = None
) -> list[VendorAnswer]:
    """The facts of a local-facts file (platform id: fact id: answer); problems go to check.

    A fill-in file (`platform:` and `facts:`) is read as well, so a vendor's file can be used
    for one dossier as it is.
    """
    today = today or dt.date.today()
    if tree.is_mapping and "facts" in tree.value and "platform" in tree.value:
        return parse_fill_in(tree, catalogue, check, today)
    top = _strict_keys(tree, "", catalogue.index, "platform", check)
    answers = []
    for pid, child in (top or {}).items():
        if pid in catalogue.index:
            answers += _facts_of(
                child, pid, catalogue.platform(pid), catalogue, check, today, False
            )
    return answers


def read_answers_file(
    path: str | Path,
    catalogue: Catalogue,
    *,
    local: bool = False,
    today: dt.date | None = None,
) -> list[VendorAnswer]:
    """Read a fill-in (or local-facts) file; DataError with every problem at file:line."""
    tree, _raw = load_file(path)
    check = Checker()
    parse = parse_local_facts if local else parse_fill_in
    answers = parse(tree, catalogue, check, today)
    if check.errors:
        raise DataError(check.errors)
    return answers


def read_answers_text(
    text: str, label: str, catalogue: Catalogue, today: dt.date | None = None
) -> tuple[list[VendorAnswer], Checker]:
    """Read a fill-in file's text (e.g. an upload); the answers and every problem."""
    check = Checker()
    try:
        tree = load_text(text, label)
    except DataError as exc:
        check.problems.extend(exc.problems)
        return [], check
    return parse_fill_in(tree, catalogue, check, today), check


def local_fact_map(answers: Iterable[VendorAnswer]) -> dict[str, dict[str, Fact]]:
    """Answers as the local facts `advise` overlays: platform id -> fact id -> fact."""
    result: dict[str, dict[str, Fact]] = {}
    for answer in answers:
        result.setdefault(answer.platform_id, {})[answer.fact_id] = answer.fact()
    return result


# -- plain data (decision records, database) ------------------------------------------------


def plain_value(value: Any) -> Any:
    """A fact value as JSON-ready data."""
    if isinstance(value, frozenset | set):
        return sorted(value)
    if isinstance(value, Mapping):
        return dict(value)
    return value


def answer_record(answer: VendorAnswer) -> dict[str, Any]:
    """An answer as plain data."""
    return {
        "platform": answer.platform_id,
        "fact": answer.fact_id,
        "value": plain_value(answer.value),
        "source": answer.source,
        "date": answer.date.isoformat(),
        "name": answer.name,
        "role": answer.role,
        "how": answer.how,
    }


def answer_from_record(data: Mapping[str, Any], catalogue: Catalogue) -> VendorAnswer:
    """An answer read back from plain data (a record or the database); DataError if it is wrong."""
    from kompas.errors import Location
    from kompas.errors import Problem

    check = Checker()
    pid, fid = str(data.get("platform", "")), str(data.get("fact", ""))
    spec = catalogue.facts.get(fid)
    value = None
    if spec is not None and pid in catalogue.index:
        value = read_value(_node(data.get("value")), "value", spec, check)
    try:
        date = dt.date.fromisoformat(str(data.get("date")))
    except ValueError:
        date = None
    if value is None or date is None or check.errors:
        raise DataError(
            check.errors or [Problem(Location("record"), f"{pid}.{fid}", "not a valid local fact")]
        )
    return VendorAnswer(
        pid,
        fid,
        value,
        str(data.get("source", "")),
        date,
        str(data.get("name", "")),
        str(data.get("role", "")),
        str(data.get("how", "")),
    )


def _node(value: Any) -> Node:
    """Plain data as a Node tree without locations (to reuse the YAML value checks)."""
    from kompas.errors import Location

    where = Location("record")
    if isinstance(value, Mapping):
        return Node({str(k): _node(v) for k, v in value.items()}, where)
    if isinstance(value, list | tuple):
        return Node([_node(v) for v in value], where)
    return Node(value, where)


def value_from_form(spec: FactDef, raw: str | list[str]) -> tuple[Any, str]:
    """A fact value from a web form's text (or list of options); (value, problem)."""
    check = Checker()
    if spec.type == "set":
        items = raw if isinstance(raw, list) else [raw]
        node = _node([i for i in items if i])
    elif spec.type == "bool":
        node = _node({"true": True, "false": False}.get(str(raw), raw))
    elif spec.type in ("number", "range"):
        # Read in the vendor's language: 1,500 is fifteen hundred in English, 1,5 in Dutch.
        parsed = parse_number(str(raw))
        if parsed is None:
            return None, _("verwacht een getal")
        number: float | int = int(parsed) if parsed.is_integer() else parsed
        node = _node({"min": number, "max": number} if spec.type == "range" else number)
    else:
        node = _node(str(raw).strip())
    value = read_value(node, "value", spec, check)
    if check.errors or value is None:
        if spec.type in ("choice", "set"):
            return None, _("kies een van de opties")
        return None, _("deze waarde past niet bij de vraag")
    return value, ""


def check_source(source: str) -> str:
    """A problem with a source typed in a form ("" when it is a web address or the statement)."""
    if source.strip().casefold() == VENDOR_STATEMENT or URL.match(source.strip()):
        return ""
    return _("geef een webadres (https://...) of '{statement}'").format(statement=VENDOR_STATEMENT)


=======
>>>>>>> main
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
    """One line per local fact: "Platform: label: value (volgens de leverancier (datum))"."""
    from kompas.engine.evidence import evidence_label
    from kompas.engine.scoring import describe_value

    lines = []
    for pid, facts in sorted(local.items()):
        if pid not in catalogue.index:
            continue
        name = catalogue.platform(pid).name
        for fid, fact in facts.items():
            spec = catalogue.facts.get(fid)
            if spec is None:
                continue
            when = fact.source_date.isoformat() if fact.source_date else ""
            said = (
                f"{evidence_label(fact.evidence)} ({when})"
                if when
                else evidence_label(fact.evidence)
            )
            lines.append(
                _("{platform}: {label}: {value} ({said}; alleen voor dit dossier)").format(
                    platform=name,
                    label=localise(spec.label),
                    value=describe_value(spec, fact, questionnaire.texts),
                    said=said,
                )
            )
    return lines
