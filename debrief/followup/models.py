from __future__ import annotations

import uuid
from uuid import UUID

from django.conf import settings
from django.db import models
from django.utils import timezone

from debrief.coachees.models import Coachee
from debrief.journal.models import CoachingSession
from debrief.lib.ownership import CoacheeOwned, CoachQuerySet
from debrief.privacy.fields import SHORT_TEXT_LIMIT, PrivateTextField
from debrief.privacy.owners import coachee_code


class ActionItem(CoacheeOwned):
    """Something the coachee or the coach agreed to do, written down in a reflection."""

    coach_from = ("coachee", "session")

    class Owner(models.TextChoices):
        COACHEE = "coachee", "Coachee"
        COACH = "coach", "Coach"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="action_items"
    )
    coachee = models.ForeignKey(Coachee, on_delete=models.CASCADE, related_name="action_items")
    session = models.ForeignKey(
        CoachingSession, on_delete=models.CASCADE, related_name="action_items"
    )
    owner = models.CharField(max_length=10, choices=Owner.choices)
    text = PrivateTextField(max_length=SHORT_TEXT_LIMIT)
    due = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The page's key for the new-action box it was typed in: a save sent twice (a retry, the
    # page closing while the first was in flight, a form posted again) stores one action.
    creation_key = models.UUIDField(null=True, blank=True, editable=False)

    objects = CoachQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["coachee", "status"]),
            # The journal export reads these by batches of sessions of one coach (coach = and
            # session IN): without the pair SQLite walks every row of the coach for each batch.
            models.Index(fields=["coach", "session"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "creation_key"], name="action_item_created_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_owner_display()} action"

    def private_row(self) -> str:
        return str(self.code)

    def private_owner(self) -> UUID:
        return coachee_code(self.coachee_id)

    @property
    def is_overdue(self) -> bool:
        return (
            self.status == self.Status.OPEN
            and self.due is not None
            and self.due < timezone.localdate()
        )

    def set_status(self, status: str) -> None:
        self.status = status
        self.closed_at = None if status == self.Status.OPEN else timezone.now()


class Goal(CoacheeOwned):
    """Something a coachee is working towards across sessions."""

    coach_from = ("coachee",)

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        ACHIEVED = "achieved", "Achieved"
        DROPPED = "dropped", "Dropped"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="goals"
    )
    coachee = models.ForeignKey(Coachee, on_delete=models.CASCADE, related_name="goals")
    title = PrivateTextField(max_length=SHORT_TEXT_LIMIT)
    description = PrivateTextField()
    target_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = CoachQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["coachee", "status"])]

    def __str__(self) -> str:
        return "Goal"

    def private_row(self) -> str:
        return str(self.code)

    def private_owner(self) -> UUID:
        return coachee_code(self.coachee_id)


class GoalProgress(CoacheeOwned):
    """How far a goal had come at one session: a score from 0 to 10 and a note."""

    coach_from = ("goal", "session")

    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="goal_progress"
    )
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="progress")
    session = models.ForeignKey(
        CoachingSession, on_delete=models.CASCADE, related_name="goal_progress"
    )
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    note = PrivateTextField()
    updated = models.DateTimeField(auto_now=True)

    objects = CoachQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["coach", "session"])]  # as ActionItem's
        constraints = [
            models.UniqueConstraint(fields=["goal", "session"], name="unique_goal_progress"),
            models.CheckConstraint(
                condition=models.Q(score__lte=10), name="goal_progress_score_at_most_10"
            ),
        ]

    def __str__(self) -> str:
        return "Goal progress"

    def private_row(self) -> str:
        return f"{self.goal_id}|{self.session_id}"

    def private_owner(self) -> UUID:
        return coachee_code(self.session.coachee_id)


class ActionReview(CoacheeOwned):
    """What became of an open action item when it was reviewed while preparing a later session."""

    coach_from = ("action", "session")

    class Choice(models.TextChoices):
        DONE = "done", "Done"
        CARRY = "carry", "Carry on"
        DROP = "drop", "Drop"

    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="action_reviews"
    )
    action = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="reviews")
    session = models.ForeignKey(
        CoachingSession, on_delete=models.CASCADE, related_name="action_reviews"
    )
    choice = models.CharField(max_length=10, choices=Choice.choices)
    note = PrivateTextField(max_length=SHORT_TEXT_LIMIT)
    updated = models.DateTimeField(auto_now=True)

    objects = CoachQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["coach", "session"])]  # as ActionItem's
        constraints = [
            models.UniqueConstraint(fields=["action", "session"], name="unique_action_review")
        ]

    def __str__(self) -> str:
        return "Action review"

    def private_row(self) -> str:
        return f"{self.action_id}|{self.session_id}"

    def private_owner(self) -> UUID:
        return coachee_code(self.session.coachee_id)
