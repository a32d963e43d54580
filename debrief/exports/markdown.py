"""A session as a Markdown file: YAML front matter, then the reflection, readable anywhere.

The front matter is written by PyYAML (``safe_dump``), never by joining strings, so a name
or an answer with a colon, a quote or a line break stays one value. Its fields: date,
coachee, session number, duration, format, payment, template and its version, status, and
the lists the answer kinds add (ratings, techniques with their ratings, actions with status
and due date). The body is each answered prompt in its kind's own Markdown form
(``as_markdown``), the coach's words escaped so nothing they typed becomes markup.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from typing import Any

import yaml

from debrief.exports.document import SessionDoc
from debrief.lib import markdown

FORMAT = "debrief-session"
FORMAT_VERSION = 1


def front_matter(doc: SessionDoc) -> dict[str, Any]:
    session, reflection = doc.session, doc.record.reflection
    data: dict[str, Any] = {
        "date": session.date,
        "start": session.start_time.strftime("%H:%M") if session.start_time else None,
        "coachee": doc.coachee_name,
        "session": session.number,
        "duration_minutes": session.duration_minutes,
        "format": session.get_format_display(),
        "payment": session.get_payment_display(),
        "kind": session.get_kind_display(),
        "group_size": session.group_size,
        "template": doc.template,
        "template_version": doc.template_version,
        "status": reflection.get_status_display(),
    }
    for item in doc.items:
        found = item.kind.front_matter(item.prompt, item.value)
        if found is not None:
            name, entry = found
            listed = data.setdefault(name, [])
            listed.extend(entry if isinstance(entry, list) else [entry])
    if doc.supervision_note:
        data["for_supervision"] = doc.supervision_note
    data["exported_as"] = f"{FORMAT} {FORMAT_VERSION}"
    return {k: v for k, v in data.items() if v is not None}


# The front matter's few shapes (a mapping of scalars and of lists of small mappings) are
# written directly: PyYAML's representer (Python even with libyaml's emitter) was a fifth of a
# 3,000-session journal's export. Strings stay plain only when they cannot mean anything else
# to a YAML reader; every other string is double-quoted with YAML's own escapes, so a colon,
# a quote, a line break or a control character stays one value. Anything else goes to PyYAML.
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 .,'()\-]*")
_KEY = re.compile(r"[a-z][a-z0-9_]*")
_SPECIAL = frozenset({"yes", "no", "on", "off", "y", "n", "true", "false", "null"})
_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]')
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _escaped(match: re.Match[str]) -> str:
    char = match.group()
    return _ESCAPES.get(char) or f"\\u{ord(char):04x}"


def _scalar(value: Any) -> str | None:
    """``value`` as a YAML scalar, or None for a type this writer leaves to PyYAML."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, str):
        if _PLAIN.fullmatch(value) and value[-1] != " " and value.lower() not in _SPECIAL:
            return value
        return '"' + _ESCAPE.sub(_escaped, value) + '"'
    return None


def _direct(data: dict[str, Any]) -> str | None:
    lines = []
    for key, value in data.items():
        if not _KEY.fullmatch(key):
            return None
        if isinstance(value, list):
            if not value:
                lines.append(f"{key}: []")
                continue
            lines.append(f"{key}:")
            for entry in value:
                if isinstance(entry, dict) and entry:
                    for i, (name, inner) in enumerate(entry.items()):
                        shown = _scalar(inner)
                        if shown is None or not _KEY.fullmatch(name):
                            return None
                        lines.append(f"{'- ' if i == 0 else '  '}{name}: {shown}")
                else:
                    shown = _scalar(entry)
                    if shown is None:
                        return None
                    lines.append(f"- {shown}")
            continue
        shown = _scalar(value)
        if shown is None:
            return None
        lines.append(f"{key}: {shown}")
    return "\n".join(lines) + "\n"


_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's emitter where built with it


def _yaml(data: dict[str, Any]) -> str:
    direct = _direct(data)
    if direct is not None:
        return direct
    text: str = yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=100)
    return text


def session_markdown(doc: SessionDoc) -> str:
    """The whole file: front matter between ``---`` lines, then the reflection."""
    session = doc.session
    lines = ["---", _yaml(front_matter(doc)).rstrip("\n"), "---", ""]
    when = session.date.strftime("%A %-d %B %Y")
    lines += [f"# {markdown.escape(doc.heading)}", "", f"{when}", ""]
    if doc.supervision_note:
        lines += ["## For supervision", "", markdown.text(doc.supervision_note), ""]
    if doc.reviews:
        lines += ["## Actions from earlier sessions", ""]
        lines.append(
            markdown.bullets(
                [
                    f"{markdown.escape(r.action.text)}: {r.get_choice_display().lower()}"
                    + (f" ({markdown.escape(r.note)})" if r.note else "")
                    for r in doc.reviews
                ]
            )
        )
        lines.append("")
    for title, text in doc.last_time:
        lines += [f"## {markdown.escape(title)}", "", markdown.text(text), ""]
    for part in doc.parts:
        lines += [f"## {markdown.escape(part.title)}", ""]
        for item in part.items:
            lines += [f"### {markdown.escape(item.prompt.text)}", "", item.markdown, ""]
    if doc.others:
        lines += ["## Answers to questions no longer asked", ""]
        for answer in doc.others:
            lines += [
                f"### {markdown.escape(answer.prompt_key)}",
                "",
                markdown.text(answer.text),
                "",
            ]
    if not doc.parts:
        lines += ["*Nothing written yet.*", ""]
    return "\n".join(lines)


_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def safe_filename(text: str, limit: int = 60) -> str:
    """``text`` usable as a file or folder name on any system (never empty)."""
    text = unicodedata.normalize("NFC", text)
    text = _UNSAFE.sub(" ", text)
    text = " ".join(text.split()).strip(" .")[:limit].strip(" .")
    return text or "untitled"


def session_filename(doc: SessionDoc) -> str:
    session = doc.session
    return f"{session.date:%Y-%m-%d} session {session.number:02d}.md"
