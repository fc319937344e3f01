"""The platform comparator pages: list with filters, platform page, side-by-side comparison.

Every expectation is computed from the loaded catalogue; no platform is named here.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from kompas.engine.criterion_results import describe_value
from kompas.engine.model import Catalogue
from kompas.engine.model import Fact
from kompas.engine.model import FactDef
from kompas.engine.model import Platform
from kompas.engine.model import Questionnaire
from tests.conftest import build_app

DATA = Path(__file__).parent / "data"
FILTERS = {"functie": "functions", "financiering": "funding_model", "open_source": "open_source"}
SCRIPT = "<script>alert(1)</script>"


def page(client: FlaskClient, url: str, query: Any = None, status: int = 200) -> BeautifulSoup:
    response = client.get(url, query_string=query)
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    assert response.mimetype == "text/html"
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    check_page(soup)
    return soup


def check_page(soup: BeautifulSoup) -> None:
    """What every page must do under the strict CSP and WCAG: no inline code, labelled fields."""
    assert soup.find("script") is None
    assert soup.find(style=True) is None
    assert soup.find("style") is None
    assert not [t for t in soup.find_all(True) if any(a.startswith("on") for a in t.attrs)]
    assert len(soup.find_all("h1")) == 1
    for field in soup.find_all(["input", "select", "textarea"]):
        if field.get("type") in ("hidden", "submit"):
            continue
        assert field.get("id"), field
        assert soup.find("label", attrs={"for": field["id"]}), field
    for table in soup.find_all("table"):
        assert table.find("caption") and table.find("caption").get_text(strip=True)
        assert all(th.get("scope") in ("col", "row") for th in table.find_all("th"))


def text(tag: Any) -> str:
    return " ".join(tag.get_text(" ").split())


def listed(soup: BeautifulSoup) -> list[str]:
    """Platform ids in the list, in order, read from the comparison checkboxes."""
    return [box["value"] for box in soup.select("input[type=checkbox][name=p]")]


def by_name(platforms: Any) -> list[str]:
    return [p.id for p in sorted(platforms, key=lambda p: (p.name.casefold(), p.id))]


def matches(fact: Fact, spec: FactDef, value: str) -> bool:
    if not fact.known:
        return False
    if spec.type == "set":
        return value in fact.value
    return bool(fact.value == value)


def is_error_page(soup: BeautifulSoup, status: int) -> None:
    assert f"Foutcode {status}" in text(soup)
    assert "Traceback" not in text(soup)


# ---------------------------------------------------------------- list


def test_list_shows_every_platform_sorted_by_name(
    client: FlaskClient, catalogue: Catalogue
) -> None:
    soup = page(client, "/platforms/")
    assert listed(soup) == by_name(catalogue.platforms)
    total = len(catalogue.facts)
    for platform in catalogue.platforms:
        card = soup.find(id=f"platform-{platform.id}")
        assert card is not None
        link = card.find("h3").find("a")
        assert text(link) == platform.name
        assert link["href"] == f"/platforms/{platform.id}"
        assert catalogue.categories[platform.category] in text(card)
        assert " ".join(platform.description.split()) in text(card)
        known = sum(1 for f in catalogue.facts if platform.fact(f).known)
        assert f"{known} van {total} feiten bekend" in text(card)
    form = soup.find("form", action="/platforms/vergelijk")
    assert form["method"] == "get"
    assert "Vergelijk geselecteerde platforms (2 tot 4)" in text(form.find("button"))
    assert f"{len(catalogue.platforms)} platforms in de catalogus" in text(soup)
    assert soup.find("a", string="filters wissen") is None


def test_filter_selects_come_from_the_schema(client: FlaskClient, catalogue: Catalogue) -> None:
    soup = page(client, "/platforms/")
    category = soup.find("select", attrs={"name": "categorie"})
    assert [o["value"] for o in category.find_all("option")] == ["", *catalogue.categories]
    for name, fact_id in FILTERS.items():
        spec = catalogue.facts[fact_id]
        select = soup.find("select", attrs={"name": name})
        assert text(soup.find("label", attrs={"for": select["id"]})) == spec.label
        options = select.find_all("option")
        assert [o["value"] for o in options] == ["", *spec.values]
        assert [text(o) for o in options[1:]] == list(spec.values.values())


@pytest.mark.parametrize("name", sorted(FILTERS))
def test_fact_filters_match_only_known_facts(
    client: FlaskClient, catalogue: Catalogue, name: str
) -> None:
    spec = catalogue.facts[FILTERS[name]]
    # functions is known everywhere (tests/test_catalogue_data.py): a known empty set, which
    # matches no value either, stands in for the unknown there.
    assert any(not p.fact(spec.id).known or not p.fact(spec.id).value for p in catalogue.platforms)
    narrowed = False
    for value in spec.values:
        expected = by_name(p for p in catalogue.platforms if matches(p.fact(spec.id), spec, value))
        soup = page(client, "/platforms/", {name: value})
        assert listed(soup) == expected, value
        narrowed |= len(expected) < len(catalogue.platforms)
        selected = soup.find("select", attrs={"name": name}).find("option", selected=True)
        assert selected["value"] == value
        assert soup.find("a", string="filters wissen")["href"] == "/platforms/"
        count = text(soup.find(class_="result-count"))
        if expected:
            assert count.startswith(f"{len(expected)} platform")
        else:
            assert "Geen enkel platform" in text(soup)
    assert narrowed


def test_category_filter(client: FlaskClient, catalogue: Catalogue) -> None:
    for category in catalogue.categories:
        expected = by_name(p for p in catalogue.platforms if p.category == category)
        assert listed(page(client, "/platforms/", {"categorie": category})) == expected


def test_search_on_name_and_description(client: FlaskClient, catalogue: Catalogue) -> None:
    platform = by_name(catalogue.platforms)[0]
    chosen = catalogue.platform(platform)
    word = max(re.findall(r"\w+", chosen.description), key=len)
    for needle in (word.upper(), chosen.name[1:4]):
        folded = needle.casefold()
        expected = by_name(
            p
            for p in catalogue.platforms
            if folded in p.name.casefold() or folded in p.description.casefold()
        )
        soup = page(client, "/platforms/", {"zoek": needle})
        assert platform in expected
        assert listed(soup) == expected
        assert soup.find("input", attrs={"name": "zoek"})["value"] == needle


def test_filters_combine(client: FlaskClient, catalogue: Catalogue) -> None:
    functions, funding = catalogue.facts["functions"], catalogue.facts["funding_model"]

    def both(p: Platform, f: str, g: str) -> bool:
        return matches(p.fact(functions.id), functions, f) and matches(
            p.fact(funding.id), funding, g
        )

    # The pair of values that keeps the most platforms, so the test is not vacuous.
    _, f, g = max(
        (sum(both(p, f, g) for p in catalogue.platforms), f, g)
        for f, g in itertools.product(functions.values, funding.values)
    )
    expected = by_name(p for p in catalogue.platforms if both(p, f, g))
    assert 0 < len(expected) < len(catalogue.platforms)
    soup = page(client, "/platforms/", {"functie": f, "financiering": g})
    assert listed(soup) == expected
    assert f"van {len(catalogue.platforms)} in de catalogus" in text(soup)


@pytest.mark.parametrize(
    "query",
    [
        {"functie": "bestaat_niet"},
        {"financiering": "<script>"},
        {"open_source": "true"},
        {"categorie": "geen_categorie"},
        {"zoek": "x" * 500},
    ],
)
def test_unknown_filter_values_give_a_friendly_400(
    client: FlaskClient, query: dict[str, str]
) -> None:
    soup = page(client, "/platforms/", query, status=400)
    is_error_page(soup, 400)
    assert "<script>" not in str(soup.find("main"))


def test_list_keeps_selection(client: FlaskClient, catalogue: Catalogue) -> None:
    chosen = by_name(catalogue.platforms)[:2]
    soup = page(client, "/platforms/", [("p", chosen[0]), ("p", chosen[1])])
    checked = [b["value"] for b in soup.select("input[name=p][checked]")]
    assert checked == chosen


# ---------------------------------------------------------------- platform page


def test_platform_page_shows_every_fact_with_sources(
    client: FlaskClient, catalogue: Catalogue, questionnaire: Questionnaire
) -> None:
    for platform in catalogue.platforms:
        soup = page(client, f"/platforms/{platform.id}")
        assert text(soup.find("h1")) == platform.name
        main = soup.find("main")
        assert catalogue.categories[platform.category] in text(main)
        assert " ".join(platform.description.split()) in text(main)
        if platform.url:
            site = main.find("a", href=platform.url)
            assert site is not None and site["rel"] == ["noreferrer", "noopener", "external"]
            assert platform.url == platform.homepage
        else:
            assert "geen eigen website bekend" in text(main)
        rows = soup.select("table.facts tbody tr")
        assert [text(r.find("th")) for r in rows] == [s.label for s in catalogue.facts.values()]
        for spec in catalogue.facts.values():
            fact = platform.fact(spec.id)
            row = soup.find("tr", id=f"feit-{spec.id}")
            value_cell, source_cell = row.find_all("td")
            if fact.status == "unknown":
                assert row.find(class_="unknown-value").get_text(strip=True) == "onbekend"
            elif fact.status == "not_applicable":
                assert text(value_cell).startswith("niet van toepassing")
            else:
                assert " ".join(describe_value(spec, fact, questionnaire.texts).split()) in text(
                    value_cell
                )
                if fact.source.startswith("http"):
                    link = source_cell.find("a", href=fact.source)
                    assert link is not None
                    assert link["rel"] == ["noreferrer", "noopener", "external"]
                else:
                    assert fact.source in text(source_cell)
                assert fact.checked is not None
                assert source_cell.find("time")["datetime"] == fact.checked.isoformat()
                if fact.note:
                    assert " ".join(fact.note.split()) in text(value_cell)


def test_unknown_platform_is_404(client: FlaskClient) -> None:
    is_error_page(page(client, "/platforms/bestaat_niet", status=404), 404)


# ---------------------------------------------------------------- comparison


def comparable(spec: FactDef, fact: Fact) -> Any:
    if not fact.known:
        return fact.status
    if spec.type == "set":
        return frozenset(fact.value)
    if spec.type == "range":
        return (fact.value["min"], fact.value["max"])
    return fact.value


def differing(catalogue: Catalogue, platforms: list[Platform]) -> list[str]:
    return [
        spec.id
        for spec in catalogue.facts.values()
        if len({comparable(spec, p.fact(spec.id)) for p in platforms}) > 1
    ]


def pick(catalogue: Catalogue, n: int) -> list[Platform]:
    """n platforms whose comparison has both equal and differing rows."""
    for combo in itertools.combinations(catalogue.platforms, n):
        diff = differing(catalogue, list(combo))
        if 0 < len(diff) < len(catalogue.facts):
            return list(combo)
    raise AssertionError("no suitable platforms")


@pytest.mark.parametrize("n", [2, 3, 4])
def test_compare_marks_differing_rows(
    client: FlaskClient, catalogue: Catalogue, questionnaire: Questionnaire, n: int
) -> None:
    chosen = pick(catalogue, n)
    query = [("p", p.id) for p in chosen]
    soup = page(client, "/platforms/vergelijk", query)
    table = soup.find("table", class_="compare")
    heads = [text(th) for th in table.select("thead th")]
    assert heads == ["Feit", *[p.name for p in chosen]]
    rows = table.select("tbody tr")
    assert [r["id"] for r in rows] == [f"feit-{f}" for f in catalogue.facts]
    expected = differing(catalogue, chosen)
    for row in rows:
        fact_id = row["id"].removeprefix("feit-")
        marked = "differs" in row.get("class", [])
        assert marked == (fact_id in expected), fact_id
        assert ("verschilt" in text(row.find("th"))) == marked
    notes = {li["id"]: li for li in soup.select("ol.footnotes li")}
    for row in rows:
        spec = catalogue.facts[row["id"].removeprefix("feit-")]
        for cell, platform in zip(row.find_all("td"), chosen, strict=True):
            fact = platform.fact(spec.id)
            if not fact.known:
                assert cell.find(class_="footnote-ref") is None
                label = "onbekend" if fact.status == "unknown" else "niet van toepassing"
                assert text(cell).startswith(label)
                continue
            assert text(cell).startswith(
                " ".join(describe_value(spec, fact, questionnaire.texts).split())
            )
            ref = cell.find("a", class_="footnote-ref")
            number = re.fullmatch(r"bron \[(\d+)\]", text(ref)).group(1)
            assert ref["href"] == f"#bron-{number}"
            note = notes[f"bron-{number}"]
            assert note["value"] == number
            assert fact.source in text(note)
            assert fact.checked.isoformat() in text(note)


def test_only_differences_hides_equal_rows(client: FlaskClient, catalogue: Catalogue) -> None:
    chosen = pick(catalogue, 2)
    query = [("p", p.id) for p in chosen]
    soup = page(client, "/platforms/vergelijk", [*query, ("alleen_verschillen", "1")])
    rows = soup.select("table.compare tbody tr")
    assert [r["id"] for r in rows] == [f"feit-{f}" for f in differing(catalogue, chosen)]
    assert all("differs" in r["class"] for r in rows)
    box = soup.find("input", attrs={"name": "alleen_verschillen"})
    assert box.has_attr("checked")
    # Footnotes are numbered over the rows shown: 1..n without gaps.
    numbers = [li["value"] for li in soup.select("ol.footnotes li")]
    assert numbers == [str(i) for i in range(1, len(numbers) + 1)]
    full = page(client, "/platforms/vergelijk", [*query, ("alleen_verschillen", "0")])
    assert len(full.select("table.compare tbody tr")) == len(catalogue.facts)


def test_list_form_submits_to_compare(client: FlaskClient, catalogue: Catalogue) -> None:
    soup = page(client, "/platforms/")
    boxes = soup.select("form[action='/platforms/vergelijk'] input[name=p]")
    query = [("p", b["value"]) for b in boxes[:3]]
    result = page(client, "/platforms/vergelijk", query)
    assert len(result.select("table.compare thead th")) == 4


def bad_compare_queries(catalogue: Catalogue) -> list[list[tuple[str, str]]]:
    ids = by_name(catalogue.platforms)
    return [
        [("p", i) for i in ids[:9]],
        [("p", ids[0]), ("p", ids[0])],
        [("p", ids[0]), ("p", "bestaat_niet")],
        [("p", ids[0]), ("p", "")],
        [("p", ids[0]), ("p", ids[1]), ("alleen_verschillen", "ja")],
    ]


def test_bad_comparisons_give_a_friendly_400(client: FlaskClient, catalogue: Catalogue) -> None:
    for query in bad_compare_queries(catalogue):
        soup = page(client, "/platforms/vergelijk", query, status=400)
        is_error_page(soup, 400)
        back = soup.find("a", string="Terug naar de platformvergelijker")
        assert back is not None and back["href"].startswith("/platforms/")


def test_a_wrong_number_of_platforms_keeps_the_selection(
    client: FlaskClient, catalogue: Catalogue
) -> None:
    """1 or 5 platforms: the list again, the choice still ticked, what to do at the top."""
    ids = by_name(catalogue.platforms)
    for chosen in ([], ids[:1], ids[:5]):
        soup = page(client, "/platforms/vergelijk", [("p", i) for i in chosen], status=400)
        assert "Foutcode" not in text(soup)
        problem = soup.find(id="keuze-probleem")
        assert problem is not None and problem.get("role") == "alert"
        assert f"U koos {len(chosen)} platform" in text(problem)
        assert "minstens 2 en hoogstens 4" in text(problem)
        ticked = {box["value"] for box in soup.select("input[name=p][checked]")}
        assert ticked == set(chosen)


# ---------------------------------------------------------------- data is escaped


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    """The mini catalogue with markup in a description, a fact note and a category label."""
    folder = tmp_path_factory.mktemp("hostile")
    platforms = (DATA / "mini_platforms.yaml").read_text(encoding="utf-8")
    platforms = re.sub(
        r"^(\s+description: ).*$",
        lambda m: f'{m.group(1)}"Kijk {SCRIPT} uit"',
        platforms,
        count=1,
        flags=re.M,
    )
    platforms = re.sub(
        r"^(categories:\n  \w+: ).*$",
        lambda m: f'{m.group(1)}"<b>vet</b> {SCRIPT}"',
        platforms,
        count=1,
        flags=re.M,
    )
    platforms = re.sub(
        r"(checked: [\d-]+)\}",
        lambda m: f'{m.group(1)}, note: "Let op {SCRIPT}"}}',
        platforms,
        count=1,
    )
    assert platforms.count(SCRIPT) == 3
    (folder / "platforms.yaml").write_text(platforms, encoding="utf-8")
    (folder / "questions.yaml").write_text(
        (DATA / "mini_questions.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    app = build_app(
        "sqlite://",
        folder,
        migrated=False,
        PLATFORMS_FILE=str(folder / "platforms.yaml"),
        QUESTIONS_FILE=str(folder / "questions.yaml"),
    )
    return app.test_client()


def test_markup_in_yaml_is_escaped(hostile: FlaskClient) -> None:
    catalogue: Catalogue = hostile.application.extensions["kompas"]["catalogue"]
    victim = next(p for p in catalogue.platforms if SCRIPT in p.description)
    other = next(p for p in catalogue.platforms if p is not victim)
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    for url, query in (
        ("/platforms/", None),
        ("/platforms/", {"zoek": "alert"}),
        (f"/platforms/{victim.id}", None),
        ("/platforms/vergelijk", [("p", victim.id), ("p", other.id)]),
    ):
        response = hostile.get(url, query_string=query)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert SCRIPT not in html
        assert escaped in html
        check_page(BeautifulSoup(html, "html.parser"))
    assert listed(page(hostile, "/platforms/", {"zoek": "alert"})) == [victim.id]


def test_missing_filter_fact_leaves_the_filter_out(hostile: FlaskClient) -> None:
    catalogue: Catalogue = hostile.application.extensions["kompas"]["catalogue"]
    assert "funding_model" not in catalogue.facts
    soup = page(hostile, "/platforms/")
    assert soup.find("select", attrs={"name": "financiering"}) is None
    assert soup.find("select", attrs={"name": "functie"}) is not None
    # The mini schema has open_source as a bool: the filter offers ja and nee.
    assert catalogue.facts["open_source"].type == "bool"
    expected = by_name(
        p
        for p in catalogue.platforms
        if p.fact("open_source").known and p.fact("open_source").value is True
    )
    assert listed(page(hostile, "/platforms/", {"open_source": "ja"})) == expected
    assert len(listed(page(hostile, "/platforms/"))) == len(catalogue.platforms)
