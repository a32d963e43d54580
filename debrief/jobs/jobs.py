"""Scheduled: the query planner's statistics on SQLite (``statistics.py`` says why)."""

from __future__ import annotations

from datetime import datetime, timedelta

from debrief.jobs import statistics
from debrief.jobs.registry import job


@job("database_statistics", every=timedelta(hours=6))
def database_statistics(now: datetime) -> str:
    return statistics.refresh()
