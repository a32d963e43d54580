from __future__ import annotations

import uuid
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from debrief.lib.ownership import CoachQuerySet
from debrief.privacy import memory, owners
from debrief.privacy.fields import NAME_LIMIT, SHORT_TEXT_LIMIT, PrivateTextField
from debrief.privacy.keystore import keystore, new_owner_code


class Coachee(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        COMPLETED = "completed", "Completed"
        ARCHIVED = "archived", "Archived"

    code = models.UUIDField(default=new_owner_code, unique=True, editable=False)
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
    # Consent: when the coachee agreed to notes being kept, and whether the coach may list
    # them (by name) on an ICF coaching log. Facts, not free text, so not encrypted.
    notes_consent_on = models.DateField(null=True, blank=True)
    icf_log_listing = models.BooleanField(default=False)
    # The template this coachee's new reflections start with (e.g. GROW for one client).
    default_template = models.ForeignKey(
        "prompts.ReflectionTemplate",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = CoachQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["coach", "status"])]

    def __str__(self) -> str:
        return self.display_name

    def private_row(self) -> str:
        return str(self.code)

    def private_owner(self) -> UUID:
        return self.code

    @property
    def display_name(self) -> str:
        return self.preferred_name or self.name


@receiver(post_delete, sender=Coachee)
def _shred_data_key(sender: type[Coachee], instance: Coachee, **kwargs: object) -> None:
    """Erasing a coachee destroys their data key once the deletion is committed."""
    code = instance.code
    owners.forget_all()  # SQLite may reuse the row ids of what was deleted
    # Any deletion (an erasure says so itself, a coach's account going cascades here): every
    # process forgets what it holds in memory about them (privacy/memory.py).
    memory.coachee_erased(memory.Coachee(instance.coach_id, instance.pk or 0, code))
    transaction.on_commit(lambda: keystore().destroy(code))


class Handover(models.Model):
    """A coachee moving to another coach, with their consent (see ``coachees/handover.py``).

    The coachee's coach offers them to a named coach; the receiving coach accepts (the move
    happens then, in one transaction) or declines, or the offering coach cancels. The row is
    the record of the transfer: who, when, how the coachee consented and what moved (counts).
    The consent note is the coachee's business, sealed with their key like their other notes.
    """

    class State(models.TextChoices):
        OFFERED = "offered", "Waiting for the receiving coach"
        ACCEPTED = "accepted", "Handed over"
        DECLINED = "declined", "Declined by the receiving coach"
        CANCELLED = "cancelled", "Cancelled"

    class Consent(models.TextChoices):
        WRITTEN = "written", "In writing (email, letter or a signed form)"
        VERBAL = "verbal", "Spoken, in a session or a call"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Erasing the coachee takes the record with it (its note is sealed with their key); the
    # audit trail keeps the counts under a pseudonym.
    coachee = models.ForeignKey(Coachee, on_delete=models.CASCADE, related_name="handovers")
    from_coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.OFFERED)
    consent_on = models.DateField()
    consent_how = models.CharField(max_length=10, choices=Consent.choices)
    consent_note = PrivateTextField(max_length=2_000)
    counts: models.JSONField[Any, Any] = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    decided = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # One open offer per coachee: a second one (or a double submit) is refused.
            models.UniqueConstraint(
                fields=["coachee"],
                condition=models.Q(state="offered"),
                name="one_open_handover_per_coachee",
            )
        ]
        indexes = [models.Index(fields=["to_coach", "state"])]

    def __str__(self) -> str:
        return f"Hand-over {self.code}"

    def private_row(self) -> str:
        return str(self.code)

    def private_owner(self) -> UUID:
        return owners.coachee_code(self.coachee_id)
