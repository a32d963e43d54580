from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from debrief.lib.ownership import CoachQuerySet


class OpeningBalance(models.Model):
    """Coaching experience from before Debrief, counted as older than 18 months."""

    coach = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="icf_opening_balance"
    )
    paid_hours = models.DecimalField(
        max_digits=8, decimal_places=2, default=Decimal(0), validators=[MinValueValidator(0)]
    )
    pro_bono_hours = models.DecimalField(
        max_digits=8, decimal_places=2, default=Decimal(0), validators=[MinValueValidator(0)]
    )
    clients = models.PositiveIntegerField(default=0)
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
