from __future__ import annotations

from django.conf import settings
from django.db import models

from debrief.lib.ownership import CoachQuerySet


class ReminderSettings(models.Model):
    """A coach's reminder email: off unless they turn it on."""

    class Frequency(models.TextChoices):
        OFF = "off", "No reminders"
        DAILY = "daily", "Every day"
        WEEKLY = "weekly", "Once a week"

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    coach = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_settings"
    )
    frequency = models.CharField(max_length=8, choices=Frequency.choices, default=Frequency.OFF)
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices, default=Weekday.MONDAY)
    send_hour = models.PositiveSmallIntegerField(default=7)  # local time, 0-23
    # No email from quiet_start to quiet_end (local hours; may wrap past midnight). Equal: none.
    quiet_start = models.PositiveSmallIntegerField(default=21)
    quiet_end = models.PositiveSmallIntegerField(default=7)
    include_names = models.BooleanField(default=False)
    updated = models.DateTimeField(auto_now=True)

    objects = CoachQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Reminders of coach {self.coach_id}"


class ReminderSent(models.Model):
    """One digest per coach per period: the unique row is claimed before the email is sent, so a
    second process (or a second run) finds it taken and sends nothing."""

    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders_sent"
    )
    period = models.CharField(max_length=32)  # "daily:2026-12-01", "weekly:2026-W49"
    claimed = models.DateTimeField(auto_now_add=True)
    sent = models.BooleanField(default=False)  # False: nothing to say, or not sent yet

    objects = CoachQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["coach", "period"], name="one_reminder_per_period")
        ]

    def __str__(self) -> str:
        return self.period
