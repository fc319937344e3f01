"""Read questions.yaml into a Questionnaire and check it against the catalogue.

This module reads the file, its texts and its method; questionnaire_sections reads the
questions, questionnaire_criteria the criteria, questionnaire_checks checks the references.
"""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType
from typing import Any

from kompas.engine.catalogue import content_hash
from kompas.engine.checks import Checker
from kompas.engine.model import Catalogue
from kompas.engine.model import Questionnaire
from kompas.engine.questionnaire_checks import check_against_catalogue
from kompas.engine.questionnaire_checks import check_goals
from kompas.engine.questionnaire_checks import check_method
from kompas.engine.questionnaire_checks import check_references
from kompas.engine.questionnaire_criteria import EXPLAIN_KEYS
from kompas.engine.questionnaire_criteria import read_criteria
from kompas.engine.questionnaire_sections import read_sections
from kompas.engine.yamlsource import Node
from kompas.engine.yamlsource import load_file
from kompas.errors import DataError

# Generic sentences and words the engine needs from questions.yaml, so no Dutch lives in Python.
REQUIRED_TEXTS = (
    *EXPLAIN_KEYS,
    "excluded",
    "verify",
    "low_coverage",
    "yes",
    "no",
    "none",
    "range",
)
DEFAULT_QUESTIONS = Path(__file__).resolve().parent.parent / "data" / "questions.yaml"


def read_questionnaire(
    path: str | Path | None = None, catalogue: Catalogue | None = None
) -> tuple[Questionnaire | None, Checker]:
    """Read questions.yaml (and check it against a catalogue); returns it and all problems."""
    path = Path(path) if path else DEFAULT_QUESTIONS
    label = path.name if path.resolve().parent == DEFAULT_QUESTIONS.parent else str(path)
    check = Checker()
    try:
        tree, raw = load_file(path, label)
    except DataError as exc:
        check.problems.extend(exc.problems)
        return None, check
    questionnaire = build_questionnaire(tree, content_hash(raw), check, str(path))
    if questionnaire is not None and catalogue is not None:
        check_against_catalogue(questionnaire, catalogue, check)
    return (questionnaire if not check.errors else None), check


def load_questionnaire(
    path: str | Path | None = None, catalogue: Catalogue | None = None
) -> Questionnaire:
    """Load the questionnaire (default: the shipped questions.yaml); raise DataError."""
    questionnaire, check = read_questionnaire(path, catalogue)
    if questionnaire is None:
        raise DataError(check.errors)
    return questionnaire


def build_questionnaire(
    tree: Node, digest: str, check: Checker, source: str = ""
) -> Questionnaire | None:
    """Build a Questionnaire from a parsed tree; phase one (shape) then internal references."""
    top = check.mapping(
        tree, "", required=("version", "texts", "sections", "criteria"), optional=("method",)
    )
    if top is None:
        return None
    version = check.version(top.get("version"), "version")
    texts = check.localised_map(top, "texts", "", _texts(top.get("texts"), check))
    criteria = read_criteria(top["criteria"], check) if "criteria" in top else {}
    sections = read_sections(top["sections"], check) if "sections" in top else []
    method = _method(top.get("method"), check)
    if check.errors:
        return None
    questionnaire = Questionnaire(
        version,
        digest,
        tuple(sections),
        MappingProxyType(criteria),
        MappingProxyType(texts),
        source,
        **method,
    )
    check_references(questionnaire, check)
    check_method(questionnaire, top.get("method"), check)
    check_goals(questionnaire, top.get("method"), check)
    return None if check.errors else questionnaire


def _method(node: Node | None, check: Checker) -> dict[str, Any]:
    """Settings of the scoring method that belong with the questionnaire."""
    if node is None:
        return {}
    body = check.mapping(
        node,
        "method",
        optional=(
            "min_coverage",
            "tie_margin",
            "combinations_question",
            "offline_criterion",
            "offline_category",
            "cost_fact",
            "goal_question",
            "digital_question",
            "digital_options",
        ),
    )
    settings: dict[str, Any] = {}
    for key in ("min_coverage", "tie_margin"):
        if body and key in body:
            value = check.number(body[key], f"method.{key}")
            if value is not None and not 0 <= value <= 100:
                check.error(body[key], f"method.{key}", f"expected 0 to 100, got {value}")
            elif value is not None:
                settings[key] = float(value)
    for key in (
        "combinations_question",
        "offline_criterion",
        "offline_category",
        "cost_fact",
        "goal_question",
        "digital_question",
    ):
        if body and key in body:
            settings[key] = check.ident(body[key], f"method.{key}")
    if body and "digital_options" in body:
        nodes = check.sequence(body["digital_options"], "method.digital_options", allow_empty=False)
        settings["digital_options"] = tuple(
            check.ident(n, f"method.digital_options[{k}]") for k, n in enumerate(nodes)
        )
    return settings


def _texts(node: Node | None, check: Checker) -> dict[str, str]:
    if node is None:
        return {}
    body = check.mapping(
        node, "texts", required=REQUIRED_TEXTS, optional=node.value if node.is_mapping else ()
    )
    return {k: check.text(v, f"texts.{k}") for k, v in (body or {}).items()}
