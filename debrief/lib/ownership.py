"""The ownership choke point: every query for a coach's data starts with ``for_coach``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar, Self, TypeVar

from django.db import models
from django.db.models import F

M = TypeVar("M", bound=models.Model)


class CoachQuerySet(models.QuerySet[M]):
    """A queryset of rows that belong to one coach through a ``coach`` foreign key."""

    def for_coach(self, user: Any) -> Self:
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(coach=user)


class CoachMismatch(ValueError):
    """A row whose coach is not its parent's: one coach would list what another's key seals."""


class CoacheeOwned(models.Model):
    """A row kept about a coachee that copies its ``coach`` from a parent (``coach_from``).

    The copy lets every query start from ``for_coach``; saving a row whose coach differs from
    any parent's raises ``CoachMismatch``. A row saved with the coach and parents it was read
    (or last saved) with is not checked again, so autosave costs no query. ``bulk_create``
    skips ``save``: bulk writers (the demo generator, the journal and past-session importers, a
    restore) take the coach from the parent, and ``mismatched`` finds any row that does not
    (their tests call it).
    """

    coach_from: ClassVar[tuple[str, ...]] = ()
    coach_id: int | None
    _coach_as_loaded: tuple[Any, ...] | None = None

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.check_coach(kwargs.get("update_fields"))
        super().save(*args, **kwargs)
        self._coach_as_loaded = self._coach_key()

    @classmethod
    def from_db(cls, *args: Any, **kwargs: Any) -> Self:
        row = super().from_db(*args, **kwargs)
        row._coach_as_loaded = row._coach_key()  # saved as it was read: not checked again
        return row

    def check_coach(self, update_fields: Iterable[str] | None = None) -> None:
        """Refuse a coach other than each parent's; a save that changes neither is not checked."""
        if self._coach_as_loaded is not None and self._coach_as_loaded == self._coach_key():
            return
        if update_fields is not None:
            changed = set(update_fields)
            watched = {"coach", "coach_id", *self.coach_from, *(f"{n}_id" for n in self.coach_from)}
            if not changed & watched:
                return
        for name in self.coach_from:
            parent_coach = self._parent_coach(name)
            if parent_coach is not None and parent_coach != self.coach_id:
                raise CoachMismatch(
                    f"{type(self).__name__} has coach {self.coach_id} but its {name} belongs to "
                    f"coach {parent_coach}: a row belongs to the coach of its {name}."
                )

    def _coach_key(self) -> tuple[Any, ...]:
        # From __dict__: a deferred field must not cost a query here.
        fields = [self._meta.get_field(n) for n in ("coach", *self.coach_from)]
        return tuple(self.__dict__.get(f.attname) for f in fields)  # type: ignore[union-attr]

    def _parent_coach(self, name: str) -> int | None:
        field = self._meta.get_field(name)
        parent_id = getattr(self, field.attname)  # type: ignore[union-attr]
        if parent_id is None:
            return None
        if field.is_cached(self):  # type: ignore[union-attr]
            return getattr(self, name).coach_id
        parents = field.related_model._base_manager.filter(pk=parent_id)  # type: ignore[union-attr]
        return parents.values_list("coach_id", flat=True).first()


def mismatched(model: type[CoacheeOwned]) -> list[tuple[str, int]]:
    """(parent, row id) for every stored row whose coach is not its parent's, however written."""
    found: list[tuple[str, int]] = []
    for name in model.coach_from:
        rows = model._base_manager.filter(**{f"{name}__isnull": False})
        wrong = rows.exclude(**{f"{name}__coach": F("coach")}).values_list("pk", flat=True)
        found.extend((name, pk) for pk in wrong)
    return found


def coachee_owned_models() -> list[type[CoacheeOwned]]:
    from django.apps import apps

    return [m for m in apps.get_models() if issubclass(m, CoacheeOwned)]
