"""The server's start-up tuning: what is alive at start-up leaves the collector's full passes."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from debrief.lib.runtime import settle_after_startup


@pytest.fixture
def _unfrozen_afterwards() -> Iterator[None]:
    yield
    gc.unfreeze()


@pytest.mark.usefixtures("_unfrozen_afterwards")
def test_objects_alive_at_startup_are_frozen_and_later_garbage_is_still_collected() -> None:
    gc.unfreeze()
    alive = [object() for _ in range(10)]  # tracked containers alive "at start-up"
    settle_after_startup()
    assert gc.get_freeze_count() >= len(alive)

    class Cycle:
        pass

    first, second = Cycle(), Cycle()
    first.other, second.other = second, first  # type: ignore[attr-defined]
    del first, second
    assert gc.collect() >= 2  # garbage made after start-up is still found
