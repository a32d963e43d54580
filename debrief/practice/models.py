"""The rest of a coach's practice: supervision, mentor coaching, CPD, client feedback, bodies.

Text that may be about a coachee is sealed (``PrivateTextField``): client feedback with that
coachee's data key (so it goes when they are erased), and supervision themes and learning with
a key of the entry's own (they often discuss clients), destroyed when the entry is deleted.
A CPD certificate file is sealed with its entry's own key too (see ``certificates.py``).
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from uuid import UUID

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from debrief.coachees.models import Coachee
from debrief.journal.models import CoachingSession
from debrief.lib.ownership import CoacheeOwned, CoachQuerySet
from debrief.privacy import owners
from debrief.privacy.fields import LONG_TEXT_LIMIT, NAME_LIMIT, PrivateTextField
from debrief.privacy.keystore import keystore


def _hours() -> models.DecimalField:
    return models.DecimalField(
        max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )


class PracticeProfile(models.Model):
    """Facts about the coach's practice that no session shows."""

    coach = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_profile"
    )
    first_practised_on = models.DateField(null=True, blank=True)
    training_hours = models.DecimalField(max_digits=7, decimal_places=2, default=Decimal(0))
    updated = models.DateTimeField(auto_now=True)

    objects = CoachQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Practice of coach {self.coach_id}"


class BodyChoice(models.Model):
    """A body the coach accredits with, and what they hold from it (if anything yet)."""

    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="accreditation_bodies"
    )
    body = models.CharField(max_length=8)  # a key of bodies.BODIES
    level_held = models.CharField(max_length=32, blank=True)  # a level key of the rule set
    awarded_on = models.DateField(null=True, blank=True)  # awarded, or last renewed
    route = models.CharField(max_length=16, blank=True)  # the AC's "executive" route
    updated = models.DateTimeField(auto_now=True)

    objects = CoachQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["coach", "body"], name="unique_body_per_coach")
        ]

    def __str__(self) -> str:
        return f"{self.body} {self.level_held or '(none yet)'}"


def hours_text(value: Decimal) -> str:
    """Hours as people write them: 1, 1.5, 1.25 (never 1.50)."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class OwnKeyMixin:
    """Sealed text under a key of the entry's own, named by its code."""

    code: UUID

    def private_row(self) -> str:
        return str(self.code)

    def private_owner(self) -> UUID:
        return self.code


class Mode(models.TextChoices):
    INDIVIDUAL = "individual", "One to one"
    GROUP = "group", "Group"


class Entry(models.Model):
    """What every practice record has: a code for URLs, its coach, a date, when it changed."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = CoachQuerySet.as_manager()

    class Meta:
        abstract = True
        indexes = [models.Index(fields=["coach", "date"], name="%(app_label)s_%(class)s_date")]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} on {self.date}"


class HoursEntry(Entry):
    hours = _hours()

    class Meta(Entry.Meta):
        abstract = True

    @property
    def hours_shown(self) -> str:
        return hours_text(self.hours)


class SupervisionEntry(OwnKeyMixin, HoursEntry):
    supervisor = models.CharField(max_length=NAME_LIMIT)
    mode = models.CharField(max_length=12, choices=Mode.choices, default=Mode.INDIVIDUAL)
    themes = PrivateTextField(max_length=LONG_TEXT_LIMIT)
    learning = PrivateTextField(max_length=LONG_TEXT_LIMIT)
    # The sessions the coach brought to supervision (their reflections are the pack).
    sessions = models.ManyToManyField(CoachingSession, blank=True, related_name="+")
    # A session a supervisor of the firm recorded for the coach (debrief/supervision): what
    # they recorded (date, hours, mode, themes) and their sign-off are theirs, not the coach's.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)

    class Meta(HoursEntry.Meta):
        verbose_name = "supervision"

    @property
    def is_recorded(self) -> bool:
        """Recorded by a supervisor of the firm: only the coach's learning is theirs to edit."""
        return self.recorded_by_id is not None or self.signed_off_at is not None


class MentoringEntry(HoursEntry):
    class Credential(models.TextChoices):
        ACC = "ACC", "ACC"
        PCC = "PCC", "PCC"
        MCC = "MCC", "MCC"
        OTHER = "other", "Another credential, or none"

    mentor = models.CharField(max_length=NAME_LIMIT)
    mentor_email = models.CharField(max_length=254, blank=True)
    mentor_credential = models.CharField(
        max_length=8, choices=Credential.choices, default=Credential.PCC
    )
    mode = models.CharField(max_length=12, choices=Mode.choices, default=Mode.INDIVIDUAL)

    class Meta(HoursEntry.Meta):
        verbose_name = "mentor coaching"


class CPDEntry(HoursEntry):
    class Category(models.TextChoices):
        CORE = "core", "Core Competencies"
        ETHICS = "ethics", "Core Competencies: ethics"
        RESOURCE = "resource", "Resource Development"

    provider = models.CharField(max_length=NAME_LIMIT)
    title = models.CharField(max_length=300)
    category = models.CharField(max_length=10, choices=Category.choices, default=Category.CORE)
    coach_training = models.BooleanField(default=False)  # coach-specific training (the AC)
    learning = models.TextField(max_length=5_000, blank=True)
    # The certificate, sealed in the data directory (certificates.py); only its facts here.
    certificate_type = models.CharField(max_length=16, blank=True)
    certificate_size = models.PositiveIntegerField(default=0)
    certificate_name = models.CharField(max_length=120, blank=True)

    class Meta(HoursEntry.Meta):
        verbose_name = "CPD"

    @property
    def has_certificate(self) -> bool:
        return bool(self.certificate_type)


class ClientFeedback(CoacheeOwned, Entry):
    """Feedback a client gave the coach: the coachee's words, sealed with their key."""

    coach_from = ("coachee",)

    coachee = models.ForeignKey(
        Coachee, null=True, blank=True, on_delete=models.CASCADE, related_name="feedback"
    )
    text = PrivateTextField(max_length=LONG_TEXT_LIMIT)

    class Meta(Entry.Meta):
        verbose_name = "feedback"

    def private_row(self) -> str:
        return str(self.code)

    def private_owner(self) -> UUID:
        if self.coachee_id is None:  # anonymous: a key of its own
            return self.code
        return owners.coachee_code(self.coachee_id)


class ClientFlags(CoacheeOwned):
    """How the AC's experience log sees a coachee: executive coaching or not."""

    coach_from = ("coachee",)

    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    coachee = models.OneToOneField(Coachee, on_delete=models.CASCADE, related_name="flags")
    executive = models.BooleanField(default=False)

    objects = CoachQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Flags of coachee {self.coachee_id}"


def _destroy_own_key(code: UUID) -> None:
    transaction.on_commit(lambda: keystore().destroy(code))


@receiver(post_delete, sender=SupervisionEntry)
@receiver(post_delete, sender=CPDEntry)
def _shred_entry_key(sender: type[models.Model], instance: models.Model, **kwargs: object) -> None:
    code: UUID = instance.code  # type: ignore[attr-defined]
    _destroy_own_key(code)
    if isinstance(instance, CPDEntry) and instance.has_certificate:
        from debrief.practice.certificates import remove

        transaction.on_commit(lambda: remove(code))


@receiver(post_delete, sender=ClientFeedback)
def _shred_feedback_key(
    sender: type[ClientFeedback], instance: ClientFeedback, **kwargs: object
) -> None:
    if instance.coachee_id is None:
        _destroy_own_key(instance.code)
