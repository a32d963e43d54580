"""At most two malloc arenas in a serving process, so memory one request grew is reused.

glibc's malloc gives a thread that meets another in the allocator an arena of its own (up to
eight per core), and an arena keeps the memory it grew to. A threaded server (waitress's four
threads, gunicorn's gthread workers) then holds, after a few large requests on different
threads, what each of them grew to. The whole-journal export at 10,000 sessions left the server
at 139, 178 and 212 MB after one, two and three downloads on 2 December 2026 (``python -m
bench.portable --against-jrnl``), the third over the 200 MB that export is allowed; on 3
December, 129 and 147 MB after one and three with glibc's default, 122 and 136 MB with two
arenas, the export's time unchanged (2.68 against 2.66 s). With two arenas the memory one
download grew serves the next.

``limit()`` asks glibc for this with ``mallopt(M_ARENA_MAX, 2)`` before the serving threads
start (``debrief/wsgi.py``, so both ``manage.py serve`` and gunicorn's workers do it). An
operator's own ``MALLOC_ARENA_MAX`` (glibc reads it at start) is left to stand; on a C library
that is not glibc (musl, macOS) nothing is done. Python's small objects never reach malloc
(they have their own allocator), so the arenas matter only for large strings and buffers.
"""

from __future__ import annotations

import ctypes
import os

M_ARENA_MAX = -8  # <malloc.h>
ARENAS = 2


def limit(arenas: int = ARENAS) -> bool:
    """Cap this process's malloc arenas at ``arenas``; whether it was done."""
    if os.environ.get("MALLOC_ARENA_MAX"):
        return False  # the operator's choice, already applied by glibc
    try:
        libc = ctypes.CDLL(None)
        libc.gnu_get_libc_version  # noqa: B018 (glibc only: musl and macOS lack it)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    return bool(mallopt(M_ARENA_MAX, arenas))
