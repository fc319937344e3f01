"""Module and function size: no module in kompas/ over 400 lines, no function over 60 lines
unless a `# long: <reason>` comment at its top says why (docs/design.md, "Module layout").

The reason comment goes between the `def` line and the first statement after the docstring,
so it is read together with the signature; an empty reason does not count.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "kompas"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
REASON = re.compile(r"#\s*long:\s*\S")

# Every module is under the limit now; a module that must grow past it is split instead.
KNOWN_LONG_MODULES: frozenset[str] = frozenset()
# Every function is under the limit or gives its reason; a function that must grow past it is cut
# into named steps instead.
KNOWN_LONG_FUNCTIONS: frozenset[str] = frozenset()


def modules() -> list[Path]:
    """Every Python module of the package."""
    return sorted(ROOT.rglob("*.py"))


def name(path: Path) -> str:
    """A module's path inside kompas/, with forward slashes."""
    return path.relative_to(ROOT).as_posix()


def long_functions(source: str) -> list[tuple[str, int, bool]]:
    """Every function over the limit: its name, its length and whether it gives a reason."""
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        length = (node.end_lineno or node.lineno) - node.lineno + 1
        if length <= MAX_FUNCTION_LINES:
            continue
        body = node.body
        has_docstring = (
            isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        )
        # The top: from the def line to the first statement after the docstring.
        statements = body[1:] if has_docstring else body
        end = statements[0].lineno - 1 if statements else (node.end_lineno or node.lineno)
        top = lines[node.lineno - 1 : end]
        found.append((node.name, length, any(REASON.search(line) for line in top)))
    return found


def test_no_module_is_over_the_limit() -> None:
    """A module over 400 lines does several jobs: split it by responsibility."""
    over = {
        name(path): n
        for path in modules()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    unexpected = {m: n for m, n in over.items() if m not in KNOWN_LONG_MODULES}
    assert unexpected == {}, f"modules over {MAX_MODULE_LINES} lines: {unexpected}"


def test_no_function_is_over_the_limit_without_a_reason() -> None:
    """A function over 60 lines is cut into named steps, or says at its top why it is not."""
    unexplained = [
        f"{name(path)}:{function} ({length} lines)"
        for path in modules()
        for function, length, reason in long_functions(path.read_text(encoding="utf-8"))
        if not reason and f"{name(path)}:{function}" not in KNOWN_LONG_FUNCTIONS
    ]
    assert unexplained == [], "add `# long: <reason>` or shorten: " + "; ".join(unexplained)


def test_the_known_exceptions_are_still_needed() -> None:
    """An exception that no longer applies is taken off its list, so the list stays honest."""
    paths = {name(path): path for path in modules()}
    for module in KNOWN_LONG_MODULES:
        if module in paths:
            n = len(paths[module].read_text(encoding="utf-8").splitlines())
            assert n > MAX_MODULE_LINES, f"{module} is {n} lines now: take it off the list"
    for entry in KNOWN_LONG_FUNCTIONS:
        module, function = entry.split(":")
        long = [] if module not in paths else long_functions(paths[module].read_text("utf-8"))
        assert any(f == function and not reason for f, _n, reason in long), (
            f"{entry} is no longer over {MAX_FUNCTION_LINES} lines without a reason: "
            "take it off the list"
        )


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("def f():\n" + "    x = 1\n" * 60, [("f", 61, False)]),
        ("def f():\n    # long: one table\n" + "    x = 1\n" * 60, [("f", 62, True)]),
        (
            'def f():\n    """Doc."""\n    # long: one table\n' + "    x = 1\n" * 60,
            [("f", 63, True)],
        ),
        ("def f():\n    # long:\n" + "    x = 1\n" * 60, [("f", 62, False)]),
        ("def f():\n" + "    x = 1\n" * 59, []),
        (
            "def f():\n" + "    x = 1\n" * 30 + "    # long: too late\n" + "    x = 1\n" * 30,
            [("f", 62, False)],
        ),
    ],
)
def test_the_checker_reads_reasons_only_at_the_top(
    source: str, expected: list[tuple[str, int, bool]]
) -> None:
    """The reason counts at the function's top, not somewhere in its body, and not empty."""
    assert long_functions(source) == expected
