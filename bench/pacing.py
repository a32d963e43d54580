"""How a simulated coach paces its requests: back to back, or with a coach's reading and typing.

Pure Python (no Django, no server), so that ``tests/test_bench_workers.py`` can check it alone.

A *plan* is an endless sequence of ``(kind, wait)``: the request to send next and the seconds to
wait before sending it, counted from the end of the previous answer. ``drive`` follows a plan
until a deadline or a number of requests, whichever comes first, and records the time of each
answer it gets after the warm-up.

- ``saturation()``: the round home, coachee page, reflection view, autosave, search with no
  wait at all: the most a set of threads can ask of a server (a closed loop, no think time).
- ``paced(seed, pace)``: the same round as a coach does it. Each page is read before the next
  request: a wait drawn from an exponential distribution of mean ``pace.read`` seconds (cut at
  ten times the mean), the usual model of a person at a terminal (most glances short, a few long
  reads). On the reflection the coach writes: ``pace.saves`` autosaves, each after a burst of
  typing of ``pace.typing`` seconds (uniform) and then the page's own pause, the
  ``DEBOUNCE_MS`` of ``debrief/static/debrief/autosave.js`` (read from that file, so the bench
  follows the page): the script saves that long after typing stops, never sooner. The draws
  come from ``random.Random(seed)``, so the same seed gives the same schedule in every run.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

KINDS = ("home", "coachee", "view", "autosave", "search")
AUTOSAVE_JS = Path(__file__).resolve().parent.parent / "debrief/static/debrief/autosave.js"

Plan = Iterator[tuple[str, float]]


def autosave_pause(script: str | None = None) -> float:
    """Seconds the reflection page waits after typing stops before it saves (its debounce)."""
    text = AUTOSAVE_JS.read_text() if script is None else script
    found = re.search(r"\bDEBOUNCE_MS\s*=\s*(\d+)\s*;", text)
    if not found:
        raise ValueError(f"no DEBOUNCE_MS in {AUTOSAVE_JS}: where does the page set its pause?")
    return int(found.group(1)) / 1000


@dataclass(frozen=True)
class Pace:
    read: float = 5.0  # mean seconds reading a page before the next request (exponential)
    typing: tuple[float, float] = (1.0, 5.0)  # seconds of typing before each pause (uniform)
    pause: float = field(default_factory=autosave_pause)  # the page's autosave debounce
    saves: int = 3  # autosaves each time the coach writes on the reflection

    def round_seconds(self) -> float:
        """Mean seconds of waiting in one round of the plan (to say what load it offers)."""
        typing = sum(self.typing) / 2 + self.pause
        return 5 * self.read + self.saves * typing  # four pages and the reflection read


def saturation() -> Plan:
    """The round of requests with no wait between them, for ever."""
    while True:
        for kind in KINDS:
            yield kind, 0.0


def paced(seed: int, pace: Pace) -> Plan:
    """The round as a coach does it, reading and typing between requests: see the module."""
    rng = random.Random(seed)

    def read() -> float:
        return min(rng.expovariate(1 / pace.read), 10 * pace.read)

    def typing() -> float:
        return rng.uniform(*pace.typing) + pace.pause

    while True:
        yield "home", read()  # after the last page of the previous round
        yield "coachee", read()  # reading home
        yield "view", read()  # reading the coachee's page
        for n in range(pace.saves):
            # Reading the reflection first, then writing; each save after a pause in typing.
            yield "autosave", (read() if n == 0 else 0.0) + typing()
        yield "search", read()


def drive(
    send: Mapping[str, Callable[[], float]],
    plan: Iterable[tuple[str, float]],
    warm_until: float,
    until: float,
    limit: int,
    record: Callable[[str, float | None], None],
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Follow ``plan``: wait, send, record; stop at ``until`` (monotonic) or after ``limit``.

    ``send[kind]()`` sends one request and returns its milliseconds, raising ``OSError``,
    ``RuntimeError`` (``BenchError``) or ``ValueError`` (a reply that is not JSON) when it
    fails. ``record(kind, ms)`` gets each request sent at or after ``warm_until`` (``ms`` is
    None for a failure). A wait that would end past ``until`` is not waited: the coach stops
    there. Returns the number of requests sent.
    """
    sent = 0
    for kind, wait in plan:
        if sent >= limit or time.monotonic() + wait >= until:
            break
        if wait > 0:
            sleep(wait)
        began = time.monotonic()
        try:
            ms: float | None = send[kind]()
        except (OSError, RuntimeError, ValueError):
            ms = None
        sent += 1
        if began >= warm_until:
            record(kind, ms)
    return sent
