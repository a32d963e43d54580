"""Scheduled: the reminder emails (see debrief/jobs)."""

from __future__ import annotations

from datetime import datetime, timedelta

from debrief.jobs.registry import job
from debrief.reminders.send import send_due


@job("reminders", every=timedelta(minutes=10))
def send_reminders(now: datetime) -> str:
    return str(send_due(now))
