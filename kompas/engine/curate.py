"""Write an accepted vendor answer into platforms.yaml as text, keeping comments and order.

The platform's fact block is edited in place (or a new one inserted in schema order); the
file is never dumped by a YAML emitter. The result is read back and validated before it is
written, so a change that would break the catalogue is refused.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
from pathlib import Path
from typing import Any

from kompas.engine.catalogue import read_catalogue
from kompas.engine.model import Catalogue
from kompas.engine.model import FactDef
from kompas.engine.vendor import VendorAnswer
from kompas.errors import DataError
from kompas.errors import KompasError

PLATFORM_INDENT = "  - "
FACT_INDENT = " " * 6
FIELD_INDENT = " " * 8


def yaml_value(spec: FactDef, value: Any) -> str:
    """A fact value in the file's flow style."""
    if spec.type == "bool":
        return "true" if value else "false"
    if spec.type == "choice":
        return str(value)
    if spec.type == "set":
        return "[" + ", ".join(v for v in spec.values if v in value) + "]"
    if spec.type == "range":
        return f"{{min: {_number(value['min'])}, max: {_number(value['max'])}}}"
    if spec.type == "number":
        return _number(value)
    return json.dumps(str(value), ensure_ascii=False)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def fact_block(
    spec: FactDef, answer: VendorAnswer, note: str, today: dt.date, note_en: str = ""
) -> list[str]:
    """The lines of one fact in platforms.yaml."""
    english = (
        [f"{FIELD_INDENT}note_en: {json.dumps(note_en, ensure_ascii=False)}"] if note_en else []
    )
    return [
        f"{FACT_INDENT}{spec.id}:",
        f"{FIELD_INDENT}value: {yaml_value(spec, answer.value)}",
        f"{FIELD_INDENT}source: {json.dumps(answer.source, ensure_ascii=False)}",
        f"{FIELD_INDENT}checked: {today.isoformat()}",
        f"{FIELD_INDENT}evidence: leverancier",
        f"{FIELD_INDENT}source_date: {answer.date.isoformat()}",
        f"{FIELD_INDENT}note: {json.dumps(note, ensure_ascii=False)}",
        *english,
    ]


def _block_end(lines: list[str], start: int, indent: int) -> int:
    """The first line after `start` that is indented `indent` or less (blank lines inside kept)."""
    end = start + 1
    while end < len(lines):
        line = lines[end]
        if line.strip() and len(line) - len(line.lstrip()) <= indent:
            break
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1  # trailing blank lines belong to what follows
    return end


def replace_fact(
    text: str,
    catalogue: Catalogue,
    answer: VendorAnswer,
    note: str,
    today: dt.date,
    note_en: str = "",
) -> str:
    """platforms.yaml's text with one platform's fact set to a vendor's answer."""
    spec = catalogue.facts[answer.fact_id]
    lines = text.split("\n")
    head = re.compile(rf"^  - id: ['\"]?{re.escape(answer.platform_id)}['\"]?\s*(#.*)?$")
    starts = [i for i, line in enumerate(lines) if head.match(line)]
    if len(starts) != 1:
        raise KompasError(f"platform {answer.platform_id!r} not found in platforms.yaml")
    start = starts[0]
    end = _block_end(lines, start, 2)
    facts_line = next(
        (i for i in range(start, end) if re.match(r"^    facts:\s*(#.*)?$", lines[i])), None
    )
    block = fact_block(spec, answer, note, today, note_en)
    if facts_line is None:
        return "\n".join([*lines[:end], "    facts:", *block, *lines[end:]])
    facts_end = _block_end(lines, facts_line, 4)
    own = re.compile(rf"^{FACT_INDENT}{re.escape(spec.id)}:(\s.*)?$")
    for i in range(facts_line + 1, facts_end):
        if own.match(lines[i]):
            fact_end = _block_end(lines, i, 6)
            return "\n".join(lines[:i] + block + lines[fact_end:])
    # Not written yet: insert before the first fact that comes later in the schema.
    order = list(catalogue.facts)
    later = set(order[order.index(spec.id) + 1 :])
    key = re.compile(rf"^{FACT_INDENT}([a-z][a-z0-9_]*):")
    for i in range(facts_line + 1, facts_end):
        match = key.match(lines[i])
        if match and match.group(1) in later:
            return "\n".join(lines[:i] + block + lines[i:])
    return "\n".join(lines[:facts_end] + block + lines[facts_end:])


def accept_into(
    path: str | Path,
    answer: VendorAnswer,
    note: str,
    today: dt.date | None = None,
    note_en: str = "",
) -> Catalogue:
    """Write an accepted answer into the platforms.yaml at `path`; DataError if it would break it."""
    path = Path(path)
    catalogue, check = read_catalogue(path)
    if catalogue is None:
        raise DataError(check.errors)
    new = replace_fact(
        path.read_text(encoding="utf-8"),
        catalogue,
        answer,
        note,
        today or dt.date.today(),
        note_en,
    )
    # Checked as text under the real file's name before anything is written: a refusal
    # names platforms.yaml's own lines, never a temporary file that is gone by then.
    fresh = _read_back(new, path, answer)
    with tempfile.NamedTemporaryFile(
        "w", suffix=".yaml", dir=path.parent, delete=False, encoding="utf-8"
    ) as tmp:
        tmp.write(new)
    trial = Path(tmp.name)
    try:
        trial.replace(path)
    finally:
        trial.unlink(missing_ok=True)
    return fresh


def _read_back(text: str, path: Path, answer: VendorAnswer) -> Catalogue:
    """The catalogue the new text makes; DataError (at `path`'s lines) if it would break."""
    from kompas.engine.catalogue import _label
    from kompas.engine.catalogue import build_catalogue
    from kompas.engine.catalogue import content_hash
    from kompas.engine.checks import Checker
    from kompas.engine.yamlsource import load_text

    check = Checker()
    tree = load_text(text, _label(path))
    fresh = build_catalogue(tree, content_hash(text.encode("utf-8")), check, str(path))
    if fresh is None or check.errors:
        raise DataError(check.errors)
    read = fresh.platform(answer.platform_id).fact(answer.fact_id)
    if not read.known or read.value != answer.value:
        raise KompasError(f"{answer.fact_id} did not read back as written")
    return fresh
