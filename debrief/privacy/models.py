from __future__ import annotations

from django.db import models


class MemoryGeneration(models.Model):
    """One row: moved on, inside the transaction, by every erasure of a coachee.

    Each process remembers the value it last saw and forgets everything it keeps in memory
    about coachees when the value has moved (``memory.catch_up``, at the start of a request).
    """

    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"memory generation {self.value}"
