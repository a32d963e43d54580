"""What a reminder email says, and when one is due. The preview page shows the same text.

By default an email holds counts, times, session numbers and links: nothing about a coachee.
Names appear only if the coach opted in (the page warns that email is rarely encrypted end to
end). Every row is read through ``for_coach``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from debrief.followup.models import ActionItem
from debrief.journal.models import CoachingSession, Reflection
from debrief.reminders.models import ReminderSettings

WAITING = [Reflection.Status.PLANNED, Reflection.Status.DRAFT]
LISTED = 10  # sessions listed by time; more are counted


@dataclass
class Digest:
    subject: str
    body: str
    waiting: int = 0
    to_prepare: int = 0
    actions_due: int = 0
    lines: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.waiting or self.to_prepare or self.actions_due)


def base_url() -> str:
    return str(settings.DEBRIEF_BASE_URL).rstrip("/")


def is_quiet(prefs: ReminderSettings, hour: int) -> bool:
    start, end = prefs.quiet_start, prefs.quiet_end
    if start == end:
        return False
    if start < end:
        return start <= hour < end
    return hour >= start or hour < end


def due_period(prefs: ReminderSettings, local: datetime) -> str | None:
    """The period key of the email due at ``local`` time, or None (off, too early, quiet)."""
    if prefs.frequency == ReminderSettings.Frequency.OFF:
        return None
    if local.hour < prefs.send_hour or is_quiet(prefs, local.hour):
        return None
    if prefs.frequency == ReminderSettings.Frequency.WEEKLY:
        if local.weekday() != prefs.weekday:
            return None
        year, week, _ = local.isocalendar()
        return f"weekly:{year}-W{week:02d}"
    return f"daily:{local.date().isoformat()}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _waiting(coach: Any, today: date) -> tuple[int, date | None]:
    pending = Reflection.objects.for_coach(coach).filter(
        status__in=WAITING, session__date__lt=today, session__cancelled=False
    )
    oldest = pending.order_by("session__date").values_list("session__date", flat=True).first()
    return pending.count(), oldest


def _coming(coach: Any, first: date, last: date) -> list[CoachingSession]:
    return list(
        CoachingSession.objects.for_coach(coach)
        .filter(date__gte=first, date__lte=last, cancelled=False)
        .select_related("coachee")
        .order_by("date", "start_time", "number")
    )


def _session_line(session: CoachingSession, names: bool, base: str) -> str:
    when = session.date.strftime("%a %-d %b")
    if session.start_time:
        when += f", {session.start_time:%H:%M}"
    who = f" with {session.coachee.display_name}" if names else ""
    link = f"{base}/sessions/{session.code}/reflect/#prepare"
    return f"  - {when}: session {session.number}{who}. Prepare: {link}"


def build_digest(prefs: ReminderSettings, now: datetime | None = None) -> Digest:
    coach = prefs.coach
    local = timezone.localtime(now or timezone.now())
    today = local.date()
    weekly = prefs.frequency == ReminderSettings.Frequency.WEEKLY
    horizon = today + timedelta(days=7 if weekly else 1)
    base = base_url()
    waiting, oldest = _waiting(coach, today)
    coming = _coming(coach, today if weekly else today + timedelta(days=1), horizon)
    actions = ActionItem.objects.for_coach(coach).filter(
        status=ActionItem.Status.OPEN, due__isnull=False, due__lte=horizon
    )
    due, overdue = actions.count(), actions.filter(due__lt=today).count()
    lines = ["Hello,", ""]
    if waiting:
        ago = (today - oldest).days if oldest else 0
        lines.append(
            f"Waiting for your reflection: {_plural(waiting, 'session')} "
            f"(the oldest from {_plural(ago, 'day')} ago)."
        )
        lines.append(f"  Reflect while it is fresh: {base}/")
    if coming:
        span = "tomorrow" if not weekly else "in the next 7 days"
        lines.append(f"To prepare {span}: {_plural(len(coming), 'session')}.")
        lines += [_session_line(s, prefs.include_names, base) for s in coming[:LISTED]]
        if len(coming) > LISTED:
            lines.append(f"  ... and {len(coming) - LISTED} more on your home page.")
    if due:
        lines.append(
            f"Actions due by {horizon:%A %-d %B}: {due}"
            + (f" ({overdue} overdue)." if overdue else ".")
        )
        lines.append(f"  {base}/")
    if not (waiting or coming or due):
        lines.append("Nothing is waiting for you. Enjoy your day.")
    lines += ["", f"Change or stop these emails: {base}/reminders/", "Debrief"]
    bits = []
    if waiting:
        bits.append(f"{waiting} to reflect on")
    if coming:
        bits.append(f"{len(coming)} to prepare")
    if due:
        bits.append(_plural(due, "action") + " due")
    subject = "Debrief: " + (", ".join(bits) if bits else "nothing waiting")
    return Digest(subject, "\n".join(lines) + "\n", waiting, len(coming), due, lines)
