"""Send the reminder emails that are due, each once per coach per period."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from debrief.reminders.digest import build_digest, due_period
from debrief.reminders.models import ReminderSent, ReminderSettings

log = logging.getLogger("debrief.reminders")


@dataclass
class SendCount:
    due: int = 0
    sent: int = 0
    empty: int = 0
    failed: int = 0

    def __str__(self) -> str:
        return (
            f"{self.due} due, {self.sent} sent, {self.empty} with nothing to say, "
            f"{self.failed} failed"
        )


def _claim(prefs: ReminderSettings, period: str) -> ReminderSent | None:
    try:
        with transaction.atomic():
            return ReminderSent.objects.create(coach=prefs.coach, period=period)
    except IntegrityError:
        return None  # this period's email is another process's, or already sent


def send_due(now: datetime) -> SendCount:
    count = SendCount()
    local = timezone.localtime(now)
    chosen = (
        ReminderSettings.objects.exclude(frequency=ReminderSettings.Frequency.OFF)
        .filter(coach__is_active=True)
        .select_related("coach")
        .order_by("pk")
    )
    for prefs in chosen:
        period = due_period(prefs, local)
        if period is None:
            continue
        claim = _claim(prefs, period)
        if claim is None:
            continue
        count.due += 1
        digest = build_digest(prefs, now)
        if digest.empty:
            count.empty += 1
            continue
        try:
            send_mail(digest.subject, digest.body, None, [prefs.coach.email])
        except Exception:  # the mail server may be away: try next run
            log.warning("reminder email to coach %s failed; will retry", prefs.coach_id)
            claim.delete()
            count.failed += 1
            continue
        ReminderSent.objects.filter(pk=claim.pk).update(sent=True)
        count.sent += 1
    return count
