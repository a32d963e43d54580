"""Insights' signal receivers and its store in memory.

A reflection's summary (``models.SessionSummary``) is dropped whenever one of its answers or
technique uses is saved or deleted, in the writer's transaction; the next page that reads it
builds it again. Writes that bypass signals (``bulk_create``) only ever add new reflections,
which have no summary yet. A deletion of the reflection itself takes the summary by cascade.

Drawn charts may name a coachee or their goal: they may not outlive an erasure, in this process
or any other. ``privacy/memory.py`` forgets them when a coachee is erased here, and in every
other process at its next request once the erasure has committed (see docs/architecture.md,
"What is kept in memory").
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from debrief.insights import charts, summaries
from debrief.journal.models import Answer
from debrief.privacy import memory
from debrief.techniques.models import TechniqueUse


@receiver(post_save, sender=Answer)
@receiver(post_delete, sender=Answer)
@receiver(post_save, sender=TechniqueUse)
@receiver(post_delete, sender=TechniqueUse)
def _drop_summary(sender: type, instance: Answer | TechniqueUse, **kwargs: Any) -> None:
    origin = kwargs.get("origin")
    if isinstance(origin, QuerySet):
        origin = origin.model
    if origin is not None and origin not in (Answer, TechniqueUse, instance):
        return  # deleted with its reflection (or coach): the summary goes by cascade
    summaries.drop(instance.reflection_id)


memory.register(
    "insights.charts",
    forget_all=charts.forget,
    holds="the last charts drawn (SVG), which may name a coachee or a goal",
)
