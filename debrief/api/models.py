"""Personal access tokens for the JSON API. Only a token's SHA-256 is stored."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from debrief.lib.ownership import CoachQuerySet


class ApiToken(models.Model):
    """A named, scoped, expiring token a coach made on the API tokens page."""

    class Scope(models.TextChoices):
        READ = "read", "Read only"
        WRITE = "write", "Read and write"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    # The coach's own label ("Zapier", "my laptop script"): about a tool, never a coachee.
    name = models.CharField(max_length=60)
    scope = models.CharField(max_length=5, choices=Scope.choices, default=Scope.READ)
    token_hash = models.CharField(max_length=64, unique=True)
    # The first characters of the token, shown in the list so a coach can tell tokens apart.
    prefix = models.CharField(max_length=16)
    created = models.DateTimeField(auto_now_add=True)
    expires = models.DateTimeField()
    last_used = models.DateTimeField(null=True, blank=True)
    revoked = models.DateTimeField(null=True, blank=True)

    objects = CoachQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["coach", "-created"])]

    def __str__(self) -> str:
        return f"API token {self.prefix}…"

    @property
    def is_expired(self) -> bool:
        return self.expires <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked is None and not self.is_expired

    @property
    def can_write(self) -> bool:
        return self.scope == self.Scope.WRITE
