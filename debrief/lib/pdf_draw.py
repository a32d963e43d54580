"""WeasyPrint's side of Debrief's PDFs, free of Django so a worker process can import it alone.

``StaticOnlyFetcher`` is the only way a document reaches anything outside itself: it answers
``data:`` URLs and the static files it is given (a look-up from a path under ``prefix`` to a
file on disk) and refuses every other URL (recorded in ``refused``, never fetched).
``draw(html, prefix, files)`` is what a worker process runs for one part of a long PDF (see
``lib/pdf.py``): the collector off (the process ends after the part, so its garbage is never
walked), the PDF and the URLs refused. ``join`` puts parts drawn apart into one PDF and
numbers its pages.

Page numbers are drawn by ``join``, not by the stylesheet: a part drawn by itself cannot know
how many pages come before it, or how many there are in all. Each page gets "Page n of N" at
the foot, centred, in 8 pt grey as the stylesheet set it before, in Helvetica: one of the
fonts every PDF reader has (it is not embedded), with the metrics of Liberation Sans and Arial
that the rest of the page is set in, so the line is measured here by its advance widths.
"""

from __future__ import annotations

import gc
import io
import mimetypes
from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast
from urllib.parse import unquote, urlsplit

from debrief.lib.forkserver import end_with_parent

Find = Callable[[str], "str | None"]  # a static file's path (under STATIC_URL) -> a file, or None

# Helvetica's advance widths (Adobe's AFM, per 1,000 of the font size), for "Page n of N".
_WIDTHS = {" ": 278, "P": 667, "a": 556, "g": 556, "e": 556, "o": 556, "f": 278}
_WIDTHS.update(dict.fromkeys("0123456789", 556))
FOOT_SIZE = 8.0  # points, as the running header
FOOT_BASELINE = 21.3  # points above the foot: where WeasyPrint set it in pdf.css's 17 mm margin
FOOT_GREY = "0.333 0.376 0.392"  # #556064, the stylesheet's muted colour
_FONT = "/DebriefFoot"


def fetcher_class() -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def __init__(self, prefix: str, find: Find) -> None:
            super().__init__(timeout=1, allowed_protocols={"data", "https"}, allow_redirects=False)
            self.prefix, self.find = prefix, find
            self.refused: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = self._static_path(url)
            found = self.find(path) if path else None
            if not found:
                self.refused.append(url[:200])
                raise ValueError(f"Refused to fetch {url[:200]}: only Debrief's static files")
            with open(found, "rb") as handle:
                body = handle.read()
            kind = mimetypes.guess_type(found)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body, {"Content-Type": kind})

        def _static_path(self, url: str) -> str | None:
            if not url.startswith(self.prefix):
                return None
            path = unquote(urlsplit(url).path)[len(urlsplit(self.prefix).path) :]
            if not path or ".." in path.split("/") or path.startswith("/"):
                return None
            return path

    return StaticOnlyFetcher


def write(html: str, base: str, url_fetcher: Any) -> bytes:
    from weasyprint import HTML  # imported here: only PDFs need it (and it is large)

    document = HTML(string=html, base_url=base, url_fetcher=url_fetcher)
    pdf: bytes = document.write_pdf()
    del document  # its cycles are collected once the collector is back on
    return pdf


def draw(html: str, base: str, prefix: str, files: Mapping[str, str]) -> tuple[bytes, list[str]]:
    """One part's PDF and the URLs refused, in a worker process that ends after it."""
    gc.disable()  # the process ends after this part: its garbage is never walked
    fetcher = fetcher_class()(prefix, files.get)
    return write(html, base, fetcher), fetcher.refused


def serve_part(answer: Any, html: str, base: str, prefix: str, files: Mapping[str, str]) -> None:
    """A worker process's whole life: draw one part, send its PDF down ``answer``, end. It
    ends at once if the process that asked for it ends first (killed, say), never left
    holding the part's text."""
    end_with_parent()
    pdf, _refused = draw(html, base, prefix, files)
    answer.send_bytes(pdf)
    answer.close()


def _footer(text: str, width: float) -> bytes:
    left = (width - sum(_WIDTHS[c] for c in text) * FOOT_SIZE / 1000) / 2
    return (
        f"Q\nq BT {_FONT} {FOOT_SIZE:g} Tf {FOOT_GREY} rg {left:.2f} {FOOT_BASELINE} Td "
        f"({text}) Tj ET Q\n"
    ).encode("ascii")


def _copy_outline(writer: Any, reader: Any, items: list[Any], start: int, parent: Any) -> None:
    """``reader``'s bookmarks ``items`` (pypdf's nested list: an entry, then its children's
    list) added under ``parent``, pointing at the same places ``start`` pages on."""
    from pypdf.generic import Fit

    added = None
    for item in items:
        if isinstance(item, list):
            _copy_outline(writer, reader, item, start, added)
            continue
        page = start + reader.get_destination_page_number(item)
        where = Fit.xyz(item.left, item.top, item.zoom) if item.typ == "/XYZ" else Fit.fit()
        added = writer.add_outline_item(
            title=item.title, page_number=page, parent=parent, fit=where
        )


def page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def join(pdfs: Sequence[bytes]) -> bytes:
    """The parts as one PDF, pages numbered "Page n of N"; the first part's title, language
    and bookmarks (each part's bookmarks follow, pointing at their pages)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    first = PdfReader(io.BytesIO(pdfs[0]))
    writer.append(first)
    # The first part's bookmarks as they are; a later part's go where its sessions would have
    # been in one document: under the first part's last heading when its sessions are there
    # (a dossier's or pack's cover title), else beside them.
    last = writer.get_outline_root().get("/Last")
    under = last if last is not None and "/First" in last.get_object() else None
    for body in pdfs[1:]:
        reader = PdfReader(io.BytesIO(body))
        start = len(writer.pages)
        writer.append(reader, import_outline=False)
        _copy_outline(writer, reader, reader.outline, start, under)
    writer.add_metadata(dict(first.metadata or {}))
    language = first.root_object.get("/Lang")
    if language is not None:
        writer.root_object[NameObject("/Lang")] = language
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
    )
    opening = DecodedStreamObject()
    opening.set_data(b"q\n")  # WeasyPrint's own drawing leaves its coordinates changed
    opening_ref = writer._add_object(opening)
    total = len(writer.pages)
    for number, page in enumerate(writer.pages, 1):
        resources = cast(DictionaryObject, page[NameObject("/Resources")].get_object())
        if "/Font" not in resources:
            resources[NameObject("/Font")] = DictionaryObject()
        cast(DictionaryObject, resources["/Font"].get_object())[NameObject(_FONT)] = font
        footer = DecodedStreamObject()
        footer.set_data(_footer(f"Page {number} of {total}", float(page.mediabox.width)))
        contents = page.raw_get("/Contents")  # as stored: a stream's reference, or an array
        held = contents.get_object()
        streams = list(held) if isinstance(held, ArrayObject) else [contents]
        page[NameObject("/Contents")] = ArrayObject(
            [opening_ref, *streams, writer._add_object(footer)]
        )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
