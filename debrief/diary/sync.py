"""Import a file, or fetch and import a subscribed feed, recording the outcome on the source."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from debrief.diary import fetch as fetching
from debrief.diary.importer import ImportSummary, apply_import
from debrief.diary.models import CalendarSource
from debrief.diary.reader import CalendarFileError, read_calendar

FEED_EVERY = timedelta(hours=1)  # how often each subscribed feed is fetched


def import_bytes(
    coach: Any, source: CalendarSource, data: bytes, *, snapshot: bool
) -> ImportSummary:
    """Raises ``CalendarFileError`` with the coach's message; nothing is stored then."""
    read = read_calendar(data, today=timezone.localdate(), zone=timezone.get_current_timezone())
    return apply_import(coach, source, read, snapshot=snapshot)


def sync_feed(source: CalendarSource) -> ImportSummary | None:
    """Fetch one feed now. The outcome (counts or what went wrong) is kept on the source."""
    now = timezone.now()
    summary: ImportSummary | None = None
    try:
        data = fetching.fetch(source.url, allow_private=settings.DEBRIEF_CALENDAR_ALLOW_PRIVATE)
        summary = import_bytes(source.coach, source, data, snapshot=True)
        status, failed = summary.sentence(), False
    except (fetching.FeedFetchError, CalendarFileError) as error:
        status, failed = str(error), True
    CalendarSource.objects.filter(pk=source.pk).update(
        last_fetched=now, last_status=status[:300], last_failed=failed
    )
    return summary


def due_feeds(now: datetime) -> list[CalendarSource]:
    feeds = CalendarSource.objects.filter(kind=CalendarSource.Kind.FEED).select_related("coach")
    return [s for s in feeds if s.last_fetched is None or s.last_fetched <= now - FEED_EVERY]
