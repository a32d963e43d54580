"""The feed out: a coach's planned sessions and action due dates as an .ics for their calendar app.

The link carries a random token; only its SHA-256 is stored, so the database cannot give the
link away, and a new link revokes the old one. By default an event says "Coaching session 7"
and nothing about the coachee; the coach may choose initials or names (calendar providers keep
what they are sent, unencrypted). Rows are read through ``for_coach(token.coach)``.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from debrief.coachees.models import Coachee
from debrief.diary.models import FeedToken
from debrief.followup.models import ActionItem
from debrief.journal.models import CoachingSession

DAYS_BACK = 60
DAYS_AHEAD = 365


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def active_token(coach: Any) -> FeedToken | None:
    return FeedToken.objects.for_coach(coach).filter(revoked__isnull=True).first()


def new_token(coach: Any, detail: str) -> str:
    """A fresh link for ``coach``, revoking any earlier one. The token is shown once."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        revoke(coach)
        FeedToken.objects.create(coach=coach, token_hash=hash_token(token), detail=detail)
    return token


def revoke(coach: Any) -> int:
    return (
        FeedToken.objects.for_coach(coach)
        .filter(revoked__isnull=True)
        .update(revoked=timezone.now())
    )


def find_token(token: str) -> FeedToken | None:
    if not token or len(token) > 100:
        return None
    found = (
        FeedToken.objects.filter(token_hash=hash_token(token), revoked__isnull=True)
        .select_related("coach")
        .first()
    )
    if found is None or not found.coach.is_active:
        return None
    return found


def initials(coachee: Coachee) -> str:
    words = [w for w in coachee.display_name.replace("-", " ").split() if w[:1].isalpha()]
    return "".join(w[0].upper() + "." for w in words[:3]) or "?"


def _label(coachee: Coachee, detail: str) -> str:
    if detail == FeedToken.Detail.NAMES:
        return coachee.display_name
    if detail == FeedToken.Detail.INITIALS:
        return initials(coachee)
    return ""


def _session_event(session: CoachingSession, detail: str, base: str) -> Any:
    import icalendar

    event = icalendar.Event()
    event.add("uid", f"session-{session.code}@debrief")
    label = _label(session.coachee, detail)
    event.add("summary", f"Coaching session {session.number}" + (f" · {label}" if label else ""))
    start = session.starts_at
    if start is None:
        event.add("dtstart", session.date)
        event.add("dtend", session.date + timedelta(days=1))
    else:
        # In UTC ("Z"): every calendar app reads it, with no VTIMEZONE to get wrong.
        start = start.astimezone(UTC)
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(minutes=session.duration_minutes))
    event.add("dtstamp", session.updated)
    event.add("description", f"Prepare or reflect in Debrief: {base}/sessions/{session.code}/")
    event.add("url", f"{base}/sessions/{session.code}/")
    return event


def _actions_event(day: Any, actions: list[ActionItem], detail: str, base: str) -> Any:
    import icalendar

    event = icalendar.Event()
    event.add("uid", f"actions-{day.isoformat()}@debrief")
    labels = sorted({_label(a.coachee, detail) for a in actions} - {""})
    count = f"{len(actions)} action{'s' if len(actions) != 1 else ''} due"
    event.add("summary", count + (f" · {', '.join(labels)}" if labels else ""))
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("dtstamp", max(a.created for a in actions))
    event.add("transp", "TRANSPARENT")
    event.add("description", f"Open actions in Debrief: {base}/")
    return event


def build_feed(token: FeedToken, base: str) -> bytes:
    import icalendar

    coach = token.coach
    today = timezone.localdate()
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Debrief//coaching journal//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Debrief: coaching sessions")
    calendar.add("x-wr-timezone", timezone.get_current_timezone_name())
    sessions = (
        CoachingSession.objects.for_coach(coach)
        .filter(
            date__gte=today - timedelta(days=DAYS_BACK),
            date__lte=today + timedelta(days=DAYS_AHEAD),
            cancelled=False,
        )
        .select_related("coachee")
        .order_by("date", "start_time")
    )
    for session in sessions:
        calendar.add_component(_session_event(session, token.detail, base))
    actions = (
        ActionItem.objects.for_coach(coach)
        .filter(
            status=ActionItem.Status.OPEN,
            due__gte=today - timedelta(days=DAYS_BACK),
            due__lte=today + timedelta(days=DAYS_AHEAD),
        )
        .select_related("coachee")
        .order_by("due")
    )
    by_day: dict[Any, list[ActionItem]] = {}
    for action in actions:
        by_day.setdefault(action.due, []).append(action)
    for day, items in by_day.items():
        calendar.add_component(_actions_event(day, items, token.detail, base))
    FeedToken.objects.filter(pk=token.pk).update(last_used=timezone.now())
    return bytes(calendar.to_ical())
