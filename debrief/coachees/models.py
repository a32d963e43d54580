from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from debrief.lib.ownership import CoachQuerySet
from debrief.privacy.fields import NAME_LIMIT, SHORT_TEXT_LIMIT, PrivateTextField


class Coachee(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        COMPLETED = "completed", "Completed"
        ARCHIVED = "archived", "Archived"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coachees"
    )
    name = PrivateTextField(max_length=NAME_LIMIT)
    preferred_name = PrivateTextField(max_length=NAME_LIMIT)
    pronouns = PrivateTextField(max_length=60)
    email = PrivateTextField(max_length=254)
    organisation = PrivateTextField(max_length=SHORT_TEXT_LIMIT)
    engagement_start = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE)
    background = PrivateTextField()
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = CoachQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["coach", "status"])]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.preferred_name or self.name
