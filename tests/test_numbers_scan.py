"""kompas/numbers.py is the one place that writes numbers as text and reads them back.

An AST scan of every module in kompas/ fails when another module formats or parses a
number itself: Babel's number or date functions, a number format spec (`{x:.1f}`,
`"%d" % n`, `format(x, ",")`), swapping decimal points and commas with str.replace, or
float()/int() applied to text. A module that must do one of these anyway goes into
ALLOWED with the reason (one entry: environment settings).
"""

from __future__ import annotations

import ast
import re
import string
from collections.abc import Iterator
from pathlib import Path

import pytest

KOMPAS = Path(__file__).resolve().parent.parent / "kompas"
NUMBERS = KOMPAS / "numbers.py"
# "kompas/some/module.py": "why it formats or parses a number itself".
ALLOWED: dict[str, str] = {
    "kompas/web/settings.py": "environment variables (KOMPAS_PDF_TIMEOUT=20) are machine-readable "
    "settings with their own error messages, never a number a person typed in a language",
}

# A format spec that writes a number for people: grouping, a precision or a decimal type
# (hexadecimal, as in a CSS escape, is no number a reader sees).
NUMBER_SPEC = re.compile(r"[,_]|\.\d|[deEfFgGn%]$")
PERCENT_FORMAT = re.compile(r"%[-+ 0#]*\d*(?:\.\d+)?[diouxXeEfFgG]")
STR_METHODS = {
    "strip",
    "lstrip",
    "rstrip",
    "replace",
    "lower",
    "upper",
    "removeprefix",
    "removesuffix",
    "split",
    "partition",
    "format",
}
SEPARATORS = {".", ","}
READERS = {"float", "int", "Decimal"}
BANNED_MODULES = ("babel.numbers", "babel.dates", "locale")


def modules() -> list[Path]:
    return sorted(p for p in KOMPAS.rglob("*.py") if p != NUMBERS and "migrations" not in p.parts)


def _is_text(node: ast.expr) -> bool:
    """An expression that is text for sure: a literal, an f-string, str() or a str method."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.Call):
        if isinstance(node.func, ast.Name) and node.func.id == "str":
            return True
        return isinstance(node.func, ast.Attribute) and node.func.attr in STR_METHODS
    return False


def _spec_text(spec: ast.expr | None) -> str:
    if isinstance(spec, ast.JoinedStr):
        return "".join(v.value for v in spec.values if isinstance(v, ast.Constant))
    return ""


def problems(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """(line, what) for every place that formats or parses a number itself."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names]
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""] + [f"{node.module}.{n}" for n in names]
            for name in names:
                if name in BANNED_MODULES:
                    yield node.lineno, f"imports {name}"
        elif isinstance(node, ast.FormattedValue):
            spec = _spec_text(node.format_spec)
            if spec and NUMBER_SPEC.search(spec):
                yield node.lineno, f"formats a number with the spec {spec!r}"
        elif (
            isinstance(node, ast.BinOp)
            and isinstance(node.op, ast.Mod)
            and isinstance(node.left, ast.Constant)
            and isinstance(node.left.value, str)
            and PERCENT_FORMAT.search(node.left.value)
        ):
            yield node.lineno, "formats a number with %"
        elif isinstance(node, ast.Call):
            yield from _call_problems(node)


def _call_problems(node: ast.Call) -> Iterator[tuple[int, str]]:
    func = node.func
    if isinstance(func, ast.Name) and func.id == "format" and len(node.args) == 2:
        spec = node.args[1]
        if isinstance(spec, ast.Constant) and NUMBER_SPEC.search(str(spec.value)):
            yield node.lineno, "formats a number with format()"
    if isinstance(func, ast.Name) and func.id in READERS and node.args and _is_text(node.args[0]):
        yield node.lineno, f"reads a number from text with {func.id}()"
    if isinstance(func, ast.Attribute) and func.attr == "replace" and len(node.args) >= 1:
        first = node.args[0]
        if isinstance(first, ast.Constant) and first.value in SEPARATORS:
            yield node.lineno, f"swaps number separators with replace({first.value!r}, …)"
    if isinstance(func, ast.Attribute) and func.attr == "format":
        target = func.value
        if isinstance(target, ast.Constant) and isinstance(target.value, str):
            for _text, _field, spec, _conv in string.Formatter().parse(target.value):
                if spec and NUMBER_SPEC.search(spec):
                    yield node.lineno, f"formats a number with the spec {spec!r}"


def test_only_the_number_module_formats_or_parses_numbers() -> None:
    found = []
    for path in modules():
        name = str(path.relative_to(KOMPAS.parent))
        if name in ALLOWED:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=name)
        found += [f"{name}:{line}: {what}" for line, what in problems(tree)]
    assert not found, "format and parse numbers through kompas.numbers:\n" + "\n".join(found)


def test_every_allowed_module_still_needs_it_and_says_why() -> None:
    for name, reason in ALLOWED.items():
        assert reason.strip(), f"{name}: give the reason"
        tree = ast.parse((KOMPAS.parent / name).read_text(encoding="utf-8"))
        assert list(problems(tree)), f"{name} no longer formats numbers: take it off ALLOWED"


@pytest.mark.parametrize(
    "code",
    [
        'f"{x:.1f}"',
        'f"{x:,}"',
        'f"{p:.0f}%"',
        '"{:.2f}".format(x)',
        '"%d euro" % n',
        'format(x, ",")',
        'text.replace(",", ".")',
        "float(raw.strip())",
        "int(str(value))",
        "import babel.numbers",
        "from babel.numbers import format_decimal",
        "from babel import numbers",
    ],
)
def test_the_scan_finds_each_way_of_doing_it_by_hand(code: str) -> None:
    assert list(problems(ast.parse(code))), code


@pytest.mark.parametrize(
    "code",
    ['f"{name:28}"', 'f"{rank:>3}"', '"{n} van {m}".format(n=1, m=2)', "int(count)", "float(x)"],
)
def test_the_scan_leaves_text_and_plain_conversions_alone(code: str) -> None:
    assert not list(problems(ast.parse(code))), code
