"""Phrase pools dealt like cards, so a coachee's reflections do not repeat too soon."""

from __future__ import annotations

import random
import string
from functools import cache


@cache
def _fields(template: str) -> frozenset[str]:
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name)


class Deck:
    """Deals a pool's items in shuffled order, every item once before any repeats."""

    def __init__(self, rng: random.Random, items: tuple[str, ...]) -> None:
        self.rng, self.items, self.left = rng, items, list[int]()

    def index(self, hooks: dict[str, str], avoid: frozenset[str] | set[str] = frozenset()) -> int:
        """The next item whose placeholders are all in ``hooks``.

        Items whose text (as it reads with ``hooks``) is in ``avoid`` (already written for
        another coachee) come only when no other item of this round fits.
        """
        for _ in range(2):
            fitting = [
                (position, index)
                for position, index in enumerate(self.left)
                if _fields(self.items[index]).issubset(hooks)
            ]
            fresh = [f for f in fitting if self.items[f[1]].format_map(hooks) not in avoid]
            if fresh or fitting:
                position, index = (fresh or fitting)[0]
                del self.left[position]
                return index
            self.left = list(range(len(self.items)))
            self.rng.shuffle(self.left)
        raise ValueError(f"No phrase fits the hooks {sorted(hooks)}: {self.items[0]!r}")

    def deal(self, hooks: dict[str, str], used: set[str] | None = None) -> str:
        """The next item, read with ``hooks``; with ``used``, avoiding and recording texts."""
        text = self.items[self.index(hooks, used if used is not None else frozenset())]
        dealt = text.format_map(hooks)
        if used is not None:
            used.add(dealt)
        return dealt
