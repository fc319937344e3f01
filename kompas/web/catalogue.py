"""The platform comparator: catalogue list with filters, platform pages, side-by-side comparison.

Every page is a plain GET page: filters and the selection for a comparison are ordinary
forms, so everything works without JavaScript. Query strings are checked against the
catalogue; a value that cannot come from the forms (a tampered link) gets a friendly 400.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import Blueprint
from flask import abort
from flask import current_app
from flask import render_template
from flask import request

from kompas.engine.coverage import decision_facts
from kompas.engine.coverage import tally
from kompas.engine.criterion_results import describe_value
from kompas.engine.criterion_results import satisfy
from kompas.engine.evidence import evidence_phrase
from kompas.engine.model import Catalogue
from kompas.engine.model import Criterion
from kompas.engine.model import Fact
from kompas.engine.model import FactDef
from kompas.engine.model import Platform
from kompas.engine.model import Questionnaire
from kompas.engine.research import searched_in_vain
from kompas.engine.result import FactRef
from kompas.i18n import _
from kompas.present.drawbacks import drawbacks_of
from kompas.web.errors import render_error

bp = Blueprint("catalogue", __name__, url_prefix="/platforms")

MIN_COMPARE = 2
MAX_COMPARE = 4
MAX_SEARCH = 200

# Query parameter -> fact id of the fact filters. A fact missing from the schema (or of a
# type that has no fixed values) simply gives no filter.
FACT_FILTERS: tuple[tuple[str, str], ...] = (
    ("functie", "functions"),
    ("financiering", "funding_model"),
    ("open_source", "open_source"),
)
FILTERABLE_TYPES = ("set", "choice", "bool")
BOOL_VALUES = {"ja": True, "nee": False}
# Quick filters (check boxes): query parameter -> the criterion in questions.yaml whose rule
# decides, so a filter means exactly what the advice means by it. A platform passes only
# when its facts meet the criterion for certain; unknown or not applicable never passes.
CRITERION_FILTERS: tuple[tuple[str, str], ...] = (
    ("geen_advertenties", "geen_reclame"),
    ("gegevens_eu", "data_in_eu"),
    ("open_source_volledig", "open_source_volledig"),
)
# "prijs bekend": the questionnaire's cost fact (method.cost_fact) is known.
PRICE_FILTER = "prijs_bekend"

DOSSIER = "d"  # query parameter: the dossier's token, to compare against its criteria


def dossier_token() -> str:
    """The dossier token of the request, if any (checked where it is used)."""
    return request.args.get(DOSSIER, "")[:100]


def catalogue_data() -> tuple[Questionnaire, Catalogue]:
    data = current_app.extensions["kompas"]
    return data["questionnaire"], data["catalogue"]


@dataclass(frozen=True, slots=True)
class Filter:
    """One select of the filter form: its query parameter, label, options and chosen value."""

    name: str
    label: str
    any_label: str
    options: tuple[tuple[str, str], ...]
    fact: FactDef | None = None
    selected: str = ""


def _filters(catalogue: Catalogue, texts: Mapping[str, str]) -> list[Filter]:
    """The selects of the filter form, read from the categories and the fact schema."""
    categories = tuple(catalogue.categories.items())
    filters = [Filter("categorie", _("Categorie"), _("Alle categorieën"), categories)]
    for name, fact_id in FACT_FILTERS:
        spec = catalogue.facts.get(fact_id)
        if spec is None or spec.type not in FILTERABLE_TYPES:
            continue
        options = (
            (("ja", texts.get("yes", "ja")), ("nee", texts.get("no", "nee")))
            if spec.type == "bool"
            else tuple(spec.values.items())
        )
        filters.append(Filter(name, spec.label, _("Maakt niet uit"), options, spec))
    return filters


@dataclass(frozen=True, slots=True)
class QuickFilter:
    """One check box of the filter form and the rule behind it."""

    name: str
    label: str
    criterion: Criterion | None = None
    fact_id: str = ""
    checked: bool = False

    def passes(self, platform: Platform) -> bool:
        """Whether the platform's facts meet the rule for certain."""
        if self.criterion is not None:
            return satisfy(self.criterion, platform.facts, {}) == 1.0
        return platform.fact(self.fact_id).known


def _quick_filters(questionnaire: Questionnaire, catalogue: Catalogue) -> list[QuickFilter]:
    """The check boxes whose rule exists in the data; a missing criterion gives none."""
    labels = {
        "geen_advertenties": _("geen advertenties"),
        "gegevens_eu": _("gegevens in de EU"),
        "open_source_volledig": _("open source (volledig)"),
        PRICE_FILTER: _("prijs bekend"),
    }
    result = []
    for name, criterion_id in CRITERION_FILTERS:
        criterion = questionnaire.criteria.get(criterion_id)
        if criterion is not None:
            result.append(QuickFilter(name, labels[name], criterion))
    cost = questionnaire.cost_fact
    if cost and cost in catalogue.facts:
        result.append(QuickFilter(PRICE_FILTER, labels[PRICE_FILTER], fact_id=cost))
    return result


def _matches_fact(fact: Fact, spec: FactDef, value: str) -> bool:
    """Whether a fact is known and contains (set) or equals (choice, bool) the value."""
    if not fact.known:
        return False
    if spec.type == "set":
        return value in fact.value
    if spec.type == "bool":
        return fact.value is BOOL_VALUES[value]
    return bool(fact.value == value)


def _sorted(platforms: tuple[Platform, ...]) -> list[Platform]:
    return sorted(platforms, key=lambda p: (p.name.casefold(), p.id))


def known_count(catalogue: Catalogue, platform: Platform) -> int:
    """How many facts of the schema are known for the platform."""
    return sum(1 for fact_id in catalogue.facts if platform.fact(fact_id).known)


@bp.get("/")
def index() -> Any:
    """All platforms, sorted by name, with filters and a selection for the comparison."""
    return index_page()


def index_page(problem: str = "", status: int = 200) -> Any:
    """The list page; `problem` says what to change in a selection that cannot be compared
    (the selection stays ticked, so nothing has to be chosen again)."""
    questionnaire, catalogue = catalogue_data()
    filters = _filters(catalogue, questionnaire.texts)
    chosen: list[Filter] = []
    for f in filters:
        value = request.args.get(f.name, "").strip()
        if value and value not in dict(f.options):
            return render_error(
                400,
                _(
                    "Het filter '{label}' kent de waarde '{value}' niet. Kies een waarde uit de "
                    "lijst of wis de filters."
                ).format(label=f.label, value=value[:60]),
            )
        chosen.append(Filter(f.name, f.label, f.any_label, f.options, f.fact, value))
    search = request.args.get("zoek", "").strip()
    if len(search) > MAX_SEARCH:
        return render_error(
            400, _("De zoektekst is te lang: gebruik hoogstens {n} tekens.").format(n=MAX_SEARCH)
        )

    quick = []
    for q in _quick_filters(questionnaire, catalogue):
        value = request.args.get(q.name, "")
        if value not in ("", "1"):
            return render_error(
                400,
                _("Het filter '{label}' is aan (1) of uit; '{value}' kent Kompas niet.").format(
                    label=q.label, value=value[:60]
                ),
            )
        quick.append(QuickFilter(q.name, q.label, q.criterion, q.fact_id, value == "1"))

    platforms = _filtered(catalogue, chosen, quick, search)
    selected = set(request.args.getlist("p"))
    return render_template(
        "catalogue/index.html",
        problem=problem,
        dossier_token=dossier_token(),
        catalogue=catalogue,
        filters=chosen,
        search=search,
        quick_filters=quick,
        active=bool(search) or any(f.selected for f in chosen) or any(q.checked for q in quick),
        platforms=[(p, known_count(catalogue, p)) for p in platforms],
        total_facts=len(catalogue.facts),
        selected=selected,
        min_compare=MIN_COMPARE,
        max_compare=MAX_COMPARE,
    ), status


def _filtered(
    catalogue: Catalogue, chosen: list[Filter], quick: list[QuickFilter], search: str
) -> list[Platform]:
    """The platforms, by name, that pass the ticked quick filters, the filters and the search."""
    platforms = _sorted(catalogue.platforms)
    platforms = [p for p in platforms if all(q.passes(p) for q in quick if q.checked)]
    for f in chosen:
        if not f.selected:
            continue
        if f.fact is None:
            platforms = [p for p in platforms if p.category == f.selected]
        else:
            spec = f.fact
            platforms = [p for p in platforms if _matches_fact(p.fact(spec.id), spec, f.selected)]
    if search:
        needle = search.casefold()
        platforms = [
            p
            for p in platforms
            if needle in p.name.casefold() or needle in p.description.casefold()
        ]
    return platforms


@bp.app_template_global("fact_evidence")
def fact_evidence(fact: Fact) -> str:
    """What a known fact rests on, with its source year ("volgens de leverancier, 2024")."""
    if not fact.known:
        return ""
    ref = FactRef(
        fact.id, "", fact.status, "", fact.source, fact.checked, "", fact.evidence, fact.source_date
    )
    return evidence_phrase(ref)


@dataclass(frozen=True, slots=True)
class Cell:
    """One fact of one platform, ready for a page."""

    status: str
    text: str
    fact: Fact
    footnote: int | None = None


def fact_cell(spec: FactDef, fact: Fact, texts: Mapping[str, str]) -> Cell:
    if fact.status == "unknown":
        text = _("onbekend")
    elif fact.status == "not_applicable":
        text = _("niet van toepassing")
    else:
        text = describe_value(spec, fact, texts)
    return Cell(fact.status, text, fact)


@bp.get("/<platform_id>")
def detail(platform_id: str) -> Any:
    """Every fact of the schema for one platform, with source, checked date and note."""
    questionnaire, catalogue = catalogue_data()
    platform = catalogue.index.get(platform_id)
    if platform is None:
        abort(404)
    rows = [
        (spec, fact_cell(spec, platform.fact(spec.id), questionnaire.texts))
        for spec in catalogue.facts.values()
    ]
    cells = tally(platform.id, (platform.fact(fid) for fid in catalogue.facts))
    # The same count as the per-platform row of `kompas catalogue stats` (and the README).
    relevant = decision_facts(questionnaire, catalogue)
    decision = tally(platform.id, (platform.fact(fid) for fid in relevant))
    return render_template(
        "catalogue/detail.html",
        platform=platform,
        category=catalogue.categories.get(platform.category, platform.category),
        rows=rows,
        cells=cells,
        decision=decision,
        searched=searched_in_vain(catalogue, platform.id),
        drawbacks=drawbacks_of(catalogue, platform),
    )


RESERVED_IDS = frozenset({"vergelijk"})


def reserved_id_problem(catalogue: Catalogue) -> str | None:
    """Why the catalogue cannot be served: platform ids that collide with Kompas pages."""
    clash = sorted(p.id for p in catalogue.platforms if p.id in RESERVED_IDS)
    if clash:
        return f"platform id(s) {', '.join(clash)} are reserved for Kompas pages: rename them"
    return None
