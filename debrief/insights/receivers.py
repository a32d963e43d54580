"""Insights' signal receivers.

A reflection's summary (``models.SessionSummary``) is dropped whenever one of its answers or
technique uses is saved or deleted, in the writer's transaction; the next page that reads it
builds it again. Writes that bypass signals (``bulk_create``) only ever add new reflections,
which have no summary yet. A deletion of the reflection itself takes the summary by cascade.
Nothing of insights is kept in memory but the drawn charts, which ``lib.charts`` keeps
(registered with ``privacy/memory.py`` by the privacy app).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from debrief.insights import summaries
from debrief.journal.models import Answer
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
