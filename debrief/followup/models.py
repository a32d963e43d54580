from __future__ import annotations

import uuid
from uuid import UUID

from django.conf import settings
from django.db import models
from django.utils import timezone

from debrief.coachees.models import Coachee
from debrief.journal.models import CoachingSession
from debrief.lib.ownership import CoachQuerySet
from debrief.privacy.fields import SHORT_TEXT_LIMIT, PrivateTextField
from debrief.privacy.owners import coachee_code


class ActionItem(models.Model):
    """Something the coachee or the coach agreed to do, written down in a reflection."""

    class Owner(models.TextChoices):
        COACHEE = "coachee", "Coachee"
        COACH = "coach", "Coach"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="action_items"
    )
    coachee = models.ForeignKey(Coachee, on_delete=models.CASCADE, related_name="action_items")
    session = models.ForeignKey(
        CoachingSession, on_delete=models.CASCADE, related_name="action_items"
    )
    owner = models.CharField(max_length=10, choices=Owner.choices)
    text = PrivateTextField(max_length=SHORT_TEXT_LIMIT)
    due = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = CoachQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["coachee", "status"])]

    def __str__(self) -> str:
        return f"{self.get_owner_display()} action"

    def private_row(self) -> str:
        return str(self.code)

    def private_owner(self) -> UUID:
        cached = self._state.fields_cache.get("coachee")
        return cached.code if cached is not None else coachee_code(self.coachee_id)

    @property
    def is_overdue(self) -> bool:
        return (
            self.status == self.Status.OPEN
            and self.due is not None
            and self.due < timezone.localdate()
        )

    def set_status(self, status: str) -> None:
        self.status = status
        self.closed_at = None if status == self.Status.OPEN else timezone.now()
