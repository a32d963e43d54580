"""Coaching from before Debrief, as the ICF's own client log holds it: one row per client.

Each row is a client and kind (individual, or a group of a number of people) with the dates
and hours the coach logged before Debrief, or a row of clients not listed by name (``client``
empty, ``clients`` saying how many people). Names and contact details are the clients' own,
so they are sealed with a data key of the row's own, shredded when the row is deleted (an
import of a new ICF log, or the account going).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from debrief.icflog.log import OpeningLine
from debrief.lib.ownership import CoachQuerySet
from debrief.privacy.fields import NAME_LIMIT, SHORT_TEXT_LIMIT, PrivateTextField
from debrief.privacy.keystore import keystore


def _hours() -> models.DecimalField:
    return models.DecimalField(
        max_digits=8, decimal_places=2, default=Decimal(0), validators=[MinValueValidator(0)]
    )


class OpeningBalance(models.Model):
    """Coaching experience from before Debrief, counted as older than 18 months."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="icf_opening_balances"
    )
    client = PrivateTextField(max_length=NAME_LIMIT)  # empty: clients not listed by name
    contact = PrivateTextField(max_length=SHORT_TEXT_LIMIT)
    group = models.BooleanField(default=False)
    group_size = models.PositiveIntegerField(null=True, blank=True)
    first = models.DateField(null=True, blank=True)
    last = models.DateField(null=True, blank=True)
    paid_hours = _hours()
    pro_bono_hours = _hours()
    clients = models.PositiveIntegerField(default=0)  # the people this row stands for
    updated = models.DateTimeField(auto_now=True)

    objects = CoachQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(paid_hours__gte=0, pro_bono_hours__gte=0),
                name="icf_opening_hours_not_negative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.paid_hours} paid, {self.pro_bono_hours} pro bono, {self.clients} clients"

    def private_row(self) -> str:
        return str(self.code)

    def private_owner(self) -> UUID:
        return self.code

    @property
    def listed(self) -> bool:
        return self.client != ""


@receiver(post_delete, sender=OpeningBalance)
def _shred_row_key(
    sender: type[OpeningBalance], instance: OpeningBalance, **kwargs: object
) -> None:
    code = instance.code
    transaction.on_commit(lambda: keystore().destroy(code))


class PreviousClient(models.Model):
    """A client this coach handed over to another coach: the hours they coached stay theirs.

    The ICF counts the hours of the coach who coached them, so a hand-over leaves the previous
    coach this row and one ``PreviousSession`` per session held before it; the sessions
    themselves (and every note) go to the receiving coach. The name and contact are kept only
    when the coachee agreed to be listed on the ICF log, sealed with a key of the row's own.
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="icf_previous_clients"
    )
    client = PrivateTextField(max_length=NAME_LIMIT)  # empty: not listed by name
    contact = PrivateTextField(max_length=SHORT_TEXT_LIMIT)
    listed = models.BooleanField(default=False)
    handed_over_on = models.DateField()

    objects = CoachQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Client handed over on {self.handed_over_on}"

    def private_row(self) -> str:
        return str(self.code)

    def private_owner(self) -> UUID:
        return self.code


class PreviousSession(models.Model):
    """One session the previous coach held before a hand-over, as the ICF log counts it."""

    client = models.ForeignKey(PreviousClient, on_delete=models.CASCADE, related_name="sessions")
    # The session as it now is, the receiving coach's: not counted on their log. Null once it
    # is gone (the coachee erased): the previous coach's hours stay all the same.
    session = models.OneToOneField(
        "journal.CoachingSession", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    date = models.DateField()
    minutes = models.PositiveIntegerField()
    paid = models.BooleanField()
    group = models.BooleanField(default=False)
    group_size = models.PositiveIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Session held on {self.date} before a hand-over"


@receiver(post_delete, sender=PreviousClient)
def _shred_previous_key(
    sender: type[PreviousClient], instance: PreviousClient, **kwargs: object
) -> None:
    code = instance.code
    transaction.on_commit(lambda: keystore().destroy(code))


def opening_line(row: OpeningBalance) -> OpeningLine:
    """A stored row as the log shows it."""
    return OpeningLine(
        client=row.client,
        paid_hours=row.paid_hours,
        pro_bono_hours=row.pro_bono_hours,
        people=row.clients,
        contact=row.contact,
        group=row.group,
        group_size=row.group_size,
        first=row.first,
        last=row.last,
        code=row.code,
    )


def opening_lines(coach: Any) -> list[OpeningLine]:
    """The coach's rows from before Debrief, in the order they were entered or imported."""
    return [opening_line(r) for r in OpeningBalance.objects.for_coach(coach).order_by("pk")]


def save_opening(coach: Any, lines: Iterable[OpeningLine]) -> list[OpeningBalance]:
    return OpeningBalance.objects.bulk_create(
        OpeningBalance(
            coach=coach,
            client=line.client,
            contact=line.contact,
            group=line.group,
            group_size=line.group_size,
            first=line.first,
            last=line.last,
            paid_hours=line.paid_hours,
            pro_bono_hours=line.pro_bono_hours,
            clients=line.people,
        )
        for line in lines
    )
