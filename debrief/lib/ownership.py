"""The ownership choke point: every query for a coach's data starts with ``for_coach``."""

from __future__ import annotations

from typing import Any, Self, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


class CoachQuerySet(models.QuerySet[M]):
    """A queryset of rows that belong to one coach through a ``coach`` foreign key."""

    def for_coach(self, user: Any) -> Self:
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(coach=user)
