"""Plain text written by a coach, made safe to put in a Markdown document as it was written.

Nothing a coach types may become markup when the Markdown is rendered later (a heading, a
link, emphasis, raw HTML): every character with a meaning is escaped with a backslash, which
CommonMark allows before any ASCII punctuation. A single line break stays a line break (a
backslash at the end of the line); a blank line still starts a new paragraph.
"""

from __future__ import annotations

import re

# Meaningful anywhere in a line: emphasis, code, links, raw HTML and entities, tables, strike.
_INLINE = re.compile(r"([\\`*_\[\]<>|&~])")
# Meaningful at the start of a line, before a space or the end: headings, lists, rules and
# setext underlines ("7.5" or "-3" start no list). Quotes (">") are escaped anywhere.
_LINE_START = re.compile(r"^(\s*)(\d{1,9}[.)]|#{1,6}|[-+]|=+|-+)(?=\s|$)")


def _escape_line_start(match: re.Match[str]) -> str:
    space, mark = match.groups()
    if mark[0].isdigit():
        return f"{space}{mark[:-1]}\\{mark[-1]}"
    return f"{space}\\{mark}"


def escape(text: str) -> str:
    """``text`` with every Markdown-significant character escaped; line breaks unchanged."""
    lines = []
    for line in text.replace("\r\n", "\n").split("\n"):
        line = _INLINE.sub(r"\\\1", line)
        line = _LINE_START.sub(_escape_line_start, line)
        lines.append(line)
    return "\n".join(lines)


def text(value: str) -> str:
    """A coach's text as Markdown paragraphs: escaped, its own line breaks kept."""
    paragraphs = re.split(r"\n\s*\n", escape(value.strip()))
    return "\n\n".join(p.replace("\n", "\\\n") for p in paragraphs if p.strip())


def bullets(items: list[str]) -> str:
    """Already-formatted Markdown items as a bullet list ("" for none)."""
    return "\n".join("- " + item.replace("\n", "\n  ") for item in items)
