from __future__ import annotations

from django.conf import settings
from django.db import models

from debrief.lib.ownership import CoachQuerySet


class RetentionPolicy(models.Model):
    """How long a coach keeps completed engagements: ``years`` after the last session, or off."""

    coach = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="retention_policy"
    )
    years = models.PositiveSmallIntegerField(null=True, blank=True)
    updated = models.DateTimeField(auto_now=True)

    objects = CoachQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Keep for {self.years} years" if self.years else "Keep until erased"
