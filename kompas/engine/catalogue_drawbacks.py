"""Read a platform's `drawbacks:`: documented setbacks, each with its source, date and evidence.

A drawback is held to the same standard as a known fact: without a source, a check date, an
evidence level and a source date (or the reason why the source shows none) it is an error,
so a setback can never be said about a platform on nobody's authority.
"""

from __future__ import annotations

from kompas.engine.catalogue_platforms import evidence_and_date
from kompas.engine.catalogue_platforms import undated_reason
from kompas.engine.checks import Checker
from kompas.engine.model import EVIDENCE
from kompas.engine.model import Drawback
from kompas.engine.yamlsource import Node

REQUIRED = ("text", "source", "checked", "evidence", "source_date")


def read_drawbacks(body: dict[str, Node], path: str, check: Checker) -> tuple[Drawback, ...]:
    """The drawbacks listed under a platform (none when it lists none)."""
    if "drawbacks" not in body:
        return ()
    where = f"{path}.drawbacks"
    found = []
    for i, node in enumerate(check.sequence(body["drawbacks"], where)):
        drawback = _drawback(node, f"{where}[{i}]", check)
        if drawback is not None:
            found.append(drawback)
    return tuple(found)


def _drawback(node: Node, path: str, check: Checker) -> Drawback | None:
    body = check.mapping(node, path, required=REQUIRED, optional=("text_en", "undated"))
    if body is None:
        return None
    # Every key is checked even when another is missing, so one run reports every mistake.
    text = check.localised(body, "text", path) if "text" in body else ""
    source = check.text(body["source"], f"{path}.source") if "source" in body else ""
    if source and not source.startswith(("https://", "http://")):
        check.error(body["source"], f"{path}.source", f"expected a web address, got {source!r}")
        source = ""
    checked = check.date(body["checked"], f"{path}.checked") if "checked" in body else None
    evidence, source_date = evidence_and_date(body, path, check)
    undated = undated_reason(body, path, source_date, check)
    date_node = body.get("source_date")
    if date_node is not None and date_node.value == "unknown" and not undated:
        check.error(
            date_node,
            f"{path}.source_date",
            "a drawback whose source shows no date needs the reason why",
            "add undated: bron_zonder_datum or niet_nagegaan",
        )
        return None
    if not text or not source or checked is None or evidence not in EVIDENCE:
        return None
    if date_node is None:
        return None
    return Drawback(text, source, checked, evidence, source_date, undated)
