"""What a coach shares with a supervisor in the firm, for a period the coach chooses.

A share holds either one of the coach's supervision packs (shown exactly as the pack renders:
pseudonymised, with the coach's redactions) or reflections the coach chose, with the letters
their coachees are given ("Client A"), pseudonymised too unless the coach chose to show names.
Nothing of a note is stored here: only which sessions, the letters (by internal id), the
period and who it is for. The supervisor sees it from ``starts`` to ``ends`` (both days
included, in the installation's time zone) unless it is revoked.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from debrief.exports.models import SupervisionPack
from debrief.journal.models import CoachingSession
from debrief.lib.ownership import CoacheeOwned, CoachQuerySet


class Share(CoacheeOwned):
    coach_from = ("pack",)

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # Either a pack (deleting the pack ends the share) or chosen sessions' reflections.
    pack = models.ForeignKey(
        SupervisionPack, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    sessions = models.ManyToManyField(CoachingSession, blank=True, related_name="+")
    letters: models.JSONField[Any, Any] = models.JSONField(default=dict)  # coachee id -> "A"
    show_names = models.BooleanField(default=False)
    starts = models.DateField()
    ends = models.DateField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = CoachQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["supervisor", "ends"], name="supervision_share_for")]

    def __str__(self) -> str:
        return f"Share {self.code}"

    @property
    def is_pack(self) -> bool:
        return self.pack_id is not None

    def is_open_on(self, day: date) -> bool:
        return self.revoked_at is None and self.starts <= day <= self.ends

    @property
    def state(self) -> str:
        today = timezone.localdate()
        if self.revoked_at is not None:
            return "revoked"
        if today < self.starts:
            return "waiting"
        if today > self.ends:
            return "ended"
        return "open"

    @property
    def state_label(self) -> str:
        return {
            "revoked": "Revoked",
            "waiting": "Not started yet",
            "ended": "Ended",
            "open": "Open now",
        }[self.state]
