"""A long dossier is drawn in the background while the coach's page shows how far it has got.

A dossier of a hundred sessions takes WeasyPrint 7-10 s of CPU, and longer by the clock on a
busy machine (``bench.exports``). Instead of a blank page for that long, the export page's
"Download PDF" starts a ``DossierJob`` and a thread of the serving process draws it; the
job's page refreshes itself (no JavaScript) with the sessions read and the pages laid out so
far, then offers the file. Progress lives in the database, so any worker process can show the
page and hand over the file.

The finished PDF is sealed with the coachee's key in the job's row (never a plain file on
disk), dropped as it is downloaded, and the row is deleted ``KEEP`` after the job started
(``sweep``, on every start and by the scheduled job ``dossier_jobs``). A job that has not
moved for ``STALLED`` (its process stopped) shows as failed. Nothing about the coachee is
logged: a failure is logged with the error's class name only.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from django.db import OperationalError, close_old_connections, connection
from django.utils import timezone

from debrief.coachees.models import Coachee
from debrief.exports import dossier
from debrief.exports.models import DossierJob
from debrief.lib.pdf_draw import page_count
from debrief.lib.sealing import open_bytes, seal_bytes
from debrief.privacy.keystore import keystore

log = logging.getLogger("debrief.exports")

KEEP = timedelta(minutes=15)  # a job and its sealed PDF are deleted this long after starting
EVERY = 1.0  # seconds between progress writes while pages are laid out
STALLED = timedelta(minutes=3)  # no progress for this long: its process has stopped
SAVE_TRIES = 6  # a progress write that finds the table locked is tried again, 0.75 s in all
_THREADS: dict[int, DossierJob] = {}  # thread id -> the job it draws (for WeasyPrint's pages)
_installed = threading.Lock()
_handler: logging.Handler | None = None
State = DossierJob.State


def _aad(job: DossierJob) -> bytes:
    return b"debrief-dossier-job|" + job.code.bytes


def seal(job: DossierJob, coachee: Coachee, pdf: bytes) -> bytes:
    return seal_bytes(keystore().data_key(coachee.code), pdf, _aad(job))


def unseal(job: DossierJob) -> bytes:
    return open_bytes(keystore().data_key(job.coachee.code), bytes(job.sealed or b""), _aad(job))


class _Pages(logging.Handler):
    """WeasyPrint logs each page it lays out ("Step 5 - Creating layout - Page 12")."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.last: dict[int, float] = {}

    def emit(self, record: logging.LogRecord) -> None:
        job = _THREADS.get(record.thread or 0)
        if job is None or not str(record.msg).startswith("Step 5 - Creating layout - Page"):
            return
        now = time.monotonic()
        if now - self.last.get(record.thread or 0, 0.0) < EVERY:
            return
        self.last[record.thread or 0] = now
        page: Any = record.args[0] if isinstance(record.args, tuple) and record.args else 0
        _save(job, state=State.LAYOUT, pages=int(page))


@contextmanager
def _pages_of(job: DossierJob) -> Iterator[None]:
    global _handler
    with _installed:
        if _handler is None:
            _handler = _Pages()
            progress = logging.getLogger("weasyprint.progress")
            progress.setLevel(logging.INFO)
            progress.propagate = False  # its lines are for us, not the console
            progress.addHandler(_handler)
    _THREADS[threading.get_ident()] = job
    try:
        yield
    finally:
        _THREADS.pop(threading.get_ident(), None)


def _save(job: DossierJob, **fields: Any) -> None:
    """Write the job's progress; a moment's lock on SQLite is waited out (``SAVE_TRIES``)
    rather than failing a dossier already drawn: another request may be reading the row."""
    fields["updated"] = timezone.now()
    for name, value in fields.items():
        setattr(job, name, value)
    for attempt in range(SAVE_TRIES):
        try:
            DossierJob.objects.filter(pk=job.pk).update(**fields)
            return
        except OperationalError as error:
            if "locked" not in str(error) or attempt == SAVE_TRIES - 1:
                raise
            time.sleep(0.05 * (attempt + 1))


def _choice(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "date_from": data["date_from"].isoformat() if data.get("date_from") else None,
        "date_to": data["date_to"].isoformat() if data.get("date_to") else None,
        "details": list(data.get("details") or []),
    }


def chosen(job: DossierJob) -> dict[str, Any]:
    """The job's choice as the form cleaned it (dates as dates)."""
    from datetime import date

    raw = job.choice
    return {
        "date_from": date.fromisoformat(raw["date_from"]) if raw.get("date_from") else None,
        "date_to": date.fromisoformat(raw["date_to"]) if raw.get("date_to") else None,
        "details": list(raw.get("details") or []),
    }


def _draw(job: DossierJob) -> None:
    coach, coachee = job.coach, job.coachee
    with _pages_of(job):
        pdf, _ = dossier.draw(coach, coachee, chosen(job), lambda n: _save(job, done=n))
    # The pages WeasyPrint logged are this process's part only (lib/pdf.py): count the file's.
    _save(job, state=State.WRITING, done=job.total, pages=page_count(pdf))
    _save(job, state=State.READY, sealed=seal(job, coachee, pdf))


def _run(job: DossierJob) -> None:
    close_old_connections()
    try:
        _draw(job)
    except Exception as error:  # any failure: the coach sees "try again"
        log.warning("dossier job %s failed: %s", job.code, type(error).__name__)
        DossierJob.objects.filter(pk=job.pk).update(state=State.FAILED, sealed=None)
    finally:
        connection.close()


def start(coach: Any, coachee: Coachee, data: dict[str, Any]) -> DossierJob:
    """A job for this dossier: the one already under way or waiting for the same choice, or a
    new one, its drawing started in a thread of this process."""
    sweep(timezone.now())
    same = DossierJob.objects.for_coach(coach).filter(coachee=coachee, choice=_choice(data))
    found = same.exclude(state=State.FAILED).order_by("-created").first()
    if found is not None:
        return found
    total = dossier.sessions(coach, coachee, data).count()
    job = DossierJob.objects.create(coach=coach, coachee=coachee, choice=_choice(data), total=total)
    job = DossierJob.objects.select_related("coach", "coachee").get(pk=job.pk)
    threading.Thread(target=_run, args=(job,), name=f"dossier-{job.pk}", daemon=True).start()
    return job


def hand_over(job: DossierJob) -> bytes | None:
    """The finished PDF, dropped from the database as it is taken; None if already taken."""
    body = unseal(job)
    taken = DossierJob.objects.filter(pk=job.pk, state=State.READY).update(
        state=State.DELIVERED, sealed=None
    )
    return body if taken == 1 else None


def failed(job: DossierJob, now: datetime) -> bool:
    if job.state == State.FAILED:
        return True
    finished = job.state in (State.READY, State.DELIVERED)
    return not finished and job.updated < now - STALLED


def expired(job: DossierJob, now: datetime) -> bool:
    return job.created < now - KEEP


def sweep(now: datetime) -> int:
    """Delete the jobs (and their sealed PDFs) started longer than ``KEEP`` ago; how many."""
    deleted, _ = DossierJob.objects.filter(created__lt=now - KEEP).delete()
    return deleted
