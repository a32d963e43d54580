"""HTML to PDF with WeasyPrint, fetching nothing but Debrief's own static files.

WeasyPrint's default fetcher follows any URL in the document: http(s), ftp and file:// paths
anywhere on the disk. Coachee text is rendered into these documents, so a stray ``<img src>``
or ``url()`` must never reach the network or read a local file. ``StaticOnlyFetcher``
(``lib/pdf_draw.py``) answers ``/static/...`` URLs (resolved against ``BASE``) from Django's
static files finders, inline ``data:`` URLs, and refuses everything else (recorded in
``refused``, never fetched). Use ``render_pdf(html)``; the HTML may link ``{% static %}``
files as the pages do.

While WeasyPrint draws, Python's cyclic garbage collector is paused (``_CollectorPause``):
WeasyPrint makes hundreds of thousands of boxes and styles that stay alive until the last
page, and the collector kept walking them all, a quarter of the CPU of a 100-session
dossier (profiled: ``gc_collect_main`` and its visits). The PDF is byte for byte the same;
the document's own garbage is collected as usual once the collector runs again.

A long document comes in parts (``render_pdf_parts``): the first is drawn here while each
of the others is drawn by a worker process at the same time, then ``pdf_draw.join`` puts
them together and numbers the pages. WeasyPrint's time goes with the pages and a process
uses one core, so on two cores a 100-session dossier takes a little over half as long. The
workers are forked from a small server process (multiprocessing's forkserver, started on the
first worker and kept: ``lib/forkserver.py``), never from this multi-threaded process. A
worker gets its part's HTML and the list of static files and opens no database or key (it
runs as the same user, with this process's environment); it sends its PDF down a pipe and
ends, is stopped here once the PDF is drawn whatever happened, and ends by itself if this
process is killed. At most ``WORKERS`` at once; a part that finds none free, or whose worker
cannot start, dies or takes over ``WORKER_TIMEOUT``, is drawn here after the first, so the
PDF is the same, only slower.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Sequence
from types import TracebackType
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders

from debrief.lib import forkserver, pdf_draw

log = logging.getLogger("debrief.pdf")

BASE = "https://debrief.invalid/"  # never resolved: only a prefix the fetcher recognises
WORKERS = 2  # worker processes a serving process may have at once, each drawing one part
# Seconds a part may take in a worker before it is stopped and the part drawn here instead:
# under the 3 minutes after which a dossier job that has not moved shows as failed.
WORKER_TIMEOUT = 120


def _fetcher_class() -> Any:
    return pdf_draw.fetcher_class()


def _prefix() -> str:
    return BASE + settings.STATIC_URL.lstrip("/")


def _find(path: str) -> str | None:
    found = finders.find(path)
    return None if not found or isinstance(found, list) else str(found)


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
    return _fetcher_class()(_prefix(), _find)


def render_pdf(html: str, *, url_fetcher: Any = None) -> bytes:
    """The PDF of ``html``; links to ``/static/`` files are read from disk, nothing else."""
    with _collector_paused:
        return pdf_draw.write(html, BASE, url_fetcher or fetcher())


def render_pdf_parts(parts: Sequence[str]) -> bytes:
    """One PDF of ``parts`` (whole HTML documents, each starting a page), pages numbered
    "Page n of N" across them; the parts after the first drawn by worker processes."""
    workers = [_start(part) for part in parts[1:]]
    try:
        pdfs = [render_pdf(parts[0])]
        for part, worker in zip(parts[1:], workers, strict=True):
            pdfs.append(_finish(worker) or render_pdf(part))
    finally:
        for worker in workers:  # none outlives its PDF, whatever happened here
            if worker is not None:
                worker.stop()
    return pdf_draw.join(pdfs)


_free = threading.BoundedSemaphore(WORKERS)  # workers this serving process may have at once


class _Worker:
    """One part drawn by a process of its own, its PDF read from a pipe."""

    def __init__(self, part: str) -> None:
        context = forkserver.context()
        self.answer, sending = context.Pipe(duplex=False)
        args = (sending, part, BASE, _prefix(), _static_files())
        self.process = context.Process(target=pdf_draw.serve_part, args=args, daemon=True)
        try:
            self.process.start()
        except BaseException:
            self.answer.close()
            raise
        finally:
            sending.close()  # the worker's end: EOF here once it has gone

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.answer.close()
        _free.release()


def _start(part: str) -> _Worker | None:
    if not _free.acquire(blocking=False):
        return None  # as many workers as this process may have: drawn here instead
    try:
        return _Worker(part)
    except Exception as error:  # no worker: the part is drawn in this process
        _free.release()
        log.warning("PDF worker not started: %s", type(error).__name__)
        return None


def _finish(worker: _Worker | None) -> bytes | None:
    if worker is None:
        return None
    try:
        if not worker.answer.poll(WORKER_TIMEOUT):
            raise TimeoutError
        return worker.answer.recv_bytes()
    except (EOFError, OSError) as error:  # it died or hung (TimeoutError): drawn here instead
        log.warning("PDF worker failed: %s", type(error).__name__)
        return None


def _static_files() -> dict[str, str]:
    """Every static file a worker may read, by its path under STATIC_URL (first finder wins)."""
    files: dict[str, str] = {}
    for finder in finders.get_finders():
        for path, storage in finder.list([]):
            files.setdefault(path.replace("\\", "/"), storage.path(path))
    return files
