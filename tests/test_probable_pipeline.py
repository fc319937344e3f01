"""The probable shortlist from the one pipeline: the same words on the page, in the CLI and the PDF."""

from __future__ import annotations

import html
import io
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask import Flask

import kompas
from kompas.pipeline import Explanation

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "burenhulp-dorp.yaml"


def answers() -> dict[str, Any]:
    return yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def one_line(text: str) -> str:
    """Text with every run of white space as one space (HTML wraps, pdftotext breaks lines,
    also after a hyphen)."""
    return re.sub(r"-\s+", "-", re.sub(r"\s+", " ", text))


def explained(stance: str = "neutraal") -> Explanation:
    q, c = kompas.load()
    return kompas.explain(q, c, answers(), lang="nl", stance=stance)


def test_the_record_carries_the_rank_acceptabilities_of_the_stance() -> None:
    neutral = explained().record()["acceptability"]
    cautious = explained("voorzichtig").record()["acceptability"]
    assert (neutral["stance"], cautious["stance"]) == ("neutraal", "voorzichtig")
    firsts = sum(p["first"] for p in neutral["platforms"]) + neutral["no_platform_passes"]
    assert firsts == pytest.approx(1, abs=1e-4)
    assert neutral["platforms"] != cautious["platforms"]
    assert neutral["probable_shortlist"]


def test_the_cli_prints_the_pipelines_shares_and_words(runner: Any) -> None:
    from kompas.cli import main

    for stance in ("neutraal", "voorzichtig"):
        likely = explained(stance).likely
        text = runner.invoke(main, ["advise", str(EXAMPLE), "--stance", stance, "--lang", "nl"])
        assert text.exit_code == 0, text.output
        for sentence in (likely.headline, likely.assumption):
            assert sentence in text.output
        printed = runner.invoke(
            main, ["advise", str(EXAMPLE), "--stance", stance, "--format", "json"]
        )
        record = json.loads(printed.output)["acceptability"]
        assert record["platforms"] == explained(stance).record()["acceptability"]["platforms"]
        assert record["questions"], "the CLI still ranks the vendor questions"


def dossier(client: Any, example: Path = EXAMPLE) -> str:
    upload = (io.BytesIO(example.read_bytes()), "antwoorden.yaml")
    response = client.post(
        "/importeren?lang=nl",
        data={"municipality": "Kansdorp", "answers_file": upload},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return str(response.headers["Location"]).rstrip("/").rsplit("/", 1)[1]


def page(client: Any, token: str, query: str = "") -> tuple[int, str]:
    response = client.get(f"/d/{token}/advies?lang=nl{query}")
    return response.status_code, one_line(html.unescape(response.get_data(as_text=True)))


def test_the_advice_page_shows_the_shares_and_switches_to_the_cautious_stance(
    app: Flask, client: Any
) -> None:
    token = dossier(client)
    neutral, cautious = explained().likely, explained("voorzichtig").likely
    status, text = page(client, token)
    assert status == 200
    assert neutral.headline in text and neutral.assumption in text
    assert "aanname=voorzichtig" in text
    status, text = page(client, token, "&aanname=voorzichtig")
    assert status == 200
    assert cautious.headline in text and cautious.assumption in text
    assert neutral.headline not in text
    status, text = page(client, token, "&aanname=optimistisch")
    assert status == 400
    assert "aanname" in text


def pdf_text(data: bytes, tmp_path: Path) -> str:
    tool = shutil.which("pdftotext")
    assert tool, "pdftotext is missing: install poppler-utils"
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    first = subprocess.run(
        [tool, "-l", "1", str(path), "-"], capture_output=True, check=True
    ).stdout.decode()
    whole = subprocess.run([tool, str(path), "-"], capture_output=True, check=True).stdout.decode()
    return one_line(first) + "\f" + one_line(whole)


@pytest.mark.pdf
def test_page_one_and_the_method_of_the_pdf_word_the_shares_as_the_page(tmp_path: Path) -> None:
    from kompas.report import render_pdf

    explanation = explained()
    first, whole = pdf_text(render_pdf(explanation, municipality="Kansdorp"), tmp_path).split("\f")
    likely = explanation.likely
    for sentence in (likely.headline, likely.assumption):
        assert one_line(sentence) in first
    for sentence in (likely.rule, likely.method):
        assert one_line(sentence) in whole


@pytest.mark.pdf
def test_the_pdf_follows_the_stance_chosen_on_the_page(
    app: Flask, client: Any, tmp_path: Path
) -> None:
    token = dossier(client)
    status, text = page(client, token, "&aanname=voorzichtig")
    assert status == 200
    assert f"/d/{token}/advies.pdf?rapport=kort&aanname=voorzichtig" in text
    cautious, neutral = explained("voorzichtig").likely, explained().likely
    for stance, likely, other in (
        ("voorzichtig", cautious, neutral),
        ("neutraal", neutral, cautious),
    ):
        response = client.get(f"/d/{token}/advies.pdf?lang=nl&rapport=volledig&aanname={stance}")
        assert response.status_code == 200
        first, whole = pdf_text(response.get_data(), tmp_path).split("\f")
        assert one_line(likely.headline) in first and one_line(likely.assumption) in first
        assert one_line(other.assumption) not in whole
        # The method section names the stance the shares assume.
        assert one_line(likely.rule) in whole and f"Aanname ({stance})" in whole
    response = client.get(f"/d/{token}/advies.pdf?lang=nl&aanname=optimistisch")
    assert response.status_code == 400


# Participation platforms whose shares fall by a third each: 90% would take seven, the list
# stops at five and says how much the five cover and what is left off (docs/design.md).
CAPPED = EXAMPLE.parent / "participatie-stad.yaml"


def capped() -> Explanation:
    q, c = kompas.load()
    answers = yaml.safe_load(CAPPED.read_text(encoding="utf-8"))
    return kompas.explain(q, c, answers, lang="nl")


def test_a_capped_shortlist_says_what_the_five_cover_and_what_is_left_off() -> None:
    explanation = capped()
    record = explanation.record()["acceptability"]
    assert len(record["probable_shortlist"]) == record["probable_shortlist_rule"]["cap"] == 5
    assert record["probable_shortlist_capped"] is True
    left = record["left_off"]
    assert left["platforms"] >= 1
    assert record["probable_shortlist_first"] + left["first"] + record[
        "no_platform_passes"
    ] == pytest.approx(1, abs=1e-4)
    headline = explanation.likely.headline
    assert "Deze vijf zijn samen in" in headline and "zie de tabel" in headline
    assert f"{left['platforms']} andere platforms samen in" in headline


def test_the_capped_headline_is_the_same_on_the_page_and_in_the_cli(
    app: Flask, client: Any, runner: Any
) -> None:
    from kompas.cli import main

    headline = capped().likely.headline
    assert "zie de tabel" in headline
    printed = runner.invoke(main, ["advise", str(CAPPED), "--lang", "nl"])
    assert printed.exit_code == 0, printed.output
    assert headline in one_line(printed.output)
    status, text = page(client, dossier(client, CAPPED))
    assert status == 200
    assert headline in text


@pytest.mark.pdf
def test_the_capped_headline_is_the_same_on_page_one_of_the_pdf(tmp_path: Path) -> None:
    from kompas.report import render_pdf

    explanation = capped()
    assert "zie de tabel" in explanation.likely.headline
    data = render_pdf(explanation, municipality="Kansdorp")
    first, _whole = pdf_text(data, tmp_path).split("\f")
    assert one_line(explanation.likely.headline) in first


def test_a_tie_straddling_the_cap_joins_whole_and_the_headline_says_why() -> None:
    from kompas.engine.acceptability import Acceptability
    from kompas.engine.acceptability import Share
    from kompas.engine.acceptability import shortlist
    from kompas.i18n import language
    from kompas.present.probable import headline_sentence

    firsts = (0.2, 0.15, 0.1, 0.1, 0.07, 0.07, 0.07, 0.06, 0.06, 0.05)
    shares = tuple(Share(f"p{k}", f"P{k}", f, f) for k, f in enumerate(firsts))
    listed = shortlist(shares, none=0.07)
    assert len(listed) == 7  # four, then three tied at 7% straddling the cap: all on
    acc = Acceptability("neutraal", 0.5, shares, 0.07, listed, "exact", 0, 0.0, 0)
    assert acc.capped  # 76% < 90% of 93%, and the next (6%) is over the floor
    with language("nl"):
        headline = headline_sentence(acc)
    assert "Het zijn er meer dan vijf" in headline
    assert "Deze zeven zijn samen in 76%" in headline
    assert "3 andere platforms samen in 17%: zie de tabel" in headline
