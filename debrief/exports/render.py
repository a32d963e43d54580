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
from debrief.lib.pdf import render_pdf_parts

# Sessions from which a PDF is drawn in two parts at once (lib/pdf.py): below it, a worker's
# start and the join cost about as much as they save (a session is about 30 ms of drawing).
TWO_PARTS_FROM = 20


def pdf(docs: list[SessionDoc], title: str, **extra: Any) -> bytes:
    """The sessions as one PDF (its pages numbered), a cover (``extra``) before the first.

    From ``TWO_PARTS_FROM`` sessions on, the second half is drawn at the same time as the
    first by another process: it starts on a page of its own, as every session of a pack
    and of a single reflection does anyway.
    """
    half = len(docs) // 2 if len(docs) >= TWO_PARTS_FROM else len(docs)
    first = {"docs": docs[:half], "session_count": len(docs), "title": title, "offset": 0, **extra}
    parts = [render_to_string("exports/pdf.html", first)]
    if half < len(docs):
        rest = {key: value for key, value in first.items() if key != "cover"}
        rest.update(docs=docs[half:], offset=half)
        parts.append(render_to_string("exports/pdf.html", rest))
    return render_pdf_parts(parts)


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
