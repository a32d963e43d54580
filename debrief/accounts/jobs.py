"""Scheduled: clear ended sign-ins from the session table (what `manage.py clearsessions` does)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.sessions.models import Session

from debrief.jobs.registry import job


@job("clear_ended_sign_ins", every=timedelta(hours=6))
def clear_ended_sign_ins(now: datetime) -> str:
    # Django never deletes a session that simply expired; its row (who, from which browser)
    # would stay in the table, and in every backup, for ever.
    deleted, _ = Session.objects.filter(expire_date__lt=now).delete()
    return f"{deleted} ended sign-ins cleared"
