"""Short versions of the fuzzers in soak/fuzz.py (`make soak` runs 10,000 examples each).

The YAML loader and the builders may let only KompasError (DataError) escape; the web forms
may never answer 5xx. The bugs the fuzzers found are pinned below as regression tests.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from kompas.engine.catalogue import build_catalogue
from kompas.engine.checks import Checker
from kompas.engine.questionnaire import build_questionnaire
from kompas.engine.questionnaire_checks import check_against_catalogue
from kompas.engine.yamlsource import load_file
from kompas.engine.yamlsource import load_text
from kompas.errors import DataError
from soak import fuzz


def test_near_valid_documents_start_from_the_valid_mini_files() -> None:
    mini_q, mini_c = fuzz.mini_data()
    check = Checker()
    catalogue = build_catalogue(load_text(fuzz.emit(fuzz.MINI_TREES["platforms"]), "p"), "", check)
    questionnaire = build_questionnaire(
        load_text(fuzz.emit(fuzz.MINI_TREES["questions"]), "q"), "", check
    )
    assert catalogue is not None and questionnaire is not None, check.errors
    check_against_catalogue(questionnaire, mini_c, check)
    assert not check.errors
    assert catalogue.platforms == mini_c.platforms
    assert questionnaire.questions == mini_q.questions


def test_random_yaml_text_raises_only_data_errors() -> None:
    tally = fuzz.fuzz_text(500)
    print(tally.line("text"))
    assert tally.examples >= 500 and tally.outcomes["parsed"] > 0


def test_near_valid_documents_raise_only_data_errors() -> None:
    tally = fuzz.fuzz_documents(150)
    print(tally.line("documents"))
    assert tally.examples >= 150 and tally.outcomes["DataError"] + tally.outcomes["refused"] > 0


def test_file_bytes_raise_only_data_errors(tmp_path: Path) -> None:
    tally = fuzz.fuzz_bytes(120, tmp_path)
    print(tally.line("bytes"))
    assert tally.examples >= 120 and tally.outcomes["DataError"] > 0


@pytest.mark.slow
def test_random_form_posts_never_answer_5xx(tmp_path: Path) -> None:
    tally = fuzz.fuzz_forms(400, tmp_path)
    print(tally.line("forms"))
    assert tally.examples >= 400


@pytest.mark.slow
def test_random_vendor_posts_and_curator_commands_never_fail(tmp_path: Path) -> None:
    """The issue-20 targets of soak/fuzz.py, briefly: vendor posts never answer 5xx, and
    review, accept and reject always end with a clean message (Unexpected otherwise)."""
    from soak import fuzz_vendor

    (tmp_path / "vendor").mkdir()
    (tmp_path / "curator").mkdir()
    vendor = fuzz_vendor.fuzz_vendor(40, tmp_path / "vendor")
    assert vendor.examples >= 40, vendor.line("vendor")
    curator = fuzz_vendor.fuzz_curator(15, tmp_path / "curator")
    assert curator.examples >= 15, curator.line("curator")


# -- known bugs, found by the fuzzers ---------------------------------------------------------

NUL = pytest.param(
    "platforms:\n  - id: alfa\x00\n",
    id="nul-character",
)
DEEP = pytest.param(
    "platforms: " + "[" * 1000 + "]" * 1000 + "\n",
    id="deep-nesting",
)
DATE_KEY = pytest.param(
    "facts:\n  2026-02-30: gecontroleerd\n",
    id="date-key-no-such-day",
)

TAGGED_KEY = pytest.param(
    "facts:\n  !!int x: gecontroleerd\n",
    id="tagged-key",
)
TAGGED_BOOL = pytest.param(
    "ads: !!bool nee\n",
    id="tagged-bool-value",
)
TAGGED_DATE = pytest.param(
    "checked: !!timestamp gisteren\n",
    id="tagged-timestamp-value",
)
TAGGED_INT = pytest.param(
    "min: !!int ''\n",
    id="tagged-empty-int-value",
)
BAD_YAML = [NUL, DEEP, DATE_KEY, TAGGED_KEY, TAGGED_BOOL, TAGGED_DATE, TAGGED_INT]


@pytest.mark.parametrize("text", BAD_YAML)
def test_loader_turns_bad_yaml_into_a_data_error(text: str) -> None:
    with pytest.raises(DataError) as caught:
        load_text(text, "platforms.yaml")
    assert str(caught.value).startswith("platforms.yaml")


@pytest.mark.parametrize("text", BAD_YAML)
def test_load_file_turns_bad_yaml_into_a_data_error(text: str, tmp_path: Path) -> None:
    path = tmp_path / "platforms.yaml"
    path.write_bytes(text.encode("utf-8"))
    with pytest.raises(DataError):
        load_file(path)


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(
            b"doelen: burenhulp\x00\n",
            id="nul-character",
        ),
        pytest.param(
            b"doelen: " + b"[" * 1000 + b"]" * 1000 + b"\n",
            id="deep-nesting",
        ),
        pytest.param(
            b"2026-02-30: ja\n",
            id="date-key-no-such-day",
        ),
        pytest.param(
            b"doelen: !!bool nee\n",
            id="tagged-bool-value",
        ),
        pytest.param(b"doelen: [burenhulp\n", id="control-unclosed-bracket"),
    ],
)
def test_importing_a_broken_answers_file_lists_the_problem(client, raw: bytes) -> None:
    response = client.post(
        "/importeren",
        data={"municipality": "Importdorp", "answers_file": (io.BytesIO(raw), "antwoorden.yaml")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400, response.status_code
    assert "antwoorden.yaml" in response.get_data(as_text=True)


HUGE = "9" * 5000  # more digits than int() reads (sys.get_int_max_str_digits() is 4300)


def _importance(app) -> str:
    return next(
        q.id for q in app.extensions["kompas"]["questionnaire"].questions if q.type == "importance"
    )


def test_an_importance_with_thousands_of_digits_is_an_answer_error(app) -> None:
    from kompas.engine.answers import normalise_answer
    from kompas.errors import AnswerError

    question = app.extensions["kompas"]["questionnaire"].question(_importance(app))
    with pytest.raises(AnswerError):
        normalise_answer(question, HUGE)


def _token(client) -> str:
    response = client.post("/nieuw", data={"municipality": "Wat-alsdorp"})
    return response.headers["Location"].split("/")[2]


def test_what_if_with_a_huge_importance_is_a_bad_request(app, client) -> None:
    token = _token(client)
    assert (
        client.get(f"/d/{token}/advies", query_string={_importance(app): HUGE}).status_code == 400
    )


def test_saving_a_huge_what_if_importance_is_a_bad_request(app, client) -> None:
    token = _token(client)
    assert client.post(f"/d/{token}/wat-als", data={_importance(app): HUGE}).status_code == 400


def test_importing_a_huge_quoted_importance_lists_the_problem(app, client) -> None:
    raw = f'{_importance(app)}: "{HUGE}"\n'.encode()
    response = client.post(
        "/importeren",
        data={"municipality": "Importdorp", "answers_file": (io.BytesIO(raw), "antwoorden.yaml")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400


def test_an_escaped_lone_surrogate_is_a_data_error() -> None:
    with pytest.raises(DataError):
        load_text('name: "Alfa \\ud800"\n', "platforms.yaml")


def test_importing_an_escaped_lone_surrogate_lists_the_problem(client) -> None:
    response = client.post(
        "/importeren",
        data={
            "municipality": "Importdorp",
            "answers_file": (io.BytesIO(b'doelen: "\\ud800"\n'), "antwoorden.yaml"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 400


def test_random_round_requests_never_answer_5xx(tmp_path: Path) -> None:
    from soak import fuzz_round

    tally = fuzz_round.fuzz_round(25, tmp_path)
    print(tally.line("round"))
    assert tally.examples >= 25
    assert any(key.startswith("round start 2") for key in tally.outcomes), tally.outcomes


def test_a_fuzz_post_over_500_kb_leaves_no_file_open(tmp_path: Path) -> None:
    """The test client encodes a multipart body over 500 KB into a temporary file and leaves it
    open; the form fuzzer closes it, so no ResourceWarning surfaces in a later test."""
    import gc
    import warnings

    form = fuzz.FormFuzz(tmp_path)
    try:
        body = [("municipality", "x" * 600_000)]
        big = fuzz.Post("POST", "/nieuw", body, "multipart/form-data", None, "nieuw")
        gc.collect()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ResourceWarning)
            form.send(big, fuzz.Tally())
            gc.collect()
        assert not [w for w in caught if issubclass(w.category, ResourceWarning)]
    finally:
        form.close()
