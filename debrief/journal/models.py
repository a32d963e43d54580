from __future__ import annotations

import uuid
from datetime import date, datetime
from uuid import UUID

from django.conf import settings
from django.db import models
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone

from debrief.coachees.models import Coachee
from debrief.lib.ownership import CoacheeOwned, CoachQuerySet
from debrief.privacy import owners
from debrief.privacy.fields import PrivateTextField
from debrief.privacy.owners import reflection_coachee_code
from debrief.prompts.models import TemplateVersion


def held_q(today: date, prefix: str = "") -> models.Q:
    """Sessions held by ``today``: on or before it and not cancelled in the calendar.

    The one definition of "held" for the ICF log, hours, practice progress and the
    reflection habit (``prefix`` reaches a session through a relation: "sessions__").
    A session later today is held by date here; the ICF log also checks its end time.
    """
    return models.Q(**{f"{prefix}date__lte": today, f"{prefix}cancelled": False})


class SessionQuerySet(CoachQuerySet["CoachingSession"]):
    def held(self, today: date) -> SessionQuerySet:
        return self.filter(held_q(today))


class CoachingSession(CoacheeOwned):
    """One coaching session with one coachee (or one group), as the ICF log will count it."""

    coach_from = ("coachee",)

    class Format(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        VIDEO = "video", "Video call"
        PHONE = "phone", "Phone"

    class Payment(models.TextChoices):
        PAID = "paid", "Paid"
        PRO_BONO = "pro_bono", "Pro bono"

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", "Individual"
        GROUP = "group", "Group"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coaching_sessions"
    )
    coachee = models.ForeignKey(Coachee, on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveIntegerField()
    date = models.DateField()
    start_time = models.TimeField(null=True, blank=True)
    duration_minutes = models.PositiveIntegerField()
    format = models.CharField(max_length=12, choices=Format.choices, default=Format.VIDEO)
    payment = models.CharField(max_length=12, choices=Payment.choices, default=Payment.PAID)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.INDIVIDUAL)
    group_size = models.PositiveIntegerField(null=True, blank=True)
    # Cancelled in the coach's calendar (see debrief/diary): flagged, never deleted.
    cancelled = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["coachee", "number"], name="unique_session_number"),
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gt=0), name="session_duration_positive"
            ),
        ]
        indexes = [models.Index(fields=["coach", "date"])]

    def __str__(self) -> str:
        return f"Session {self.number}"

    @property
    def starts_at(self) -> datetime | None:
        if self.start_time is None:
            return None
        naive = datetime.combine(self.date, self.start_time)
        return timezone.make_aware(naive)

    @property
    def is_future(self) -> bool:
        return self.date > timezone.localdate()


class Reflection(CoacheeOwned):
    """The coach's reflection on one session, written against one template version."""

    coach_from = ("session",)

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        DRAFT = "draft", "Draft"
        COMPLETE = "complete", "Complete"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reflections"
    )
    session = models.OneToOneField(
        CoachingSession, on_delete=models.CASCADE, related_name="reflection"
    )
    template_version = models.ForeignKey(TemplateVersion, on_delete=models.PROTECT)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = CoachQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["coach", "status"]),
            # "Recently completed" on the home page: an index scan, not a sort of every row.
            models.Index(fields=["coach", "status", "completed_at"]),
            # The journal export reads these by batches of sessions (coach = and session IN):
            # without the pair SQLite walks every reflection of the coach for each batch.
            models.Index(fields=["coach", "session"]),
        ]

    def __str__(self) -> str:
        return f"Reflection on session {self.session_id}"


class Answer(models.Model):
    """The answer to one prompt of a reflection: written text, or a rating with a comment."""

    reflection = models.ForeignKey(Reflection, on_delete=models.CASCADE, related_name="answers")
    prompt_key = models.CharField(max_length=64)
    text = PrivateTextField()
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["reflection", "prompt_key"], name="unique_answer_prompt"
            )
        ]

    def __str__(self) -> str:
        return self.prompt_key

    def private_row(self) -> str:
        return f"{self.reflection_id}|{self.prompt_key}"

    def private_owner(self) -> UUID:
        return reflection_coachee_code(self.reflection_id)


@receiver(post_delete, sender=Reflection)
def _forget_owner(sender: type[Reflection], instance: Reflection, **kwargs: object) -> None:
    owners.forget_all()  # SQLite may reuse the row id of a deleted reflection
