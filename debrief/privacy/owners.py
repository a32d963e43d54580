"""Which coachee's data key seals a row: small caches of facts that never change.

A session never moves to another coachee (the session form does not allow it), so the
coachee of a reflection, and the code of a coachee, can be remembered for the process.

Privacy knows no domain models: the apps that own coachees and reflections tell it how to read
a code from a row id (``reads``, in their ``AppConfig.ready``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Literal
from uuid import UUID

Reader = Callable[[int], UUID]
Owner = Literal["coachee", "reflection"]

_coachee_codes: dict[int, UUID] = {}
_reflection_coachees: dict[int, UUID] = {}
_readers: dict[Owner, Reader] = {}
_lock = threading.Lock()
_LIMIT = 200_000  # row ids remembered per map before it starts again


def reads(owner: Owner, reader: Reader) -> None:
    """Tell privacy how to read the coachee code of a ``coachee`` or ``reflection`` row id."""
    _readers[owner] = reader


def _read(owner: Owner, row_id: int) -> UUID:
    reader = _readers.get(owner)
    if reader is None:
        raise RuntimeError(
            f"No app told privacy.owners how to find the coachee of a {owner} "
            f"(call owners.reads({owner!r}, ...) in that app's AppConfig.ready)."
        )
    return reader(row_id)


def coachee_code(coachee_id: int) -> UUID:
    code = _coachee_codes.get(coachee_id)
    if code is None:
        code = _read("coachee", coachee_id)
        with _lock:
            if len(_coachee_codes) >= _LIMIT:
                _coachee_codes.clear()
            _coachee_codes[coachee_id] = code
    return code


def reflection_coachee_code(reflection_id: int) -> UUID:
    code = _reflection_coachees.get(reflection_id)
    if code is None:
        code = _read("reflection", reflection_id)
        with _lock:
            if len(_reflection_coachees) >= _LIMIT:
                _reflection_coachees.clear()
            _reflection_coachees[reflection_id] = code
    return code


def remember(coachee_id: int, code: UUID) -> None:
    with _lock:
        _coachee_codes[coachee_id] = code


def remember_reflection(reflection_id: int, code: UUID) -> None:
    with _lock:
        _reflection_coachees[reflection_id] = code


def forget_all() -> None:
    with _lock:
        _coachee_codes.clear()
        _reflection_coachees.clear()
