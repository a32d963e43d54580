"""The coach's vocabulary of coaching techniques, and each use of one in a reflection."""

from __future__ import annotations

import uuid
from uuid import UUID

from django.conf import settings
from django.db import models

from debrief.journal.models import Reflection
from debrief.lib.ownership import CoacheeOwned, CoachQuerySet
from debrief.privacy.fields import SHORT_TEXT_LIMIT, PrivateTextField
from debrief.privacy.owners import reflection_coachee_code


class TechniqueQuerySet(CoachQuerySet["Technique"]):
    def available_to(self, user: object) -> TechniqueQuerySet:
        """The built-in vocabulary (no coach) and the coach's own techniques."""
        return self.filter(models.Q(coach__isnull=True) | models.Q(coach=user))


class Technique(models.Model):
    """A named technique. Built-in ones have no coach; a coach may add their own.

    Technique names are the coach's professional vocabulary, not coachee content, so they
    are stored in the clear (like template wording).
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="techniques",
    )
    slug = models.SlugField(max_length=60)
    name = models.CharField(max_length=80)
    description = models.CharField(max_length=300, blank=True)
    retired = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)

    objects = TechniqueQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["coach", "slug"], name="unique_technique_slug"),
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TechniqueUse(CoacheeOwned):
    """A technique the coach used in one session, how effective it was (1-5) and a note."""

    coach_from = ("reflection",)

    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="technique_uses"
    )
    reflection = models.ForeignKey(
        Reflection, on_delete=models.CASCADE, related_name="technique_uses"
    )
    technique = models.ForeignKey(Technique, on_delete=models.PROTECT, related_name="uses")
    prompt_key = models.CharField(max_length=64)
    effectiveness = models.PositiveSmallIntegerField(null=True, blank=True)
    note = PrivateTextField(max_length=SHORT_TEXT_LIMIT)
    updated = models.DateTimeField(auto_now=True)

    objects = CoachQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["reflection", "prompt_key", "technique"], name="unique_technique_use"
            ),
        ]
        indexes = [
            models.Index(fields=["coach", "technique"]),
            # The journal export reads these by batches of reflections of one coach (coach =
            # and reflection IN): without the pair SQLite walks every row of the coach.
            models.Index(fields=["coach", "reflection"]),
        ]

    def __str__(self) -> str:
        return "Technique use"

    def private_row(self) -> str:
        return f"{self.reflection_id}|{self.prompt_key}|{self.technique_id}"

    def private_owner(self) -> UUID:
        return reflection_coachee_code(self.reflection_id)
