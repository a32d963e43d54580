"""The scheduled jobs of the whole product, registered by name from each app's ``jobs.py``.

A job is a function of the current time that returns a one-line summary (counts only, never
coachee content). It must be safe to run again: the lease makes a second run at the same time
impossible, but a run interrupted half-way is run again after its lease expires.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.module_loading import autodiscover_modules

JobFunc = Callable[[datetime], str]


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    func: JobFunc
    # Longer than any run should take; a process that dies mid-run frees the job after this.
    lease: timedelta = timedelta(minutes=10)


_JOBS: dict[str, Job] = {}
_discovered = False


def job(
    name: str, *, every: timedelta, lease: timedelta | None = None
) -> Callable[[JobFunc], JobFunc]:
    def register(func: JobFunc) -> JobFunc:
        _JOBS[name] = Job(name, every, func, lease or timedelta(minutes=10))
        return func

    return register


def all_jobs() -> dict[str, Job]:
    global _discovered
    if not _discovered:
        autodiscover_modules("jobs")
        _discovered = True
    return dict(_JOBS)
