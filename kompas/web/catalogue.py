"""The platform comparator: catalogue list with filters, platform pages, side-by-side comparison.

Every page is a plain GET page: filters and the selection for a comparison are ordinary
forms, so everything works without JavaScript. Query strings are checked against the
catalogue; a value that cannot come from the forms (a tampered link) gets a friendly 400.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import Blueprint
from flask import abort
from flask import current_app
from flask import render_template
from flask import request
from flask import url_for
from markupsafe import Markup

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
from kompas.engine.result import Advice
from kompas.engine.result import CriterionResult
from kompas.engine.result import FactRef
from kompas.engine.result import PlatformResult
from kompas.i18n import _
from kompas.i18n import ngettext
from kompas.present.platforms import verdict
from kompas.present.words import weight_text
from kompas.present.words import whole
from kompas.web import db
from kompas.web.advice_views import dossier_explanation
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


def _data() -> tuple[Questionnaire, Catalogue]:
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
    return _index_page()


def _index_page(problem: str = "", status: int = 200) -> Any:
    """The list page; `problem` says what to change in a selection that cannot be compared
    (the selection stays ticked, so nothing has to be chosen again)."""
    questionnaire, catalogue = _data()
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

    selected = set(request.args.getlist("p"))
    return render_template(
        "catalogue/index.html",
        problem=problem,
        dossier_token=_dossier_token(),
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


def _cell(spec: FactDef, fact: Fact, texts: Mapping[str, str]) -> Cell:
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
    questionnaire, catalogue = _data()
    platform = catalogue.index.get(platform_id)
    if platform is None:
        abort(404)
    rows = [
        (spec, _cell(spec, platform.fact(spec.id), questionnaire.texts))
        for spec in catalogue.facts.values()
    ]
    cells = tally(platform.id, (platform.fact(fid) for fid in catalogue.facts))
    return render_template(
        "catalogue/detail.html",
        platform=platform,
        category=catalogue.categories.get(platform.category, platform.category),
        rows=rows,
        cells=cells,
        searched=searched_in_vain(catalogue, platform.id),
    )


def _comparable(spec: FactDef, fact: Fact) -> tuple[str, Any]:
    """A fact's status and value in a form where equal meaning compares equal."""
    if not fact.known:
        return (fact.status, None)
    value = fact.value
    if spec.type == "set":
        return ("known", frozenset(value))
    if spec.type == "range":
        return ("known", (value["min"], value["max"]))
    return ("known", value)


def _compare_error(text: str, chosen: list[str] | None = None) -> tuple[str, int]:
    """A 400 page saying what to do, with a link back to the list (selection kept)."""
    args: dict[str, Any] = {"p": [c for c in (chosen or []) if c]} if chosen else {}
    if _dossier_token():
        args["d"] = _dossier_token()
    back = url_for("catalogue.index", **args)
    detail = Markup('{text} <a href="{url}">{link}</a>').format(
        text=text, url=back, link=_("Terug naar de platformvergelijker")
    )
    return render_error(400, detail)


DOSSIER = "d"  # query parameter: the dossier's token, to compare against its criteria
SHORTLIST = 4  # platforms compared when a dossier link names none: the top of its ranking


def _dossier_token() -> str:
    """The dossier token of the request, if any (checked where it is used)."""
    return request.args.get(DOSSIER, "")[:100]


@dataclass(frozen=True, slots=True)
class Mark:
    """How a platform does on one of the dossier's criteria: a symbol and a word."""

    state: str
    symbol: str
    word: str


MARKS = {"met": "✓", "partial": "±", "unmet": "✗", "unknown": "?", "not_applicable": "–"}


def mark(result: CriterionResult | None) -> Mark:
    """The engine's verdict on a criterion as a cell: the symbol never stands alone."""
    v = verdict(result)
    return Mark(v.state, MARKS[v.state], v.word)


@dataclass(frozen=True, slots=True)
class DossierView:
    """The chosen platforms against one dossier's criteria, as the advice computed them."""

    token: str
    municipality: str
    scores: tuple[tuple[str, str, str], ...]  # per platform: score, range, standing
    rows: tuple[tuple[str, str, tuple[Mark, ...]], ...]  # criterion, weight, marks


def _standing(advice: Advice, result: PlatformResult) -> str:
    if result in advice.ranking:
        return _("plaats {rank} in uw advies").format(rank=result.rank)
    if result in advice.excluded:
        return _("valt af op een eis")
    return _("geen kandidaat")


def _dossier_view(token: str, advice: Advice, municipality: str, ids: list[str]) -> DossierView:
    """Scores and criteria cells for the chosen platforms, read from the advice."""
    results = [advice.result(i) for i in ids]
    scores = tuple(
        (
            whole(r.score),
            "" if r.lower is None or r.upper is None else f"{whole(r.lower)} – {whole(r.upper)}",
            _standing(advice, r),
        )
        for r in results
    )
    rows = tuple(
        (
            a.label,
            _("eis") if a.must else weight_text(a.weight),
            tuple(mark(r.result(a.id)) for r in results),
        )
        for a in advice.active
        if a.must or a.weight > 0
    )
    return DossierView(token, municipality, scores, rows)


@bp.get("/vergelijk")
def compare() -> Any:
    """Two to four platforms side by side, one row per fact, differing rows marked."""
    questionnaire, catalogue = _data()
    ids = request.args.getlist("p")
    only_differences = request.args.get("alleen_verschillen", "")
    if only_differences not in ("", "0", "1"):
        return _compare_error(_("De optie 'alleen verschillen' moet 1 of 0 zijn."))
    token = _dossier_token()
    opened = db.open_dossier(token) if token else None
    if token and opened is None:
        abort(404)
    advice = None
    if opened is not None:
        # Exactly the advice page's explanation (local facts included): same order and scores.
        explanation = dossier_explanation(opened[0], opened[1])
        advice, catalogue = explanation.advice, explanation.catalogue
        if not ids:  # a link from the dossier: its shortlist
            ids = [r.platform.id for r in advice.ranking[:SHORTLIST]]
    if not MIN_COMPARE <= len(ids) <= MAX_COMPARE and len(ids) <= 2 * MAX_COMPARE:
        # The list again, with the selection still ticked and what to do at the top.
        return _index_page(
            ngettext(
                "U koos {n} platform. Kies er minstens {min} en hoogstens {max} in de lijst en "
                "klik op 'Vergelijk geselecteerde platforms'.",
                "U koos {n} platforms. Kies er minstens {min} en hoogstens {max} in de lijst en "
                "klik op 'Vergelijk geselecteerde platforms'.",
                len(ids),
            ).format(n=len(ids), min=MIN_COMPARE, max=MAX_COMPARE),
            400,
        )
    if not MIN_COMPARE <= len(ids) <= MAX_COMPARE:
        # More than any form can send: a tampered link.
        return _compare_error(
            _("U koos {n} platforms. Kies er minstens {min} en hoogstens {max}.").format(
                n=len(ids), min=MIN_COMPARE, max=MAX_COMPARE
            )
        )
    if len(set(ids)) != len(ids):
        return _compare_error(
            _(
                "U koos een platform meer dan eens. Kies {min} tot {max} verschillende platforms."
            ).format(min=MIN_COMPARE, max=MAX_COMPARE),
            list(dict.fromkeys(ids)),
        )
    unknown = [i for i in ids if i not in catalogue.index]
    if unknown:
        return _compare_error(
            _(
                "Kompas kent {n} van de gekozen platforms niet (meer). Kies opnieuw in de lijst."
            ).format(n=len(unknown)),
            [i for i in ids if i in catalogue.index],
        )
    platforms = [catalogue.platform(i) for i in ids]
    versus = (
        _dossier_view(token, advice, opened[0].municipality, ids)
        if advice is not None and opened is not None
        else None
    )

    rows = []
    for spec in catalogue.facts.values():
        facts = [p.fact(spec.id) for p in platforms]
        differs = len({_comparable(spec, f) for f in facts}) > 1
        rows.append((spec, differs, facts))
    shown = [r for r in rows if r[1]] if only_differences == "1" else rows

    # Sources as numbered footnotes, in order of first use in the rows shown.
    footnotes: dict[tuple[str, dt.date | None], int] = {}
    table = []
    for spec, differs, facts in shown:
        cells = []
        for fact in facts:
            cell = _cell(spec, fact, questionnaire.texts)
            if fact.known and fact.source:
                n = footnotes.setdefault((fact.source, fact.checked), len(footnotes) + 1)
                cell = Cell(cell.status, cell.text, fact, n)
            cells.append(cell)
        table.append((spec, differs, cells))
    return render_template(
        "catalogue/compare.html",
        platforms=platforms,
        rows=table,
        differing=sum(1 for r in rows if r[1]),
        total_rows=len(rows),
        only_differences=only_differences == "1",
        footnotes=[(n, source, checked) for (source, checked), n in footnotes.items()],
        versus=versus,
    )


RESERVED_IDS = frozenset({"vergelijk"})


def reserved_id_problem(catalogue: Catalogue) -> str | None:
    """Why the catalogue cannot be served: platform ids that collide with Kompas pages."""
    clash = sorted(p.id for p in catalogue.platforms if p.id in RESERVED_IDS)
    if clash:
        return f"platform id(s) {', '.join(clash)} are reserved for Kompas pages: rename them"
    return None
