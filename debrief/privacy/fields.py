"""The one model field type for free text about a coachee.

Every name, note, reflection answer and action text goes through ``PrivateTextField``,
so that encryption at rest can be switched on here, in one place, without touching
the models that use it. Until then it stores plain text.

Because the stored value will become ciphertext, code must never filter, order or
search on these columns in SQL: load the rows the coach owns and work in Python.
"""

from __future__ import annotations

from typing import Any

from django.core import validators
from django.db import models

# Generous limits: long enough for any real reflection, short enough to refuse a paste accident.
LONG_TEXT_LIMIT = 50_000
SHORT_TEXT_LIMIT = 500
NAME_LIMIT = 200


class PrivateTextField(models.TextField):
    """Free text about a coachee: stored through one place, never queried in SQL."""

    description = "Private free text about a coachee"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", LONG_TEXT_LIMIT)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)
        self.validators.append(validators.ProhibitNullCharactersValidator())

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, "debrief.privacy.fields.PrivateTextField", args, kwargs
