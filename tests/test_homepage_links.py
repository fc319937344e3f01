"""Every view links a platform's own homepage, or says that none is known (issue 20).

News articles stay sources: the link beside a platform's name is its `homepage` only. The
platform page is checked in tests/test_web_catalogue.py; here the comparator, the report and
the text advice. Platforms are picked from the loaded catalogue, never named.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

import kompas
from kompas.cli import main
from kompas.cli import read_answers
from kompas.engine.model import Catalogue
from kompas.engine.model import Platform
from kompas.report import render_report_html

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "burenhulp-dorp.yaml"
NONE_KNOWN = "geen eigen website bekend"


def _one_with_and_one_without(catalogue: Catalogue) -> tuple[Platform, Platform]:
    with_home = next(p for p in catalogue.platforms if p.homepage)
    without = next(p for p in catalogue.platforms if not p.homepage)
    return with_home, without


def _without_homepage(tmp_path: Path, platform_id: str) -> Path:
    """A copy of the shipped catalogue in which one platform's homepage is unknown."""
    source = (ROOT / "kompas" / "data" / "platforms.yaml").read_text(encoding="utf-8")
    start = source.index(f"  - id: {platform_id}\n")
    changed, n = re.subn(
        r"\n    homepage: [^\n]+", "\n    homepage: unknown", source[start:], count=1
    )
    assert n == 1
    path = tmp_path / "platforms.yaml"
    path.write_text(source[:start] + changed, encoding="utf-8")
    return path


def test_the_comparator_links_each_homepage_or_says_none_is_known(
    app: Flask, client: FlaskClient
) -> None:
    catalogue: Catalogue = app.extensions["kompas"]["catalogue"]
    with_home, without = _one_with_and_one_without(catalogue)
    response = client.get(
        "/platforms/vergelijk", query_string=[("p", with_home.id), ("p", without.id)]
    )
    assert response.status_code == 200
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    known = soup.find("li", id=f"website-{with_home.id}")
    links = known.find_all("a")
    assert [a["href"] for a in links] == [with_home.homepage]
    assert links[0]["rel"] == ["noreferrer", "noopener", "external"]
    unknown = soup.find("li", id=f"website-{without.id}")
    assert unknown.find("a") is None and NONE_KNOWN in unknown.get_text()


@pytest.fixture(scope="module")
def leader_without_homepage(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped catalogue with the example's leader's homepage made unknown."""
    q, c = kompas.load()
    leader = kompas.advise(q, c, read_answers(EXAMPLE)).ranking[0].platform.id
    return _without_homepage(tmp_path_factory.mktemp("home"), leader)


def test_the_report_links_each_homepage_or_says_none_is_known(leader_without_homepage) -> None:
    q, c = kompas.load(None, leader_without_homepage)
    advice = kompas.advise(q, c, read_answers(EXAMPLE))
    soup = BeautifulSoup(render_report_html(advice, q, c, municipality="Testdorp"), "html.parser")
    sections = soup.select("section.platform")
    assert sections
    shown = {r.platform.name: r.platform for r in advice.ranking}
    for section in sections:
        name = section.find("h2").get_text().split(". ", 1)[1]
        line = section.find("p", class_="category")
        homepage = shown[name].homepage
        if homepage:
            assert [a["href"] for a in line.find_all("a")] == [homepage]
        else:
            assert line.find("a") is None and NONE_KNOWN in line.get_text()
    assert not advice.ranking[0].platform.homepage  # the planted case is in the report


def test_the_text_advice_names_each_homepage_or_says_none_is_known(
    leader_without_homepage,
) -> None:
    q, c = kompas.load(None, leader_without_homepage)
    advice = kompas.advise(q, c, read_answers(EXAMPLE))
    args = ["advise", str(EXAMPLE), "--platforms", str(leader_without_homepage)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    for r in advice.ranking[:3]:
        home = r.platform.homepage or NONE_KNOWN
        assert re.search(
            rf"^{r.rank}\. {re.escape(r.platform.name)} — {re.escape(home)}\b", result.output, re.M
        )
    assert not advice.ranking[0].platform.homepage
