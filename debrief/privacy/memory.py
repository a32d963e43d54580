"""The one owner of every in-memory store of coachee data, in every process.

Anything a process keeps in memory that came from a coachee's records (the words of their
notes, charts drawn from them, their unwrapped data key, which row belongs to whom) is a
*store*, and every store registers here: its name, how to forget everything, and, where it
can, how to forget one coachee or one coach. Nothing else decides when such memory goes.

Erasure (and retention, which erases) calls ``coachee_erased`` inside its transaction: it
moves the generation row (``MemoryGeneration``) on in the same transaction, and, once the
transaction commits, this process forgets the coachee in every store. Every other process
(another ``serve``, a cron job, a second worker) reads the generation at the start of each
request (``catch_up``, one single-row query) and forgets everything when it has moved. A
store is also forgotten whole when nobody used it for ``IDLE_SECONDS``.

This module imports no domain models: stores register themselves (``register``) where they
are defined, or in their app's ``ready``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from uuid import UUID

from django.db import DatabaseError, transaction
from django.db.models import F

logger = logging.getLogger(__name__)

IDLE_SECONDS = 30 * 60


@dataclass(frozen=True)
class Coachee:
    """Who to forget: a coachee's row id, their code (which names their key) and their coach."""

    coach_id: int
    coachee_id: int
    code: UUID


@dataclass
class Store:
    name: str
    forget_all: Callable[[], None]
    forget_coachee: Callable[[Coachee], None] | None = None
    forget_coach: Callable[[int], None] | None = None
    holds: str = ""  # what it keeps, for docs/architecture.md and the registry's own test
    used: float = field(default_factory=time.monotonic)


_stores: dict[str, Store] = {}
_lock = threading.Lock()
_seen: int | None = None  # the generation this process last caught up with


def register(
    name: str,
    *,
    forget_all: Callable[[], None],
    forget_coachee: Callable[[Coachee], None] | None = None,
    forget_coach: Callable[[int], None] | None = None,
    holds: str = "",
) -> None:
    """Register a store (again, on a reload: the last registration wins)."""
    with _lock:
        _stores[name] = Store(name, forget_all, forget_coachee, forget_coach, holds)


def used(name: str) -> None:
    """Note that a store was used now (its idle clock starts again)."""
    store = _stores.get(name)
    if store is not None:
        store.used = time.monotonic()


def stores() -> list[Store]:
    with _lock:
        return list(_stores.values())


def forget_coachee(who: Coachee) -> None:
    """Forget one coachee in every store of this process (the whole store where it cannot)."""
    for store in stores():
        if store.forget_coachee is not None:
            store.forget_coachee(who)
        else:
            store.forget_all()


def forget_coach(coach_id: int) -> None:
    for store in stores():
        if store.forget_coach is not None:
            store.forget_coach(coach_id)
        else:
            store.forget_all()


def forget_everything() -> None:
    for store in stores():
        store.forget_all()


def _forget_idle(now: float) -> None:
    for store in stores():
        if now - store.used > IDLE_SECONDS:
            store.forget_all()
            store.used = now


# --- every process -----------------------------------------------------------------------------


def _read_generation() -> int:
    # Plain SQL: this runs before every request, and building the ORM query costs far more
    # than the query (about 1 ms against 10 µs on the 2-core development machine under load).
    from django.db import connection

    from debrief.privacy.models import MemoryGeneration

    table = connection.ops.quote_name(MemoryGeneration._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {table} WHERE id = 1")  # noqa: S608 (no user input)
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def bump() -> None:
    """Move the generation on: every other process forgets what it holds at its next request.

    Call inside the transaction that erases, so the move commits (or rolls back) with it.
    """
    from debrief.privacy.models import MemoryGeneration

    if not MemoryGeneration.objects.filter(pk=1).update(value=F("value") + 1):
        _, created = MemoryGeneration.objects.get_or_create(pk=1, defaults={"value": 1})
        if not created:
            MemoryGeneration.objects.filter(pk=1).update(value=F("value") + 1)


def bump_quietly() -> None:
    """``bump`` where a failure must not undo what already happened (a key file deleted)."""
    try:
        bump()
    except DatabaseError:
        logger.warning("memory: the generation could not be moved on")


def coachee_erased(who: Coachee) -> None:
    """A coachee is being erased (inside the erasing transaction): forget them everywhere."""
    bump()
    # At once and again after the commit: a request in between may have read them back in.
    forget_coachee(who)
    transaction.on_commit(lambda: forget_coachee(who))


def catch_up(**_signal: object) -> None:
    """Forget everything if another process erased someone since this one last looked.

    Connected to ``request_started``. If the generation cannot be read, this process
    forgets everything rather than risk keeping what should be gone.
    """
    global _seen
    try:
        now = _read_generation()
    except Exception:  # no database yet, or it is unreachable: be safe, not fast
        logger.warning("memory: the generation could not be read; forgetting everything")
        forget_everything()
        _seen = None
        return
    if now != _seen:
        # The first look in a process forgets too: anything held before it was never checked.
        forget_everything()
        _seen = now
    _forget_idle(time.monotonic())
