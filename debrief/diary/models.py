"""Sessions from the coach's calendar (imported files and subscribed feeds) and the feed out."""

from __future__ import annotations

import uuid
from uuid import UUID

from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from debrief.coachees.models import Coachee
from debrief.journal.models import CoachingSession
from debrief.lib.ownership import CoacheeOwned, CoachQuerySet
from debrief.privacy.fields import SHORT_TEXT_LIMIT, PrivateTextField
from debrief.privacy.keystore import keystore


class CalendarSource(models.Model):
    """Where events came from: the coach's imported files (one source) or one feed URL.

    A feed URL is a secret (whoever has it reads the calendar), and event titles name
    coachees: both are sealed with this source's own data key (``code``), which is destroyed
    with the source.
    """

    class Kind(models.TextChoices):
        FILE = "file", "Imported files"
        FEED = "feed", "Subscribed feed"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_sources"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    url = PrivateTextField(max_length=2000)
    created = models.DateTimeField(auto_now_add=True)
    last_fetched = models.DateTimeField(null=True, blank=True)
    # The last fetch or import in words for the coach (counts only, or what went wrong).
    last_status = models.CharField(max_length=300, blank=True)
    last_failed = models.BooleanField(default=False)

    objects = CoachQuerySet.as_manager()

    def __str__(self) -> str:
        return self.get_kind_display()

    def private_row(self) -> str:
        return str(self.code)

    def private_owner(self) -> UUID:
        return self.code


class CalendarEvent(CoacheeOwned):
    """One calendar occurrence that could be a session: proposed, confirmed or skipped."""

    coach_from = ("source", "coachee", "session")

    class State(models.TextChoices):
        PROPOSED = "proposed", "To review"
        CONFIRMED = "confirmed", "Confirmed"
        SKIPPED = "skipped", "Skipped"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_events"
    )
    source = models.ForeignKey(CalendarSource, on_delete=models.CASCADE, related_name="events")
    key = models.CharField(max_length=64)  # sha256 of UID + RECURRENCE-ID
    series = models.CharField(max_length=64)  # sha256 of UID
    summary = PrivateTextField(max_length=SHORT_TEXT_LIMIT)
    attendees = PrivateTextField(max_length=20_000)  # one email address a line
    location = PrivateTextField(max_length=SHORT_TEXT_LIMIT)
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveIntegerField()
    cancelled = models.BooleanField(default=False)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PROPOSED)
    # The suggested (or chosen) coachee. Erasing them takes the event: its title may name them.
    coachee = models.ForeignKey(
        Coachee, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    matched_by = models.CharField(max_length=10, blank=True)  # "email", "name", "series"
    session = models.OneToOneField(
        CoachingSession,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="calendar_event",
    )
    seen = models.DateTimeField()  # the last import or fetch that had this event
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = CoachQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["coach", "key"], name="unique_calendar_event"),
        ]
        indexes = [models.Index(fields=["coach", "state", "starts_at"])]

    def __str__(self) -> str:
        return f"Calendar event {self.code}"

    def private_row(self) -> str:
        return str(self.code)

    def private_owner(self) -> UUID:
        return self.source.code


class FeedToken(models.Model):
    """The private link of a coach's feed out. Only the token's SHA-256 is stored."""

    class Detail(models.TextChoices):
        NUMBER = "number", "“Coaching session 7” only"
        INITIALS = "initials", "The coachee's initials"
        NAMES = "names", "The coachee's name"

    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_tokens"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    detail = models.CharField(max_length=10, choices=Detail.choices, default=Detail.NUMBER)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)
    revoked = models.DateTimeField(null=True, blank=True)

    objects = CoachQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Feed link of coach {self.coach_id}"


@receiver(post_delete, sender=CalendarSource)
def _shred_source_key(sender: type[CalendarSource], instance: CalendarSource, **kw: object) -> None:
    code = instance.code
    transaction.on_commit(lambda: keystore().destroy(code))
