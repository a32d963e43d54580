"""Find the stored values that do not open, and purge them.

A value does not open when its data key is missing (erased, or a key directory that does not
belong to this database), when it was sealed for another coachee, or when it is damaged. Pages
show such a value as "This note cannot be opened" (``fields.Unopenable``); this module lists
them for ``manage.py unopenable`` and removes them on ``--purge``. It never reads what a value
says: a finding names the model, the row, the field, the coachee's code and the reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models

from debrief.privacy.fields import PrivateTextError, PrivateTextField, Sealed


@dataclass(frozen=True)
class Finding:
    model: type[models.Model]
    pk: Any
    field: str
    coachee: str  # the code of the coachee whose key should seal it ("" if unknown)
    coach_id: int | None
    reason: str

    @property
    def label(self) -> str:
        return f"{self.model._meta.label}.{self.field}"


def private_fields() -> list[tuple[type[models.Model], list[PrivateTextField]]]:
    """Every concrete model with encrypted text, and those fields."""
    found = []
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, PrivateTextField)]
        if fields:
            found.append((model, fields))
    return found


def _owner(row: Any) -> str:
    try:
        return str(row.private_owner())
    except Exception:  # its parent is gone too: the reason says enough
        return ""


def _findings_in(model: type[models.Model], fields: list[PrivateTextField]) -> Iterator[Finding]:
    for row in model._base_manager.order_by("pk").iterator(chunk_size=500):
        for field in fields:
            value = row.__dict__.get(field.attname)
            if not isinstance(value, Sealed):
                continue
            try:
                field.open(row, value)  # type: ignore[arg-type]
            except PrivateTextError as error:
                coach_id = getattr(row, "coach_id", None)
                yield Finding(model, row.pk, field.name, _owner(row), coach_id, error.reason)


def find() -> list[Finding]:
    return [f for model, fields in private_fields() for f in _findings_in(model, fields)]
