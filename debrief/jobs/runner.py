"""Run the jobs that are due, each at most once at a time across every process.

Two ways to drive it, both safe together: ``manage.py run_jobs`` from cron or a systemd timer
(a firm's server), and ``start_scheduler()``, a daemon thread that ``manage.py serve`` starts
(a laptop: no second service). See docs/jobs.md.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, close_old_connections, transaction
from django.db.models import F, Q
from django.utils import timezone

from debrief.jobs.models import JobState
from debrief.jobs.registry import Job, all_jobs

log = logging.getLogger("debrief.jobs")

# Who holds a lease: host, process and a random tag (a restarted process gets a new one).
HOLDER = f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass(frozen=True)
class Outcome:
    name: str
    ran: bool
    summary: str
    failed: bool = False


def _ensure_row(job: Job, now: datetime) -> None:
    if JobState.objects.filter(name=job.name).exists():
        return
    try:
        with transaction.atomic():
            JobState.objects.create(name=job.name, next_run=now)
    except IntegrityError:
        pass  # another process created it first


def _claim(job: Job, now: datetime, force: bool) -> bool:
    """Take the job's lease: one UPDATE, which only one process can match."""
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    rows = JobState.objects.filter(free, name=job.name)
    if not force:
        rows = rows.filter(next_run__lte=now)
    claimed = rows.update(lease_until=now + job.lease, holder=HOLDER, last_started=now)
    return claimed == 1


def _release(job: Job, started: datetime, summary: str, failed: bool) -> None:
    finished = timezone.now()
    JobState.objects.filter(name=job.name, holder=HOLDER).update(
        lease_until=None,
        holder="",
        next_run=started + job.every,
        last_finished=finished,
        last_outcome=summary[:200],
        last_failed=failed,
        runs=F("runs") + 1,
    )


def run_job(job: Job, now: datetime | None = None, *, force: bool = False) -> Outcome:
    now = now or timezone.now()
    _ensure_row(job, now)
    if not _claim(job, now, force):
        return Outcome(job.name, ran=False, summary="not due, or running elsewhere")
    try:
        summary = job.func(now)
    except Exception as error:  # one failing job must not stop the others
        # The class name only: an exception's text could quote coachee content.
        log.exception("scheduled job %s failed", job.name)
        summary = f"failed: {type(error).__name__}"
        _release(job, now, summary, failed=True)
        return Outcome(job.name, ran=True, summary=summary, failed=True)
    _release(job, now, summary, failed=False)
    return Outcome(job.name, ran=True, summary=summary)


def run_due(
    now: datetime | None = None, *, only: str | None = None, force: bool = False
) -> list[Outcome]:
    jobs = all_jobs()
    names = [only] if only else sorted(jobs)
    return [run_job(jobs[name], now, force=force) for name in names]


class _Scheduler(threading.Thread):
    def __init__(self, interval: float) -> None:
        super().__init__(name="debrief-scheduler", daemon=True)
        self.interval = interval
        self.stopping = threading.Event()

    def run(self) -> None:
        # A first look soon after start, then every interval with a little jitter, so that
        # several processes started together do not all knock at the same second.
        delay = min(self.interval, 5.0)
        while not self.stopping.wait(delay):
            try:
                for outcome in run_due():
                    if outcome.ran:
                        log.info("job %s: %s", outcome.name, outcome.summary)
            except Exception:  # the database may be briefly away; try again
                log.exception("scheduler pass failed")
            finally:
                close_old_connections()
            delay = self.interval * random.uniform(0.9, 1.1)  # noqa: S311 - jitter, not a secret


_scheduler: _Scheduler | None = None


def start_scheduler(interval: float = 60.0) -> _Scheduler:
    """Start this process's scheduler thread (once)."""
    global _scheduler
    if _scheduler is None or not _scheduler.is_alive():
        _scheduler = _Scheduler(interval)
        _scheduler.start()
    return _scheduler


def stop_scheduler() -> None:
    global _scheduler
    if _scheduler is not None:
        _scheduler.stopping.set()
        _scheduler.join(timeout=5)
        _scheduler = None


def next_runs() -> list[tuple[str, timedelta, JobState | None]]:
    states = {s.name: s for s in JobState.objects.all()}
    return [(name, job.every, states.get(name)) for name, job in sorted(all_jobs().items())]
