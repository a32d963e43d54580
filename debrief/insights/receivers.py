"""Insights' signal receivers: what a write changes of the summaries insights keep.

A reflection's summary (``models.SessionSummary``) is dropped whenever one of its answers or
technique uses is saved or deleted, in the writer's transaction; the next page that reads it
builds it again. The kept month of the practice (``models.PracticeMonth``) that a changed
session falls in is dropped with it, and so is the month of a session, reflection or goal score
saved or deleted (both months, when a session moves; erasing a coachee deletes their sessions
one by one). Writes that bypass signals (``bulk_create`` of new sessions, the ``update`` of a
hand-over) change how many sessions a coach has before a month: the whole-practice page
notices and builds every kept month again (``months._kept``). A deletion of the reflection
itself takes its summary by cascade. Nothing of insights is kept in memory but the drawn
charts, which ``lib.charts`` keeps (registered with ``privacy/memory.py`` by the privacy app).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from debrief.followup.models import GoalProgress
from debrief.insights import months, summaries
from debrief.journal.models import Answer, CoachingSession, Reflection
from debrief.techniques.models import TechniqueUse


def _forget_reflection(reflection_id: int) -> None:
    found = (
        Reflection.objects.filter(pk=reflection_id).values_list("coach_id", "session__date").first()
    )
    if found is not None:
        months.forget(found[0], [found[1]])


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
    _forget_reflection(instance.reflection_id)


@receiver(post_save, sender=Reflection)
def _reflection_saved(sender: type, instance: Reflection, **kwargs: Any) -> None:
    # Completed (the habit), or another template version (the ratings' prompts).
    _forget_reflection(instance.pk)


@receiver(pre_save, sender=CoachingSession)
def _session_moving(sender: type, instance: CoachingSession, **kwargs: Any) -> None:
    if instance.pk is not None:  # the month it leaves, if its date changes
        old = CoachingSession.objects.filter(pk=instance.pk).values_list("coach_id", "date")
        for coach_id, day in old:
            months.forget(coach_id, [day])


@receiver(post_save, sender=CoachingSession)
@receiver(post_delete, sender=CoachingSession)
def _session_changed(sender: type, instance: CoachingSession, **kwargs: Any) -> None:
    months.forget(instance.coach_id, [instance.date])


@receiver(post_save, sender=GoalProgress)
@receiver(post_delete, sender=GoalProgress)
def _score_changed(sender: type, instance: GoalProgress, **kwargs: Any) -> None:
    found = CoachingSession.objects.filter(pk=instance.session_id).values_list("coach_id", "date")
    for coach_id, day in found:
        months.forget(coach_id, [day])
