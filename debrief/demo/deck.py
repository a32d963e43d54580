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

    def index(self, hooks: dict[str, str]) -> int:
        """The next item whose placeholders are all in ``hooks``."""
        for _ in range(2):
            for position, index in enumerate(self.left):
                if _fields(self.items[index]).issubset(hooks):
                    del self.left[position]
                    return index
            self.left = list(range(len(self.items)))
            self.rng.shuffle(self.left)
        raise ValueError(f"No phrase fits the hooks {sorted(hooks)}: {self.items[0]!r}")

    def deal(self, hooks: dict[str, str]) -> str:
        return self.items[self.index(hooks)].format_map(hooks)
