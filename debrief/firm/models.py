"""A coaching firm on one installation: who holds which role, invitations, firm-wide settings.

Roles are facts about a person, never a way into anyone's journal: an administrator manages
accounts, settings and reports; only the coach role opens a journal, and only one's own.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

# The roles, in the order pages list them: (field name, label).
ROLES: tuple[tuple[str, str], ...] = (
    ("administrator", "Administrator"),
    ("coach", "Coach"),
    ("supervisor", "Supervisor"),
)
ROLE_NAMES = tuple(name for name, _ in ROLES)
ROLE_LABELS = dict(ROLES)


class RoleFlags(models.Model):
    """The three roles as flags; a person may hold several."""

    administrator = models.BooleanField(default=False)
    coach = models.BooleanField(default=False)
    supervisor = models.BooleanField(default=False)

    class Meta:
        abstract = True

    @property
    def roles(self) -> list[str]:
        return [name for name in ROLE_NAMES if getattr(self, name)]

    @property
    def role_labels(self) -> list[str]:
        return [ROLE_LABELS[name] for name in self.roles]


class Membership(RoleFlags):
    """One person's roles in the firm. Every account has one (made with the account)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Roles of {self.user_id}: {', '.join(self.roles) or 'none'}"


class Invitation(RoleFlags):
    """A single-use, expiring link that opens sign-up for one email address.

    Only the SHA-256 of the link's secret is kept: the link itself is in the mail and nowhere
    else, so a copy of the database cannot be used to join.
    """

    class State(models.TextChoices):
        PENDING = "pending", "Waiting"
        ACCEPTED = "accepted", "Accepted"
        REVOKED = "revoked", "Revoked"
        EXPIRED = "expired", "Expired"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    expires = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["-created"])]

    def __str__(self) -> str:
        return f"Invitation {self.code}"

    @property
    def state(self) -> str:
        if self.accepted_at is not None:
            return self.State.ACCEPTED
        if self.revoked_at is not None:
            return self.State.REVOKED
        if self.expires <= timezone.now():
            return self.State.EXPIRED
        return self.State.PENDING

    @property
    def state_label(self) -> str:
        return self.State(self.state).label

    @property
    def is_pending(self) -> bool:
        return self.state == self.State.PENDING


class FirmSettings(models.Model):
    """The firm's own settings: one row (pk 1), changed by an administrator on the pages."""

    name = models.CharField(max_length=100, blank=True)
    require_two_factor = models.BooleanField(default=False)
    updated = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.name or "Firm settings"

    @classmethod
    def current(cls) -> FirmSettings:
        found = cls.objects.filter(pk=1).first()
        return found if found is not None else cls(pk=1)
