"""Read platforms.yaml into a Catalogue, reporting every problem with its location.

This module reads the file and its categories and overlays local facts; catalogue_facts
reads the fact schema, catalogue_platforms the platforms and their facts.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from kompas.engine.catalogue_drawbacks import read_drawbacks
from kompas.engine.catalogue_facts import check_fact_tests
from kompas.engine.catalogue_facts import derive_facts
from kompas.engine.catalogue_facts import read_fact_schema
from kompas.engine.catalogue_platforms import read_platform
from kompas.engine.checks import Checker
from kompas.engine.checks import suggest
from kompas.engine.model import Catalogue
from kompas.engine.model import Fact
from kompas.engine.model import Platform
from kompas.engine.yamlsource import Node
from kompas.engine.yamlsource import load_file
from kompas.errors import DataError

DEFAULT_PLATFORMS = Path(__file__).resolve().parent.parent / "data" / "platforms.yaml"


def content_hash(raw: bytes) -> str:
    """The content hash recorded with every advice."""
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def read_catalogue(path: str | Path | None = None) -> tuple[Catalogue | None, Checker]:
    """Read platforms.yaml; returns the catalogue (None on errors) and all problems found."""
    path = Path(path) if path else DEFAULT_PLATFORMS
    label = _label(path)
    check = Checker()
    try:
        tree, raw = load_file(path, label)
    except DataError as exc:
        check.problems.extend(exc.problems)
        return None, check
    catalogue = build_catalogue(tree, content_hash(raw), check, str(path))
    return (catalogue if not check.errors else None), check


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """Load the platform catalogue (default: the shipped platforms.yaml); raise DataError."""
    catalogue, check = read_catalogue(path)
    if catalogue is None:
        raise DataError(check.errors)
    return catalogue


def _label(path: Path) -> str:
    if path.resolve() == DEFAULT_PLATFORMS or path.resolve().parent == DEFAULT_PLATFORMS.parent:
        return path.name
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def build_catalogue(tree: Node, digest: str, check: Checker, source: str = "") -> Catalogue | None:
    """Build a Catalogue from a parsed tree."""
    top = check.mapping(
        tree, "", required=("version", "facts", "platforms"), optional=("categories",)
    )
    if top is None:
        return None
    version = check.version(top.get("version"), "version")
    categories = check.localised_map(
        top, "categories", "", _categories(top.get("categories"), check)
    )
    facts = read_fact_schema(top["facts"], check) if "facts" in top else {}
    facts = check_fact_tests(facts, check)
    platforms: list[Platform] = []
    seen: dict[str, Node] = {}
    if "platforms" in top:
        for i, node in enumerate(check.sequence(top["platforms"], "platforms")):
            platform = read_platform(node, f"platforms[{i}]", facts, categories, check)
            if platform is None:
                continue
            if node.is_mapping:
                drawbacks = read_drawbacks(node.value, f"platforms[{i}]", check)
                platform = dataclasses.replace(platform, drawbacks=drawbacks)
            if platform.id in seen:
                first = seen[platform.id].location.line
                check.error(
                    node,
                    f"platforms[{i}].id",
                    f"duplicate platform id {platform.id!r} (first on line {first})",
                )
                continue
            seen[platform.id] = node
            platforms.append(platform)
    if check.errors:
        return None
    return Catalogue(
        version,
        digest,
        MappingProxyType(categories),
        MappingProxyType(facts),
        tuple(sorted(platforms, key=lambda p: p.id)),
        source,
    )


def _categories(node: Node | None, check: Checker) -> dict[str, str]:
    if node is None:
        return {}
    body = check.mapping(node, "categories", optional=node.value if node.is_mapping else ())
    if body is None:
        return {}
    result = {}
    for key, child in body.items():
        if check.ident(Node(key, child.location), f"categories.{key}"):
            result[key] = check.text(child, f"categories.{key}")
    return result


__all__ = ["build_catalogue", "load_catalogue", "read_catalogue", "suggest"]


def with_facts(catalogue: Catalogue, local: Mapping[str, Mapping[str, Fact]]) -> Catalogue:
    """The catalogue with some platforms' facts replaced (same version and hash)."""
    if not local:
        return catalogue
    platforms = []
    for platform in catalogue.platforms:
        given = local.get(platform.id)
        if given:
            facts = dict(platform.facts)
            facts.update(given)
            platform = _replace_facts(platform, derive_facts(facts, dict(catalogue.facts)))
        platforms.append(platform)
    return catalogue.with_platforms(tuple(platforms))


def _replace_facts(platform: Platform, facts: dict[str, Fact]) -> Platform:

    return dataclasses.replace(platform, facts=MappingProxyType(facts))
