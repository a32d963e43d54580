"""Forget what insights keep in memory about a coachee when they are erased or deleted."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete
from django.dispatch import receiver

from debrief.coachees.models import Coachee
from debrief.insights import charts, themes


@receiver(post_delete, sender=Coachee)
def _forget_coachee(sender: type[Coachee], instance: Coachee, **kwargs: Any) -> None:
    # Drawn charts may name them (a goal, a title) and the theme index holds terms from their
    # notes: neither may outlive an erasure, even in memory.
    charts.forget()
    themes.forget()
