"""Counts of generated bad input per surface and status, printed at the end of the run.

The hypothesis tests assert on every example themselves (never a 500); this only tallies
what they tried, for the figures the issue asks for (pytest's terminal summary shows them).
"""

from __future__ import annotations

from collections import Counter

SEEN: Counter[tuple[str, int]] = Counter()


def count(surface: str, status: int) -> None:
    SEEN[surface, status] += 1


def table() -> list[str]:
    if not SEEN:
        return []
    lines = ["surface                 status  inputs"]
    for (surface, status), n in sorted(SEEN.items()):
        lines.append(f"{surface:<23} {status:>6}  {n:>6}")
    return lines
