"""The journal export's second process: every other batch of sessions, written beside the request.

An export's time is its sessions' batches (``journal_out.batch_text``: read, open, write as
JSON), one core each. ``journal_out`` writes a batch while this process writes the next, on
the other core, and sends the file what each gives in the file's order. The process is forked
from the forkserver (``lib/forkserver.py``), which imports this module: Django is set up there
once, so a worker starts in milliseconds, not the second a new Python takes.

A worker is what any Debrief process is (``manage.py``, a gunicorn worker): the same user and
environment, its own connection to the same database, and the coachees' keys read the usual way,
from the key directory with the master key it finds itself (``keystore()``). No key crosses the
pipe; what crosses it is the batch asked for (a coachee and a range of session numbers) and its
JSON text, from one process of the installation to another. It writes only the batches asked of
it, ends when told (or at once if the serving process ends: ``end_with_parent``), and keeps no
copy of anything it wrote.

``serve`` refuses (sends nothing but its reason and ends) rather than write a batch that could
differ from the serving process's: when it finds other master keys than the serving process
holds, or cannot reach the coach.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import threading
from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import django
from django.apps import apps
from django.conf import settings
from django.db import connection

from debrief.lib import forkserver

if TYPE_CHECKING:
    from debrief.accounts.models import User

log = logging.getLogger("debrief.export")

ACCEPTED = b"ready"  # a worker's first message when it will write batches
# Seconds the export waits for a batch asked of the worker before it stops the worker and
# writes the batch itself (a batch takes about 0.05 s; a worker waits for nothing but the database).
TIMEOUT = 60
STOPPING = 2  # seconds a worker told to end may take to close its connection before it is killed


def _set_up() -> bool:
    """Django set up in this process (the forkserver's import of this module), if it can be."""
    if apps.ready or apps.loading:  # set up already (a serving process), or being set up
        return True
    try:
        django.setup()
    except Exception:  # no settings here: the export is written by the serving process alone
        return False
    return True


READY = _set_up()


def serve(
    asked: Any,
    line: Any,
    coach_pk: int,
    database: dict[str, Any],
    dirs: tuple[str, str],
    master: tuple[list[str], list[str]],
) -> None:
    """A worker's life: write each batch read from ``asked`` down ``line``, until ``None``.

    ``database`` is the serving process's connection settings (its name may be a test's),
    ``dirs`` its data and key directories, ``master`` the ids of the master keys it holds
    and the variables it found its master key in (none: the data directory's file). Looking
    for the key where the serving process did not would make a new one in the data directory
    (``load_master_keys``), so that refuses first.
    """
    forkserver.end_with_parent()
    if not (READY or _set_up()):
        line.send_bytes(b"no Django settings")
        return
    ids, sources = master
    if _master_sources() != sources:
        line.send_bytes(b"master key looked for elsewhere")
        return
    from django.db import connections

    from debrief.accounts.models import User
    from debrief.portable.journal_out import batch_text
    from debrief.privacy.keystore import keystore

    settings.DATA_DIR, settings.DEBRIEF_KEYS_DIR = (Path(d) for d in dirs)
    connections["default"].settings_dict.update(database)
    gc.freeze()  # what the forkserver imported is never garbage: the collector skips it
    try:
        found = sorted(keystore().master.keys)
    except Exception as error:
        line.send_bytes(f"no master key: {type(error).__name__}".encode())
        return
    if found != ids:
        line.send_bytes(b"other master keys")
        return
    coach = User.objects.filter(pk=coach_pk).first()
    if coach is None:
        line.send_bytes(b"no such coach")
        return
    line.send_bytes(ACCEPTED)
    while (job := asked.recv()) is not None:
        line.send_bytes(batch_text(coach, *job))
    connections.close_all()


class Worker:
    """The serving process's handle on one export's worker: asks, and takes what it wrote.

    Asked only once it has said it is ready (a first export after a start writes its first
    batches in the serving process while the forkserver starts), up to ``AHEAD`` batches at
    a time; a thread here reads what it sends as it comes, so the worker never waits on the
    export to take it. A worker that cannot start, refuses, dies or keeps a batch over
    ``TIMEOUT`` is stopped and its batches written by the serving process: the file is the
    same, only slower. ``stop`` ends it, whatever happened.
    """

    AHEAD = 2

    def __init__(self, coach: User) -> None:
        from debrief.privacy.keystore import keystore

        context = forkserver.context()
        theirs, self._asking = context.Pipe(duplex=False)
        self._answers, line = context.Pipe(duplex=False)
        dirs = (str(settings.DATA_DIR), str(settings.DEBRIEF_KEYS_DIR))
        master = (sorted(keystore().master.keys), _master_sources())
        args = (theirs, line, coach.pk, _database(), dirs, master)
        self._process = context.Process(target=serve, args=args, daemon=True)
        self._ready = False
        self._failed = False
        self._asked: deque[int] = deque()  # batches asked, in the order it writes them
        self._written: dict[int, bytes] = {}
        self._changed = threading.Condition()
        try:
            self._process.start()
        except BaseException:
            self._asking.close()
            self._answers.close()
            raise
        finally:
            theirs.close()  # the worker's ends: EOF on ours once it has gone
            line.close()
        self._reader = threading.Thread(target=self._read, name="export-worker", daemon=True)
        self._reader.start()

    @classmethod
    def start(cls, coach: User) -> Worker | None:
        """A worker for ``coach``'s export; None when ``DEBRIEF_EXPORT_WORKER`` is off, when
        another process would not see what this one sees (a database in memory, or rows of
        a transaction of this connection's not yet committed), or when none starts."""
        if not settings.DEBRIEF_EXPORT_WORKER or connection.in_atomic_block:
            return None
        if connection.vendor == "sqlite" and cast(Any, connection).is_in_memory_db():
            return None
        try:
            return cls(coach)
        except Exception as error:  # no worker: the whole export is written here
            log.warning("export worker not started: %s", type(error).__name__)
            return None

    def _read(self) -> None:
        """The reader thread: the worker's word, then each batch it writes, until it ends."""
        try:
            said = self._answers.recv_bytes()
            if said != ACCEPTED:
                log.warning("export worker refused: %s", said.decode(errors="replace"))
                raise EOFError
            with self._changed:
                self._ready = True
            while True:
                text = self._answers.recv_bytes()
                with self._changed:
                    self._written[self._asked.popleft()] = text
                    self._changed.notify_all()
        except (EOFError, OSError, IndexError):  # it ended (stopped, refused or died)
            with self._changed:
                self._failed = True
                self._changed.notify_all()

    def wants(self) -> bool:
        """Whether it is ready and has fewer than ``AHEAD`` batches asked of it."""
        with self._changed:
            return self._ready and not self._failed and len(self._asked) < self.AHEAD

    def ask(self, index: int, job: Any) -> None:
        """Ask for batch ``index`` (a ``journal_out`` job)."""
        with self._changed:
            self._asked.append(index)
        try:
            self._asking.send((job.coachee.pk, job.coachee.code, job.first, job.last))
        except (OSError, ValueError) as error:
            self._fail(error)

    def has(self, index: int) -> bool:
        """Whether batch ``index`` was asked of it."""
        with self._changed:
            return index in self._written or index in self._asked

    def done(self, index: int) -> bytes | None:
        """Batch ``index`` if it has written it, without waiting."""
        with self._changed:
            return self._written.pop(index, None)

    def wait(self, index: int) -> bytes | None:
        """Batch ``index`` once written; None if the worker failed or took over ``TIMEOUT``."""
        with self._changed:
            if not self._changed.wait_for(
                lambda: index in self._written or self._failed, timeout=TIMEOUT
            ):
                self._failed = True
            text = self._written.pop(index, None)
        if text is None:
            self._fail(TimeoutError() if self._process.is_alive() else EOFError())
        return text

    def _fail(self, error: BaseException) -> None:
        log.warning("export worker failed: %s", type(error).__name__)
        self.stop()

    def stop(self) -> None:
        with self._changed:
            busy = bool(self._asked)  # writing a batch nobody will take (an export cut short)
            self._failed = True
            self._asked.clear()
            self._written.clear()
        if not busy:
            with contextlib.suppress(OSError, ValueError):
                self._asking.send(None)  # its loop ends, and it closes its connection
            self._process.join(STOPPING)
        if self._process.is_alive():  # busy, or stuck: ended now
            self._process.kill()
            self._process.join()
        self._reader.join()
        self._asking.close()
        self._answers.close()


def _master_sources() -> list[str]:
    """Which of the master key's variables are set here (their names, never their values)."""
    return [n for n in ("DEBRIEF_MASTER_KEY", "DEBRIEF_MASTER_KEY_FILE") if os.environ.get(n)]


def _database() -> dict[str, Any]:
    """This connection's settings (its database's name may be a test's), as the worker's."""
    return {k: v for k, v in connection.settings_dict.items() if k != "TEST"}
