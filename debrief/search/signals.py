"""Keep the search index from ever going stale: every change to indexed text invalidates.

Each receiver runs inside the writer's transaction: it moves the coach's generation on (which
takes its row lock, see ``index.py``) and then deletes the shard that held the old text. The
next search rebuilds that one shard. A deletion that is part of a bigger one (a session, a
coachee erasure) is left to the bigger one, whose shards go by cascade; anything else deleted
along the way (an action's reviews in later sessions, a goal's progress notes) invalidates its
own session.

Writes that bypass model signals (``bulk_create``, ``QuerySet.update``) on indexed text of an
existing session must call ``invalidate_session``; new sessions need nothing (a session without
a shard is built at the next search). Erasing a coachee or handing one over to another coach
also deletes the coach's sealed snapshot (``snapshot.py``); a hand-over done with
``QuerySet.update`` must call ``snapshot.shred`` for the old coach itself.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from debrief.accounts.models import User
from debrief.coachees.models import Coachee
from debrief.followup.models import ActionItem, ActionReview, Goal, GoalProgress
from debrief.journal.models import Answer, CoachingSession, Reflection
from debrief.search import index, snapshot
from debrief.search.models import SearchShard
from debrief.techniques.models import TechniqueUse


def invalidate_session(coach_id: int, session_id: int) -> None:
    index.bump(coach_id)
    SearchShard.objects.filter(session_id=session_id).delete()


def invalidate_profile(coach_id: int, coachee_id: int) -> None:
    index.bump(coach_id)
    SearchShard.objects.filter(coachee_id=coachee_id, session__isnull=True).delete()


def _reflection(reflection_id: int) -> tuple[int, int] | None:
    return Reflection.objects.filter(pk=reflection_id).values_list("coach_id", "session_id").first()


@receiver(pre_delete, sender=Coachee)
@receiver(pre_delete, sender=CoachingSession)
@receiver(pre_delete, sender=Reflection)
def _note_contents(sender: type, instance: Any, origin: Any = None, **kwargs: Any) -> None:
    """Before a deletion starts, note which sessions and reflections it takes with it."""
    if origin is not instance:
        return
    if isinstance(instance, Coachee):
        sessions = set(
            CoachingSession.objects.filter(coachee=instance).values_list("id", flat=True)
        )
        reflections = set(
            Reflection.objects.filter(session__coachee=instance).values_list("id", flat=True)
        )
    elif isinstance(instance, CoachingSession):
        sessions = {instance.pk}
        reflections = set(Reflection.objects.filter(session=instance).values_list("id", flat=True))
    else:
        sessions, reflections = {instance.session_id}, {instance.pk}
    instance._search_contents = (sessions, reflections)


def _covered(origin: Any, instance: Any) -> bool:
    """Whether the deletion ``origin`` removes the whole shard this row belongs to anyway."""
    if isinstance(origin, User):
        return True
    contents = getattr(origin, "_search_contents", None)
    if contents is None:
        return False
    sessions, reflections = contents
    if isinstance(instance, Answer | TechniqueUse):
        return instance.reflection_id in reflections
    return instance.session_id in sessions


@receiver(post_save, sender=Answer)
@receiver(post_save, sender=ActionItem)
@receiver(post_save, sender=TechniqueUse)
@receiver(post_save, sender=GoalProgress)
@receiver(post_save, sender=ActionReview)
def _session_text_saved(sender: type, instance: Any, **kwargs: Any) -> None:
    _invalidate_session_of(instance)


@receiver(post_delete, sender=Answer)
@receiver(post_delete, sender=ActionItem)
@receiver(post_delete, sender=TechniqueUse)
@receiver(post_delete, sender=GoalProgress)
@receiver(post_delete, sender=ActionReview)
def _session_text_deleted(sender: type, instance: Any, origin: Any = None, **kwargs: Any) -> None:
    if not _covered(origin, instance):
        _invalidate_session_of(instance)


def _invalidate_session_of(instance: Any) -> None:
    if isinstance(instance, Answer | TechniqueUse):
        found = _reflection(instance.reflection_id)
        if found is not None:
            invalidate_session(*found)
    else:
        invalidate_session(instance.coach_id, instance.session_id)


@receiver(post_save, sender=Coachee)
@receiver(post_save, sender=Goal)
def _profile_saved(sender: type, instance: Any, **kwargs: Any) -> None:
    coachee_id = instance.pk if isinstance(instance, Coachee) else instance.coachee_id
    invalidate_profile(instance.coach_id, coachee_id)


@receiver(post_delete, sender=Goal)
def _goal_deleted(sender: type, instance: Goal, origin: Any = None, **kwargs: Any) -> None:
    if isinstance(origin, User) or (
        isinstance(origin, Coachee) and origin.pk == instance.coachee_id
    ):
        return
    invalidate_profile(instance.coach_id, instance.coachee_id)


@receiver(post_delete, sender=Reflection)
def _reflection_deleted(
    sender: type, instance: Reflection, origin: Any = None, **kwargs: Any
) -> None:
    # Deleted on its own, a reflection leaves its session (and that session's shard) behind.
    if origin is instance or not _covered(origin, instance):
        invalidate_session(instance.coach_id, instance.session_id)


@receiver(post_delete, sender=CoachingSession)
@receiver(post_delete, sender=Coachee)
def _owner_deleted(sender: type, instance: Any, origin: Any = None, **kwargs: Any) -> None:
    """The shards went by cascade: tell every process's copy (an erasure: ours at once)."""
    if isinstance(origin, User) or (origin is not instance and isinstance(origin, Coachee)):
        return  # the coach's account is going, or the coachee's own receiver does it once
    index.bump(instance.coach_id)
    if isinstance(instance, Coachee):
        coach_id, coachee_id = instance.coach_id, instance.pk
        snapshot.shred(coach_id)  # after the bump: its lock orders this after any snapshot write
        transaction.on_commit(lambda: index.forget_coachee(coach_id, coachee_id))


@receiver(pre_save, sender=Coachee)
def _coach_changing(
    sender: type, instance: Coachee, raw: bool = False, update_fields: Any = None, **kwargs: Any
) -> None:
    """A coachee handed over to another coach leaves the old coach's snapshot at once."""
    moving = update_fields is None or {"coach", "coach_id"} & set(update_fields)
    if raw or instance.pk is None or not moving:
        return
    before = Coachee.objects.filter(pk=instance.pk).values_list("coach_id", flat=True).first()
    if before is not None and before != instance.coach_id:
        index.bump(before)
        snapshot.shred(before)
