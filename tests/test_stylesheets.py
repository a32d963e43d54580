"""Every stylesheet is balanced: an unclosed block silently scopes the rest of the file.

An ``@media (max-width: 60rem) {`` left open once made the search and insights styling apply
on phones only. Browsers do not complain, so this test does.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "debrief"
STYLESHEETS = sorted(ROOT.rglob("static/**/*.css"))
# Comments and quoted strings may hold braces that are not blocks.
_NOT_CODE = re.compile(r"/\*.*?\*/|\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*'", re.DOTALL)


def unbalanced(css: str) -> str | None:
    """Why the stylesheet's braces do not balance (with a line number), or None."""
    code = _NOT_CODE.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), css)
    if "/*" in code:
        return f"line {code[: code.index('/*')].count(chr(10)) + 1}: a comment is never closed"
    opened: list[int] = []
    for line_no, line in enumerate(code.splitlines(), start=1):
        for char in line:
            if char == "{":
                opened.append(line_no)
            elif char == "}":
                if not opened:
                    return f"line {line_no}: a closing brace with nothing open"
                opened.pop()
    if opened:
        return f"line {opened[-1]}: a block opened here is never closed"
    return None


def test_there_are_stylesheets_to_check() -> None:
    assert any(p.name == "debrief.css" for p in STYLESHEETS)


@pytest.mark.parametrize("path", STYLESHEETS, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_stylesheet_is_balanced(path: Path) -> None:
    assert unbalanced(path.read_text()) is None


@pytest.mark.parametrize(
    ("css", "problem"),
    [
        ("a { color: red; }\n@media (max-width: 60rem) {\n  b { x: y; }\n", "line 2"),
        ("a { color: red; } }", "nothing open"),
        ("/* never closed\na { }", "comment"),
    ],
)
def test_the_checker_finds_unbalanced_stylesheets(css: str, problem: str) -> None:
    found = unbalanced(css)
    assert found is not None and problem in found


def test_braces_in_comments_and_strings_are_not_blocks() -> None:
    assert unbalanced('/* { */ a::before { content: "}"; }') is None
