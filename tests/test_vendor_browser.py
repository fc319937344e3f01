"""The whole vendor loop in Chromium over the production setup (issue 13, "Done when").

gunicorn over TLS with a real secret key and CSRF on, on PostgreSQL (tests/tls_helpers.py):
an advisor sends a vendor link from a dossier's advice page, the vendor fills it in (saves
half-way, continues, sends), the dossier's advice changes and says "volgens de leverancier";
a curator accepts two facts into a copy of platforms.yaml with the CLI, `kompas validate
--strict` on the copy gives no new problem and the diff holds exactly those facts with their
evidence. Platforms and facts are chosen from the engine's advice: none is named here.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

import kompas
from kompas.cli import main
from kompas.engine.model import Fact
from kompas.engine.vendor import vendor_questionnaire
from kompas.store import dossier as dossier_store
from tests import browser_helpers as bh
from tests import tls_helpers

pytestmark = [pytest.mark.browser, pytest.mark.gunicorn, pytest.mark.postgres]

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "burenhulp-dorp.yaml"
SAID = "2026-11-30"
# How the advice states a vendor's answer for this dossier: with its full date (issue 21).
SAID_TEXT = "volgens de leverancier, 30 november 2026"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tls_helpers.ProductionServer]:
    live = tls_helpers.start_tls_server(tmp_path_factory.mktemp("vendor"))
    yield live
    live.stop()


def form_value(item: Any, value: Any) -> str:
    return ("true" if value else "false") if item.type == "bool" else str(value)


def pick(answers: dict[str, Any]) -> tuple[str, Any, Any, Any, Any]:
    """A ranked platform, a fact whose answer changes its score, and a second fact to answer."""
    q, c = kompas.load()
    advice = kompas.advise(q, c, answers)
    for result in advice.ranking:
        items = [
            i
            for i in vendor_questionnaire(q, c, result.platform.id)
            if i.type in ("bool", "choice")
        ]
        for item in items:
            values = [True, False] if item.type == "bool" else [v for v, _l in item.options]
            for value in values:
                local = {result.platform.id: {item.fact_id: Fact(item.fact_id, "known", value)}}
                other = kompas.advise(q, c, answers, local_facts=local)
                if other.result(result.platform.id).score != result.score:
                    second = next(i for i in items if i.fact_id != item.fact_id)
                    second_value = True if second.type == "bool" else second.options[0][0]
                    return result.platform.id, item, value, second, second_value
    raise AssertionError("no ranked platform with a deciding unknown fact")


def problems(output: str) -> set[str]:
    """`kompas validate --strict` output as problems without file positions and counts.

    Line numbers move when lines are inserted, and a lint's count of re-ordered pairs may
    change when a fact becomes known: neither is a new problem.
    """
    lines = [line for line in output.splitlines() if ": " in line and not line.startswith("ok")]
    return {re.sub(r"[0-9]+", "N", re.sub(r"^\S+?:[0-9]+:[0-9]+: ", "", x)) for x in lines}


def assert_accessible(page: Any, name: str) -> None:
    """axe-core (WCAG 2.1 A and AA): nothing serious or critical on the page."""
    serious = [f.line() for f in bh.run_axe(page, name) if f.impact in ("serious", "critical")]
    assert not serious, "\n".join(serious)


def counts(output: str) -> tuple[int, int]:
    """Errors and warnings in `kompas validate --strict` output."""
    found = re.search(r"^([0-9]+) error\(s\), ([0-9]+) warning\(s\)", output, re.M)
    if found is None:
        ok = re.search(r"^ok: .*, ([0-9]+) warning\(s\)", output, re.M)
        assert ok is not None, output
        return 0, int(ok.group(1))
    return int(found.group(1)), int(found.group(2))


def test_vendor_loop_in_chromium(
    server: tls_helpers.ProductionServer, browser: Any, tmp_path: Path
) -> None:
    answers = yaml.safe_load(EXAMPLE.read_text())
    platform_id, item, value, second, second_value = pick(answers)

    # The advisor: a dossier with answers, then the vendor link from the advice page.
    advisor, _rec = bh.new_context(browser)
    page = advisor.new_page()
    token = bh.start_dossier(page, server.url, "Dorpen aan de Dijk")
    with server.app.app_context():
        dossier = dossier_store.find_dossier(token)
        assert dossier is not None
        dossier_store.save_answers(dossier.id, answers)
    page.goto(f"{server.url}/d/{token}/advies")
    before = page.locator("main").inner_text()
    assert SAID_TEXT not in before
    page.locator("#vendor-platform").select_option(platform_id)
    page.get_by_role("button", name="Maak een leverancierslink").click()
    page.wait_for_load_state("domcontentloaded")
    link = page.locator("#vendor-link").input_value()
    assert link.startswith(server.url + "/leverancier/")
    assert len(link.rsplit("/", 1)[1]) >= 22  # >= 128 bits

    # The vendor, in another browser: half-filled, saved, continued, sent.
    vendor, _vrec = bh.new_context(browser)
    form = vendor.new_page()
    form.goto(link)
    text = form.locator("main").inner_text()
    assert "Dorpen aan de Dijk" not in text  # the municipality was not shared
    form.locator("#name").fill("B. Bakker")
    form.locator("#role").fill("accountmanager")
    form.locator(f"#{item.fact_id}-value").select_option(form_value(item, value))
    form.get_by_role("button", name="Opslaan en later verder").click()
    form.wait_for_load_state("domcontentloaded")
    form.goto(link)
    assert form.locator(f"#{item.fact_id}-value").input_value() == form_value(item, value)
    assert form.locator("#name").input_value() == "B. Bakker"
    # A malformed source is refused with a clear message; nothing typed is lost.
    form.locator(f"#{item.fact_id}-source").fill("www kapot")
    form.locator(f"#{item.fact_id}-date").fill(SAID)
    form.get_by_role("button", name="Versturen").click()
    form.wait_for_load_state("domcontentloaded")
    assert "webadres" in form.locator("main").inner_text()
    assert_accessible(form, "leverancier-fouten")
    form.locator(f"#{item.fact_id}-source").fill("verklaring leverancier")
    form.locator(f"#{second.fact_id}-value").select_option(form_value(second, second_value))
    form.locator(f"#{second.fact_id}-source").fill("verklaring leverancier")
    form.locator(f"#{second.fact_id}-date").fill(SAID)
    form.get_by_role("button", name="Versturen").click()
    form.wait_for_load_state("domcontentloaded")
    assert "Bedankt" in form.locator("h1").inner_text()

    # The dossier's advice changes and says so.
    page.goto(f"{server.url}/d/{token}/advies")
    after = page.locator("main").inner_text()
    assert after != before
    assert SAID_TEXT in after
    assert_accessible(page, "advies-leverancier")
    page.goto(f"{server.url}/d/{token}/leveranciersfeiten?platform={platform_id}")
    assert_accessible(page, "leveranciersfeiten")
    record = page.request.get(f"{server.url}/d/{token}/advies.json").json()
    assert {f["fact"] for f in record["local_facts"]} == {item.fact_id, second.fact_id}
    q, c = kompas.load()
    assert kompas.same_outcome(record, kompas.recompute(record, q, c))

    # The curator: review, accept both facts into a copy of platforms.yaml.
    env = {"KOMPAS_DATABASE_URL": server.app.config["DATABASE_URL"], "KOMPAS_ENV": "development"}
    runner = CliRunner()
    review = runner.invoke(main, ["catalogue", "review"], env=env)
    assert review.exit_code == 0, review.output
    assert f"dossier {dossier.id}" in review.output  # its provenance: not a curator's link
    sid = re.search(r"(\d+): " + re.escape(platform_id) + " ", review.output).group(1)
    copy = tmp_path / "platforms.yaml"
    shutil.copy(ROOT / "platforms.yaml", copy)
    strict_before = runner.invoke(main, ["validate", "--strict", "--platforms", str(copy)])
    for fact in (item.fact_id, second.fact_id):
        accepted = runner.invoke(
            main,
            [
                "catalogue",
                "accept",
                sid,
                fact,
                "--platforms",
                str(copy),
                "--curator",
                "C. Curator",
                "--dossier",
                str(dossier.id),
            ],
            env=env,
        )
        assert accepted.exit_code == 0, accepted.output
    strict_after = runner.invoke(main, ["validate", "--strict", "--platforms", str(copy)])
    assert problems(strict_after.output) - problems(strict_before.output) == set()
    assert counts(strict_after.output)[0] == counts(strict_before.output)[0] == 0
    assert counts(strict_after.output)[1] <= counts(strict_before.output)[1]
    diff = subprocess.run(
        ["diff", str(ROOT / "platforms.yaml"), str(copy)], capture_output=True, text=True
    ).stdout
    removed = [line[2:].strip() for line in diff.splitlines() if line.startswith("< ")]
    added = [line[2:].strip() for line in diff.splitlines() if line.startswith("> ")]
    assert {r.split(":")[0] for r in removed} <= {item.fact_id, second.fact_id}
    heads = [a for a in added if re.fullmatch(r"[a-z_]+:", a)]
    assert sorted(heads) == sorted([f"{item.fact_id}:", f"{second.fact_id}:"])
    assert added.count("evidence: leverancier") == 2
    assert added.count(f"source_date: {SAID}") == 2
    assert sum("inzending " + sid in a and "C. Curator" in a for a in added) == 2
    _q, fresh = kompas.load(None, copy)
    assert fresh.platform(platform_id).fact(item.fact_id).evidence == "leverancier"
    advisor.close()
    vendor.close()


def test_copy_button_and_new_link_in_chromium(
    server: tls_helpers.ProductionServer, browser: Any
) -> None:
    """Issue 22: the link has a copy button; a new link replaces a lost one (CSRF on)."""
    answers = yaml.safe_load(EXAMPLE.read_text())
    platform_id, item, value, _second, _second_value = pick(answers)
    advisor, _rec = bh.new_context(browser, permissions=["clipboard-read", "clipboard-write"])
    page = advisor.new_page()
    token = bh.start_dossier(page, server.url, "Copydorp")
    with server.app.app_context():
        dossier = dossier_store.find_dossier(token)
        assert dossier is not None
        dossier_store.save_answers(dossier.id, answers)
    page.goto(f"{server.url}/d/{token}/advies")
    page.locator("#vendor-platform").select_option(platform_id)
    page.get_by_role("button", name="Maak een leverancierslink").click()
    page.wait_for_load_state("domcontentloaded")
    old = page.locator("#vendor-link").input_value()
    page.get_by_role("button", name="Kopieer de link").click()
    page.get_by_role("button", name="Gekopieerd").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == old
    assert_accessible(page, "leverancierslink")

    # The vendor saves half-way; the advisor loses the link and makes a new one.
    vendor, _vrec = bh.new_context(browser)
    form = vendor.new_page()
    form.goto(old)
    form.locator("#name").fill("B. Bakker")
    form.locator(f"#{item.fact_id}-value").select_option(form_value(item, value))
    form.get_by_role("button", name="Opslaan en later verder").click()
    form.wait_for_load_state("domcontentloaded")
    page.goto(f"{server.url}/d/{token}/leveranciersfeiten")
    assert "concept opgeslagen" in page.locator("#vendor-links").inner_text()
    page.get_by_role("button", name="Maak een nieuwe link").click()
    page.wait_for_load_state("domcontentloaded")
    new = page.locator("#vendor-link").input_value()
    assert new != old and new.startswith(server.url + "/leverancier/")
    assert form.goto(old).status == 404  # the old link stops working
    assert form.goto(new).status == 200
    assert form.locator("#name").input_value() == "B. Bakker"  # what was saved stays
    assert form.locator(f"#{item.fact_id}-value").input_value() == form_value(item, value)
    advisor.close()
    vendor.close()
