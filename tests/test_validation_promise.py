"""Validation is a promise: data files that `kompas validate` accepts can be advised for any
valid answers without an exception (issue 12, point 5).

Hypothesis writes small questions.yaml and platforms.yaml files, with deliberately loose
values (a string where a number belongs, an operator on the wrong kind of fact), validates
them, and when they pass, advises and analyses random answers to them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

import kompas
from kompas.engine.analysis import analyse
from tests.strategies import answers_for

TEXTS = {
    key: f"{key} {{platform}} {{criterion}}"
    for key in ("met", "unmet", "partial", "unknown", "not_applicable", "not_applicable_unmet")
} | {
    "excluded": "{platform} valt af.",
    "verify": "{platform} verifiëren.",
    "low_coverage": "{platform} {min}.",
    "yes": "ja",
    "no": "nee",
    "none": "geen",
    "range": "{min} tot {max}",
}
FACTS = {
    "f_bool": {"label": "B", "type": "bool"},
    "f_choice": {"label": "C", "type": "choice", "values": {"a": "A", "b": "B"}},
    "f_set": {"label": "S", "type": "set", "values": {"x": "X", "y": "Y"}},
    "f_number": {"label": "N", "type": "number"},
    "f_range": {"label": "R", "type": "range"},
}
# Loose literals: right and wrong kinds for every fact type and question type.
LITERALS = st.sampled_from([True, False, "a", "b", "x", "y", "z", 0, 1, 5000, "5000", 2.5])
OPS = ("is", "one_of", "has", "at_most", "at_least")
CHECKED = dt.date(2026, 11, 1)


class _Dumper(yaml.SafeDumper):
    """Writes repeated parts out in full: the data format forbids YAML aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True)


def fact_value(kind: str) -> st.SearchStrategy[Any]:
    """A fact entry: unknown, not applicable, or a value (sometimes of the wrong kind)."""
    value: st.SearchStrategy[Any] = {
        "f_bool": st.booleans(),
        "f_choice": st.sampled_from(["a", "b"]),
        "f_set": st.lists(st.sampled_from(["x", "y"]), unique=True),
        "f_number": st.integers(0, 10000),
        "f_range": st.tuples(st.integers(0, 5000), st.integers(0, 5000)).map(
            lambda t: {"min": min(t), "max": max(t)}
        ),
    }[kind]
    loose = st.integers(0, 15).flatmap(lambda k: LITERALS if k == 0 else value)
    known = loose.map(lambda v: {"value": v, "source": "https://example.org", "checked": CHECKED})
    return st.one_of(st.just("unknown"), st.just("not_applicable"), known)


@st.composite
def catalogue_data(draw: st.DrawFn) -> dict[str, Any]:
    """A small platforms.yaml as data."""
    facts = {k: dict(v) for k, v in FACTS.items()}
    if draw(st.booleans()):
        facts["f_set"]["requires"] = draw(
            st.sampled_from(
                [
                    {"fact": "f_bool", "is": True},
                    {"fact": "f_choice", "is": "a"},
                    {"fact": "f_x", "is": 1},
                ]
            )
        )
    if draw(st.booleans()):
        facts["f_range"]["positive_when"] = draw(
            st.sampled_from(
                [
                    {"fact": "f_set", "has": "x"},
                    {"fact": "f_choice", "is": "a"},
                    {"fact": "f_bool", "has": True},
                ]
            )
        )
    platforms = []
    for i in range(draw(st.integers(2, 4))):
        entry = {
            "id": f"p{i}",
            "name": f"P{i}",
            "url": "https://example.org",
            "category": draw(st.sampled_from(["buurt", "offline"])),
            "description": "x",
            "facts": {k: draw(fact_value(k)) for k in FACTS if draw(st.booleans())},
        }
        if draw(st.booleans()):
            entry["availability"] = draw(
                st.sampled_from(
                    [
                        "unknown",
                        {"value": "landelijk", "source": "https://e.org", "checked": CHECKED},
                        {"value": "gestopt", "source": "https://e.org", "checked": CHECKED},
                        {
                            "value": "eigen_gemeente",
                            "source": "https://e.org",
                            "checked": CHECKED,
                        },
                    ]
                )
            )
        platforms.append(entry)
    return {
        "version": "t-1",
        "categories": {"buurt": "Buurt", "offline": "Offline"},
        "facts": facts,
        "platforms": platforms,
    }


VALID_OPS = {
    "f_bool": ["is"],
    "f_choice": ["is", "one_of"],
    "f_set": ["has"],
    "f_number": ["is", "at_most", "at_least"],
    "f_range": ["at_most", "at_least"],
}
VALID_VALUES = {
    "f_bool": [True, False],
    "f_choice": ["a", "b"],
    "f_set": ["x", "y"],
    "f_number": [0, 1, 5000],
    "f_range": [0, 1, 5000],
}


@st.composite
def condition(draw: st.DrawFn, answers: list[str]) -> dict[str, Any]:
    """A criterion condition: mostly sensible, sometimes not, sometimes reading an answer."""
    loose = draw(st.integers(0, 3)) == 0
    fact = draw(st.sampled_from([*FACTS, "f_missing"] if loose else list(FACTS)))
    op = draw(st.sampled_from(OPS if loose or fact not in VALID_OPS else VALID_OPS[fact]))
    values = LITERALS if loose or fact not in VALID_VALUES else st.sampled_from(VALID_VALUES[fact])
    body: dict[str, Any] = {"fact": fact}
    if answers and draw(st.booleans()):
        body["answer"] = draw(st.sampled_from(answers))
    elif op == "one_of":
        body["values"] = draw(st.lists(values, min_size=1, max_size=2))
    else:
        body["value"] = draw(values)
    cond = {op: body}
    if draw(st.integers(0, 3)) == 0:
        return {draw(st.sampled_from(["all", "any"])): [cond, {"not": cond}]}
    return cond


@st.composite
def questionnaire_data(draw: st.DrawFn) -> dict[str, Any]:
    """A small questions.yaml as data."""
    criteria = []
    questions: list[dict[str, Any]] = []
    for k in range(draw(st.integers(1, 4))):
        crit = {"id": f"c{k}", "label": f"C{k}", "ask": "?"}
        if draw(st.integers(0, 4)) == 0:
            crit["grade"] = {"fact": "f_choice", "values": {"a": 1, "b": 0.5}}
        else:
            crit["condition"] = draw(condition([q["id"] for q in questions]))
        if draw(st.booleans()):
            crit["combine"] = draw(st.sampled_from(["any", "all", "sum"]))
        if draw(st.booleans()):
            crit["not_applicable"] = draw(st.sampled_from(["skip", "unmet"]))
        criteria.append(crit)
        kinds = ["single", "multiple", "importance", "yesno", "number"]
        # A number question first, often: later show_if conditions compare with it.
        kind = draw(st.sampled_from(["number", "number", "single"] if k == 0 else kinds))
        question: dict[str, Any] = {"id": f"q{k}", "type": kind, "text": "?", "help": "?"}
        level = draw(st.sampled_from([0, 1, 2, 3, "must"]))
        activation = [{"criterion": f"c{k}", "importance": level}]
        if kind in ("single", "multiple"):
            question["options"] = [
                {"id": "a", "label": "A", "activates": activation},
                {"id": "b", "label": "B", "informational": True},
            ]
        elif kind == "importance":
            question["criteria"] = [f"c{k}"]
        elif kind == "yesno":
            question["if_yes"] = activation
            question["if_no"] = []
        else:
            question["min"] = 0
            question["max"] = 10000
            question["activates"] = activation
        if questions and draw(st.integers(0, 3)) > 0:
            target = draw(st.sampled_from(questions))
            op = draw(st.sampled_from(["is", "has", "at_least", "at_most"]))
            value = draw(st.sampled_from(["5000", "a", True, 1, "x"]))
            if draw(st.booleans()):  # mostly something that fits the target question
                value = {"single": "a", "multiple": "a", "yesno": True}.get(target["type"], 1)
            question["show_if"] = {op: {"answer": target["id"], "value": value}}
        questions.append(question)
    method: dict[str, Any] = {
        "cost_fact": draw(st.sampled_from(["f_range", "f_range", "f_number", "f_bool"]))
    }
    if draw(st.booleans()):
        method["offline_criterion"] = "c0"
        method["offline_category"] = "offline"
    return {
        "version": "t-1",
        "method": method,
        "texts": TEXTS,
        "sections": [
            {"id": "s", "title": "S", "important": draw(st.booleans()), "questions": questions}
        ],
        "criteria": criteria,
    }


@settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(questions=questionnaire_data(), platforms=catalogue_data(), data=st.data())
def test_accepted_data_files_can_always_be_advised(tmp_path: Path, questions, platforms, data):
    """Whatever `kompas validate` accepts, advise and analyse run for any valid answers."""
    qpath, cpath = tmp_path / "questions.yaml", tmp_path / "platforms.yaml"
    qpath.write_text(_dump(questions), encoding="utf-8")
    cpath.write_text(_dump(platforms), encoding="utf-8")
    report = kompas.validate(qpath, cpath)
    if report.errors:
        return
    q, c = report.questionnaire, report.catalogue
    assert q is not None and c is not None
    answers = data.draw(answers_for(q))
    advice = kompas.advise(q, c, answers, strict=False)
    assert len(
        advice.ranking
        + advice.complements
        + advice.aside
        + advice.excluded
        + advice.examples
        + advice.withdrawn
    ) == len(c.platforms)
    analyse(q, c, answers)


def test_a_string_compared_with_a_number_answer_is_rejected(tmp_path: Path):
    """`at_least: {answer: budget, value: "5000"}` is a validation error, not a TypeError later."""
    text = Path("tests/data/mini_questions.yaml").read_text(encoding="utf-8")
    bad = text.replace(
        "      - id: opmerking\n",
        '      - id: opmerking\n        show_if: {at_least: {answer: budget, value: "5000"}}\n',
    )
    assert bad != text
    path = tmp_path / "q.yaml"
    path.write_text(bad, encoding="utf-8")
    report = kompas.validate(path, "tests/data/mini_platforms.yaml")
    assert any("needs a number" in p.message for p in report.errors)
