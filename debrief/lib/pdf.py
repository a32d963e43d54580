"""HTML to PDF with WeasyPrint, fetching nothing but Debrief's own static files.

WeasyPrint's default fetcher follows any URL in the document: http(s), ftp and file:// paths
anywhere on the disk. Coachee text is rendered into these documents, so a stray ``<img src>``
or ``url()`` must never reach the network or read a local file. ``StaticOnlyFetcher`` answers
``/static/...`` URLs (resolved against ``BASE``) from Django's static files finders, inline
``data:`` URLs, and refuses everything else (recorded in ``refused``, never fetched).
Use ``render_pdf(html)``; the HTML may link ``{% static %}`` files as the pages do.

While WeasyPrint draws, Python's cyclic garbage collector is paused (``_CollectorPause``):
WeasyPrint makes hundreds of thousands of boxes and styles that stay alive until the last
page, and the collector kept walking them all, a quarter of the CPU of a 100-session
dossier (profiled: ``gc_collect_main`` and its visits). The PDF is byte for byte the same;
the document's own garbage is collected as usual once the collector runs again.
"""

from __future__ import annotations

import gc
import mimetypes
import threading
from types import TracebackType
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

BASE = "https://debrief.invalid/"  # never resolved: only a prefix the fetcher recognises


def _fetcher_class() -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def __init__(self) -> None:
            super().__init__(timeout=1, allowed_protocols={"data", "https"}, allow_redirects=False)
            self.refused: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = self._static_path(url)
            found = finders.find(path) if path else None
            if not found or isinstance(found, list):
                self.refused.append(url[:200])
                raise ValueError(f"Refused to fetch {url[:200]}: only Debrief's static files")
            with open(found, "rb") as handle:
                body = handle.read()
            kind = mimetypes.guess_type(found)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body, {"Content-Type": kind})

        @staticmethod
        def _static_path(url: str) -> str | None:
            prefix = BASE + settings.STATIC_URL.lstrip("/")
            if not url.startswith(prefix):
                return None
            path = unquote(urlsplit(url).path)[len(urlsplit(prefix).path) :]
            if not path or ".." in path.split("/") or path.startswith("/"):
                return None
            return path

    return StaticOnlyFetcher


class _CollectorPause:
    """The collector off while any render runs (threads count in), back on after the last.

    Only the cyclic collector: reference counting still frees everything else at once, so
    another request's memory is unaffected but for cycles, kept a few seconds at most.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running = 0
        self._restore = False

    def __enter__(self) -> None:
        with self._lock:
            if self._running == 0:
                self._restore = gc.isenabled()
                gc.disable()
            self._running += 1

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        with self._lock:
            self._running -= 1
            if self._running == 0 and self._restore:
                gc.enable()


_collector_paused = _CollectorPause()


def fetcher() -> Any:
    return _fetcher_class()()


def render_pdf(html: str, *, url_fetcher: Any = None) -> bytes:
    """The PDF of ``html``; links to ``/static/`` files are read from disk, nothing else."""
    from weasyprint import HTML  # imported here: only PDF downloads need it (and it is large)

    with _collector_paused:
        document = HTML(string=html, base_url=BASE, url_fetcher=url_fetcher or fetcher())
        pdf: bytes = document.write_pdf()
        del document  # its cycles are collected once the collector is back on
    return pdf
