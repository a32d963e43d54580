"""Scheduled: fetch every subscribed calendar feed that is due (see debrief/jobs)."""

from __future__ import annotations

from datetime import datetime, timedelta

from debrief.diary.sync import due_feeds, sync_feed
from debrief.jobs.registry import job


@job("calendar_feeds", every=timedelta(minutes=15), lease=timedelta(minutes=30))
def fetch_calendar_feeds(now: datetime) -> str:
    feeds = due_feeds(now)
    failed = sum(1 for source in feeds if sync_feed(source) is None)
    return f"{len(feeds)} feed(s) fetched, {failed} failed"
