"""A serving process keeps at most two malloc arenas (debrief/lib/arenas.py).

Each case runs in a fresh interpreter: six threads each allocate and hold large buffers, then
glibc's ``malloc_stats()`` lists the process's arenas on standard error ("Arena 0:", ...).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

THREADS = textwrap.dedent(
    """
    import ctypes, threading
    held, grown, done = [], threading.Barrier(7), threading.Event()
    def grow():
        held.extend(bytes(40_000) for _ in range(50))  # under the mmap threshold: an arena's
        grown.wait()
        done.wait()  # alive while the arenas are listed: a finished thread's arena is reused
    threads = [threading.Thread(target=grow) for _ in range(6)]
    for t in threads: t.start()
    grown.wait()
    ctypes.CDLL(None).malloc_stats()
    done.set()
    for t in threads: t.join()
    """
)


def _arenas(prelude: str, tmp_path: Path, **extra: str) -> int:
    env = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"}
    env.update(extra, DEBRIEF_DATA_DIR=str(tmp_path), PYTHONPATH=str(ROOT))
    env.setdefault("DEBRIEF_SECRET_KEY", "test-only-secret")
    done = subprocess.run(
        [sys.executable, "-c", prelude + THREADS],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=True,
    )
    return len(re.findall(r"^Arena \d+:", done.stderr, re.MULTILINE))


pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or os.confstr("CS_GNU_LIBC_VERSION") is None,
    reason="malloc arenas are glibc's",
)


def test_the_served_application_keeps_two_arenas_where_threads_would_make_seven(tmp_path):
    # The import both manage.py serve and gunicorn's workers make before serving.
    assert _arenas("import debrief.wsgi\n", tmp_path) == 2
    assert _arenas("", tmp_path) == 7  # the main thread's and one for each thread


def test_an_operators_own_malloc_arena_max_stands(tmp_path):
    assert _arenas("import debrief.wsgi\n", tmp_path, MALLOC_ARENA_MAX="3") == 3
