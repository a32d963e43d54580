"""Which coachee's data key seals a row: small caches of facts that never change.

A session never moves to another coachee (the session form does not allow it), so the
coachee of a reflection, and the code of a coachee, can be remembered for the process.
"""

from __future__ import annotations

import threading
from uuid import UUID

_coachee_codes: dict[int, UUID] = {}
_reflection_coachees: dict[int, UUID] = {}
_lock = threading.Lock()
_LIMIT = 200_000  # row ids remembered per map before it starts again


def coachee_code(coachee_id: int) -> UUID:
    code = _coachee_codes.get(coachee_id)
    if code is None:
        from debrief.coachees.models import Coachee

        code = Coachee.objects.values_list("code", flat=True).get(pk=coachee_id)
        with _lock:
            if len(_coachee_codes) >= _LIMIT:
                _coachee_codes.clear()
            _coachee_codes[coachee_id] = code
    return code


def reflection_coachee_code(reflection_id: int) -> UUID:
    code = _reflection_coachees.get(reflection_id)
    if code is None:
        from debrief.journal.models import Reflection

        code = Reflection.objects.values_list("session__coachee__code", flat=True).get(
            pk=reflection_id
        )
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
