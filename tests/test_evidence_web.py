"""Issue 13 points 1 and 4: evidence levels on the platform pages, quick filters on the list.

Every expectation is computed from the shipped data (facts and criteria); no platform is
named here.
"""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from kompas.engine.criterion_results import satisfy
from kompas.engine.evidence import evidence_label
from kompas.engine.model import Catalogue
from kompas.engine.model import Platform
from kompas.engine.model import Questionnaire
from tests import browser_helpers as bh
from tests import tls_helpers

# Check box -> the criterion of questions.yaml that decides it.
QUICK = {
    "geen_advertenties": "geen_reclame",
    "gegevens_eu": "data_in_eu",
    "open_source_volledig": "open_source_volledig",
}


def listed(client: FlaskClient, query: dict[str, str]) -> set[str]:
    response = client.get("/platforms/", query_string=query)
    assert response.status_code == 200
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    return {li["id"].removeprefix("platform-") for li in soup.select("li.platform-card")}


def expected(q: Questionnaire, c: Catalogue, name: str) -> set[str]:
    if name == "prijs_bekend":
        return {p.id for p in c.platforms if p.fact(q.cost_fact).known}
    criterion = q.criteria[QUICK[name]]
    return {p.id for p in c.platforms if satisfy(criterion, p.facts, {}) == 1.0}


@pytest.mark.parametrize("name", [*QUICK, "prijs_bekend"])
def test_each_quick_filter_follows_its_rule_in_the_data(
    client: FlaskClient, catalogue: Catalogue, questionnaire: Questionnaire, name: str
) -> None:
    want = expected(questionnaire, catalogue, name)
    assert want, f"the shipped data should have at least one platform for {name}"
    assert want != {p.id for p in catalogue.platforms}, f"{name} should leave platforms out"
    assert listed(client, {name: "1"}) == want


def test_quick_filters_combine(
    client: FlaskClient, catalogue: Catalogue, questionnaire: Questionnaire
) -> None:
    names = ["geen_advertenties", "prijs_bekend"]
    want = expected(questionnaire, catalogue, names[0]) & expected(
        questionnaire, catalogue, names[1]
    )
    assert listed(client, dict.fromkeys(names, "1")) == want


def test_quick_filter_boxes_are_on_the_list_page(client: FlaskClient) -> None:
    soup = BeautifulSoup(client.get("/platforms/").get_data(as_text=True), "html.parser")
    boxes = {i["name"] for i in soup.select("fieldset.quick-filters input[type=checkbox]")}
    assert boxes == {*QUICK, "prijs_bekend"}
    for name in boxes:
        assert soup.select_one(f"label[for=filter-{name}]") is not None
    checked = BeautifulSoup(
        client.get("/platforms/?prijs_bekend=1").get_data(as_text=True), "html.parser"
    )
    assert checked.select_one("#filter-prijs_bekend").has_attr("checked")


def test_a_tampered_quick_filter_is_a_friendly_400(client: FlaskClient) -> None:
    response = client.get("/platforms/?geen_advertenties=ja")
    assert response.status_code == 400
    assert "geen advertenties" in response.get_data(as_text=True)


def _platform_with(catalogue: Catalogue, level: str) -> tuple[Platform, str]:
    for platform in catalogue.platforms:
        for fact in platform.facts.values():
            if fact.known and fact.evidence == level and fact.source_date is not None:
                return platform, fact.id
    raise AssertionError(f"no dated fact with evidence {level} in the shipped data")


@pytest.mark.parametrize("level", ["leverancier", "onafhankelijk", "gemeente"])
def test_platform_page_shows_the_evidence_phrase(
    client: FlaskClient, catalogue: Catalogue, level: str
) -> None:
    platform, fact_id = _platform_with(catalogue, level)
    fact = platform.fact(fact_id)
    html = client.get(f"/platforms/{platform.id}").get_data(as_text=True)
    row = BeautifulSoup(html, "html.parser").select_one(f"#feit-{fact_id}")
    assert row is not None
    phrase = row.select_one(".evidence").get_text()
    assert phrase == f"{evidence_label(level)}, {fact.source_date.year}"  # type: ignore[union-attr]


def test_compare_shows_the_evidence_next_to_each_source(
    client: FlaskClient, catalogue: Catalogue
) -> None:
    first, fact_id = _platform_with(catalogue, "leverancier")
    other = next(p for p in catalogue.platforms if p.id != first.id)
    html = client.get(f"/platforms/vergelijk?p={first.id}&p={other.id}").get_data(as_text=True)
    cell = BeautifulSoup(html, "html.parser").select(f"#feit-{fact_id} td")[0]
    assert evidence_label("leverancier") in cell.select_one(".evidence").get_text()


def test_english_pages_translate_the_filters_and_phrases(
    client: FlaskClient, catalogue: Catalogue
) -> None:
    html = client.get("/platforms/?lang=en").get_data(as_text=True)
    assert "no advertisements" in html and "geen advertenties" not in html
    platform, _fact = _platform_with(catalogue, "leverancier")
    page = client.get(f"/platforms/{platform.id}?lang=en").get_data(as_text=True)
    assert "volgens de leverancier" not in page


# -- one check in Chromium over the production setup (gunicorn with TLS) ------------------


@pytest.fixture(scope="module")
def server(tls_server: tls_helpers.ProductionServer) -> tls_helpers.ProductionServer:
    """The session's TLS server (conftest): the test here only reads the catalogue pages."""
    return tls_server


@pytest.mark.browser
@pytest.mark.gunicorn
def test_chromium_ticks_a_quick_filter_on_the_tls_server(
    browser: Any,
    server: tls_helpers.ProductionServer,
    catalogue: Catalogue,
    questionnaire: Questionnaire,
) -> None:
    context, _recorder = bh.new_context(browser)
    try:
        page: Any = context.new_page()
        page.goto(server.url + "/platforms/")
        page.locator("#filter-geen_advertenties").check()
        page.get_by_role("button", name="Filter toepassen").click()
        page.wait_for_url("**/platforms/?*geen_advertenties=1*")
        shown = {
            i.removeprefix("platform-")
            for i in page.locator("li.platform-card").evaluate_all("els => els.map(e => e.id)")
        }
        assert shown == expected(questionnaire, catalogue, "geen_advertenties")
        assert page.locator("#filter-geen_advertenties").is_checked()
    finally:
        context.close()
