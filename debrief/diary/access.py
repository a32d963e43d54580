"""The ownership choke points for calendar feeds and their events."""

from __future__ import annotations

from uuid import UUID

from debrief.audit.denied import get_owned_or_404
from debrief.diary.models import CalendarEvent, CalendarSource
from debrief.lib.http import AuthedRequest


def get_feed_for_user(request: AuthedRequest, code: UUID) -> CalendarSource:
    """A subscribed feed of the coach's (an imported file is not one): else a 404."""
    qs = CalendarSource.objects.for_coach(request.user).filter(kind=CalendarSource.Kind.FEED)
    return get_owned_or_404(request, qs, CalendarSource, code)


def get_event_for_user(request: AuthedRequest, code: UUID) -> CalendarEvent:
    """The choke point for a calendar event in a URL: another coach's code is a 404."""
    qs = CalendarEvent.objects.for_coach(request.user).select_related("source")
    return get_owned_or_404(request, qs, CalendarEvent, code)
