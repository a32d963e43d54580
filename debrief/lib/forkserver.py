"""The one forkserver a Debrief process forks its worker processes from (PDF parts, export parts).

A serving process runs many threads, and forking one of them can leave a lock another thread
held locked for good in the copy (SQLite's, the allocator's). So workers are never forked from
it: multiprocessing's forkserver is a separate, single-threaded process, started fresh (not
forked) on the first worker and kept, that has imported what the workers need and forks a
worker for each job in a few milliseconds. There is one per process and its imports are fixed
when it starts, so every kind of worker names its module here, whichever starts it first:
WeasyPrint and ``lib/pdf_draw.py`` for the PDF's parts, Django set up for the journal export's
(``portable/export_worker.py``). A worker runs as the same user with the environment this
process had when the forkserver started, and ``end_with_parent`` ends it at once if the process
that asked for it ends first.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import threading
from typing import Any

PRELOAD = ["weasyprint", "debrief.lib.pdf_draw", "debrief.portable.export_worker"]


def context() -> Any:
    """multiprocessing's forkserver context, its imports set (they count only before it starts)."""
    found = multiprocessing.get_context("forkserver")
    found.set_forkserver_preload(PRELOAD)
    return found


def end_with_parent() -> None:
    """In a worker: end this process as soon as the one that asked for it has ended."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="end-with-parent", daemon=True).start()
