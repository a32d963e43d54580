"""The exports' files: a PDF of sessions, a Markdown file or a zip of them, streamed."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from debrief.coachees.models import Coachee
from debrief.exports.document import SessionDoc, build
from debrief.exports.markdown import safe_filename, session_filename, session_markdown
from debrief.exports.records import SessionRecord
from debrief.exports.zipstream import stream_zip
from debrief.lib.pdf import render_pdf


def pdf(docs: list[SessionDoc], title: str, **extra: Any) -> bytes:
    html = render_to_string("exports/pdf.html", {"docs": docs, "title": title, **extra})
    return render_pdf(html)


def _members(found: Iterable[SessionRecord], coachees: dict[int, Coachee]) -> Iterator[Any]:
    folders: dict[int, str] = {}
    taken: set[str] = set()
    for record in found:
        coachee_id = record.session.coachee_id
        if coachee_id not in folders:
            coachee = coachees.get(coachee_id)
            name = safe_filename(record.coachee_name if coachee is None else coachee.name)
            folder = (
                name
                if name.casefold() not in taken
                else f"{name} {str(record.session.coachee.code)[:8]}"
            )
            taken.add(folder.casefold())
            folders[coachee_id] = folder
        doc = build(record)
        yield f"{folders[coachee_id]}/{session_filename(doc)}", session_markdown(doc)


def markdown_zip(found: Iterable[SessionRecord], coachees: dict[int, Coachee]) -> Iterator[bytes]:
    """A zip with one folder per coachee and one Markdown file per session, in pieces."""
    return stream_zip(_members(found, coachees), timezone.localtime())
