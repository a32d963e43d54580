"""A reflection marked for supervision, and a supervision pack made from chosen sessions.

The note of what to bring is sealed with the coachee's key (it is about their session). A
pack keeps which sessions it holds, the letter each coachee was given ("Client C", by
internal id: no name is stored) and the words the coach redacted by hand, sealed with a key
of the pack's own, destroyed when the pack is deleted.
"""

from __future__ import annotations

import uuid
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone

from debrief.coachees.models import Coachee
from debrief.journal.models import CoachingSession, Reflection
from debrief.lib.ownership import CoacheeOwned, CoachQuerySet
from debrief.privacy.fields import LONG_TEXT_LIMIT, PrivateTextField
from debrief.privacy.keystore import keystore, new_owner_code
from debrief.privacy.owners import reflection_coachee_code

NOTE_LIMIT = 5_000


class SupervisionFlag(CoacheeOwned):
    """A reflection the coach wants to take to supervision, with what to bring."""

    coach_from = ("reflection",)

    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reflection = models.OneToOneField(
        Reflection, on_delete=models.CASCADE, related_name="supervision_flag"
    )
    note = PrivateTextField(max_length=NOTE_LIMIT)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = CoachQuerySet.as_manager()

    def __str__(self) -> str:
        return f"For supervision: reflection {self.reflection_id}"

    def private_row(self) -> str:
        return str(self.reflection_id)

    def private_owner(self) -> UUID:
        return reflection_coachee_code(self.reflection_id)


class SupervisionPack(CoacheeOwned):
    coach_from = ("coachee",)
    # A code this process drew: the pack's own key is made without reading every sealed column
    # for values under it (keystore.new_owner_code).
    code = models.UUIDField(default=new_owner_code, unique=True, editable=False)
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sessions = models.ManyToManyField(CoachingSession, related_name="+")
    # How the sessions were chosen, to show the coach again (no content).
    flagged_only = models.BooleanField(default=False)
    coachee = models.ForeignKey(
        Coachee, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    date_from = models.DateField(null=True, blank=True)
    date_to = models.DateField(null=True, blank=True)
    letters: models.JSONField[Any, Any] = models.JSONField(default=dict)  # coachee id -> "A"
    redactions = PrivateTextField(max_length=LONG_TEXT_LIMIT)  # one per line
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = CoachQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Supervision pack of {self.created:%Y-%m-%d}"

    def private_row(self) -> str:
        return str(self.code)

    def private_owner(self) -> UUID:
        return self.code

    @property
    def redaction_list(self) -> list[str]:
        return [line for line in self.redactions.split("\n") if line.strip()]


@receiver(post_delete, sender=SupervisionPack)
def _shred_pack_key(sender: type[SupervisionPack], instance: SupervisionPack, **kw: object) -> None:
    code = instance.code
    transaction.on_commit(lambda: keystore().destroy(code))


class DossierJob(CoacheeOwned):
    """A coachee's dossier PDF being drawn in the background, then kept briefly for download.

    The coach's page follows ``done`` of ``total`` (sessions read, then pages laid out) while a
    thread of the serving process draws it (``exports.dossier_jobs``). The finished PDF is
    kept sealed with the coachee's key in ``sealed``, never as a plain file; it is dropped when
    downloaded (the row stays, to say so) and the row is deleted ``dossier_jobs.KEEP`` after
    it was asked for. Only counts,
    the chosen dates and which details to show are kept in the clear.
    """

    class State(models.TextChoices):
        READING = "reading", "Reading the sessions"
        LAYOUT = "layout", "Laying out the pages"
        WRITING = "writing", "Writing the file"
        READY = "ready", "Ready"
        DELIVERED = "delivered", "Downloaded"
        FAILED = "failed", "Failed"

    coach_from = ("coachee",)
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    coachee = models.ForeignKey(Coachee, on_delete=models.CASCADE, related_name="+")
    choice: models.JSONField[Any, Any] = models.JSONField(default=dict)  # dates, detail keys
    state = models.CharField(max_length=10, choices=State.choices, default=State.READING)
    total = models.PositiveIntegerField(default=0)  # sessions chosen
    done = models.PositiveIntegerField(default=0)  # sessions read so far
    pages = models.PositiveIntegerField(default=0)  # pages laid out so far
    sealed = models.BinaryField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(default=timezone.now)  # its last progress

    objects = CoachQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Dossier job {self.code}"
