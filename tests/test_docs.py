"""The docs agree with the code (in the style of Datasette's test_docs.py).

Every operator, question type, fact type, availability value and CLI command is documented
exactly once in docs/, and the documentation lists nothing the code does not have. The
lists come from the code itself, so a new operator or command fails here until it is
documented.
"""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from kompas.cli import main
from kompas.engine.catalogue_facts import FACT_TYPES
from kompas.engine.conditions import OPERATORS
from kompas.engine.kernel import CANDIDATE_AVAILABILITY
from kompas.engine.model import AVAILABILITY
from kompas.engine.questionnaire_sections import QUESTION_TYPES

DOCS = Path(__file__).resolve().parent.parent / "docs"
CELL = re.compile(r"^\|\s*`([a-z_]+)`\s*\|")


def docs() -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(DOCS.glob("*.md"))}


def section(text: str, heading: str) -> str:
    """The text under a Markdown heading, up to the next heading of the same or a higher level."""
    match = re.search(rf"^(#+) {re.escape(heading)}\n", text, re.M)
    assert match, f"no heading {heading!r}"
    level = len(match.group(1))
    rest = text[match.end() :]
    end = re.search(rf"^#{{1,{level}}} ", rest, re.M)
    return rest[: end.start()] if end else rest


def table_ids(text: str, column: str) -> list[str]:
    """The `ids` in the first column of the table whose header starts with `column`."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(rf"^\|\s*{column}\s*\|", line))
    ids = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        match = CELL.match(line)
        assert match, f"a row without an `id` in its first cell: {line}"
        ids.append(match.group(1))
    return ids


def documented_once(ids: list[str], expected: tuple[str, ...], what: str) -> None:
    assert sorted(set(ids)) == sorted(expected), f"{what}: docs {ids}, code {list(expected)}"
    twice = sorted({i for i in ids if ids.count(i) > 1})
    assert not twice, f"{what} documented more than once: {twice}"


def test_every_question_type_is_documented_once() -> None:
    text = section(docs()["data-format.md"], "Question types")
    documented_once(table_ids(text, "type"), QUESTION_TYPES, "question types")


def test_every_fact_type_is_documented_once() -> None:
    text = section(docs()["data-format.md"], "Fact types")
    documented_once(table_ids(text, "type"), FACT_TYPES, "fact types")


def test_the_example_comments_list_the_same_types() -> None:
    text = docs()["data-format.md"]
    for types in (QUESTION_TYPES, FACT_TYPES):
        comment = "# " + " | ".join(types)
        assert comment in text, f"the YAML example should say {comment!r}"


def test_every_operator_is_documented_once() -> None:
    text = section(docs()["data-format.md"], "Conditions")
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| form |"))
    rows = [line for line in lines[start + 2 :] if line.startswith("|")]
    operators: list[str] = []
    seen_rows: set[str] = set()
    for row in rows:
        first = row.split("|")[1]
        found = re.findall(r"`\{([a-z_]+):", first)
        assert found, f"a condition row without an operator: {row}"
        # `has` has two forms (one value, several values): one row per form, one operator.
        operators += [op for op in found if op not in seen_rows]
        seen_rows.update(found)
    documented_once(operators, OPERATORS, "operators")


def test_every_availability_value_is_documented_once_with_its_candidacy() -> None:
    text = section(docs()["data-format.md"], "Platform availability and homepage")
    documented_once(table_ids(text, "availability"), AVAILABILITY, "availability values")
    candidates = set()
    for line in text.splitlines():
        cells = [c.strip() for c in line.split("|")[1:-1]]
        if len(cells) >= 2 and CELL.match(line):
            assert cells[1] in ("yes", "no"), line
            if cells[1] == "yes":
                candidates.add(cells[0].strip("`"))
    assert candidates == set(CANDIDATE_AVAILABILITY)


def test_design_names_the_same_candidates() -> None:
    """design.md summarises which platforms are ranked: the same values as the kernel."""
    text = section(docs()["design.md"], "Availability")
    sentence = re.search(r"Only candidates are ranked: ([^.]*)\.", text)
    assert sentence, "design.md says which availability values are candidates"
    assert set(re.findall(r"`([a-z_]+)`", sentence.group(1))) == set(CANDIDATE_AVAILABILITY)


def commands(group: click.Group, prefix: str = "kompas") -> dict[str, click.Command]:
    """Every command of the CLI by its full name, e.g. 'kompas catalogue accept'."""
    found: dict[str, click.Command] = {}
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found.update(commands(command, f"{prefix} {name}"))
        else:
            found[f"{prefix} {name}"] = command
    return found


def test_every_cli_command_is_documented_once() -> None:
    headings = [
        m.group(1)
        for text in docs().values()
        for m in re.finditer(r"^#+ (kompas(?: [a-z-]+)+)\s*$", text, re.M)
    ]
    documented_once(headings, tuple(commands(main)), "CLI commands")


@pytest.mark.parametrize("name", sorted(commands(main)))
def test_every_cli_option_and_argument_is_documented(name: str) -> None:
    text = section(docs()["cli.md"], name)
    command = commands(main)[name]
    for param in command.params:
        if isinstance(param, click.Argument):
            assert f"`{param.name.upper()}`" in text, f"{name}: argument {param.name}"  # type: ignore[union-attr]
        else:
            for opt in param.opts:
                if opt.startswith("--"):
                    assert f"`{opt}`" in text, f"{name}: option {opt}"
    options = set(re.findall(r"`(--[a-z-]+)`", text))
    known = {opt for param in command.params for opt in param.opts}
    assert options <= known, f"{name}: docs list options the command lacks: {options - known}"


def test_the_shipped_red_flags_are_documented() -> None:
    """data-format.md names the criteria questions.yaml marks `red_flag:`, and no other."""
    import kompas

    q, _ = kompas.load()
    text = section(docs()["data-format.md"], "Red flags (`red_flag`)")
    shipped = re.search(r"The shipped red flags are (.*?)\.\s", " ".join(text.split()) + " ")
    assert shipped, "data-format.md lists the shipped red flags"
    named = set(re.findall(r"`([a-z_]+)`", shipped.group(1)))
    assert named == {cid for cid, c in q.criteria.items() if c.red_flag}


def test_every_translatable_key_is_documented_with_its_english_sibling() -> None:
    """data-format.md's table of English siblings lists every plain translatable key the
    loader reads (flag_note among them), each with its `_en` sibling."""
    from kompas.engine.checks import TRANSLATABLE

    text = section(docs()["data-format.md"], "English beside the Dutch")
    row = next(line for line in text.splitlines() if line.startswith("| `title`"))
    dutch, english = (set(re.findall(r"`([a-z_]+)`", cell)) for cell in row.split("|")[1:3])
    # Keys documented in their own rows or sections (mappings, a text fact, red flags, builds_on).
    mapped = {"explain", "texts", "categories", "values", "value", "red_flag", "builds_on"}
    assert TRANSLATABLE - mapped <= dutch, TRANSLATABLE - mapped - dutch
    assert english == {f"{key}_en" for key in dutch}
