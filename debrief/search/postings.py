"""The inverted index of one coach's opened shards: for each word or phrase, the shards holding it.

It lives in process memory only, made from the opened shards (never stored: the sealed shards
are what is kept). A word's postings are made the first time it is searched and kept after
that, so a search reads only the shards that hold its words, and its cost follows the number
of matches, not the size of the practice.

A refresh after an edit must not throw those postings away: the *base* segment holds the shards
as first loaded; shards that arrive later (edited or new) go into a small *delta* segment, made
afresh at each refresh, and the base's copies they replace are marked dead. When the delta and
the dead pass a tenth of the base (at least ``MERGE_AT``), everything is merged into a new base
(the dead texts leave memory then, and at once when a coachee is forgotten: ``without``).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from debrief.search.index import Shard

MERGE_AT = 64  # changed shards a delta may hold, at least, before a merge (else a tenth)
MAX_NEEDLES = 4096  # words and phrases whose postings a segment keeps, before starting afresh
_NOTHING: tuple[array[int], array[int]] = (array("I"), array("I"))


@dataclass(frozen=True)
class Segment:
    """Shards in a fixed order, and the postings of every word or phrase searched so far.

    A word's postings are made the first time it is searched (one pass over the segment's
    texts, a substring test each), then kept: the shards never change, so neither do they.
    That keeps in memory the postings of what coaches search for, not of every word they wrote.
    """

    shards: tuple[Shard, ...]
    position: dict[int, int] = field(repr=False)  # id(shard) -> its position
    terms: dict[str, tuple[array[int], array[int]]] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, shards: Iterable[Shard]) -> Segment:
        held = tuple(shards)
        return cls(held, {id(s): at for at, s in enumerate(held)})

    def holding(self, needle: str) -> tuple[array[int], array[int]]:
        """Positions of the shards whose text holds ``needle``, and how often each holds it."""
        if not self.shards:
            return _NOTHING  # and nothing kept: an empty segment may be shared
        found = self.terms.get(needle)
        if found is None:
            at = [at for at, s in enumerate(self.shards) if needle in s.text]
            counts = [self.shards[i].text.count(needle) for i in at]
            found = (array("I", at), array("I", counts))
            if len(self.terms) >= MAX_NEEDLES:
                self.terms.clear()
            self.terms[needle] = found  # one assignment: safe to share between threads
        return found


_EMPTY = Segment((), {})


@dataclass(frozen=True)
class Postings:
    base: Segment = _EMPTY
    delta: Segment = _EMPTY
    dead: frozenset[int] = frozenset()  # base positions no longer in the index

    @classmethod
    def of(cls, shards: Iterable[Shard]) -> Postings:
        return cls(Segment.of(shards))

    def update(self, shards: Iterable[Shard]) -> Postings:
        """The postings of ``shards`` (the whole index after a refresh), reusing this base."""
        at = self.base.position
        kept: set[int] = set()
        fresh: list[Shard] = []
        every = list(shards)
        for shard in every:
            found = at.get(id(shard))
            if found is None:
                fresh.append(shard)
            else:
                kept.add(found)
        dead = len(self.base.shards) - len(kept)
        if len(fresh) + dead > max(MERGE_AT, len(self.base.shards) // 10):
            return Postings.of(every)
        gone = frozenset(range(len(self.base.shards))).difference(kept) if dead else frozenset()
        return Postings(self.base, Segment.of(fresh), gone)

    def without(self, coachee_id: int) -> Postings:
        """A new index without one coachee's shards: nothing of their words is kept."""
        return Postings.of(s for s in self.shards() if s.coachee_id != coachee_id)

    def shards(self) -> list[Shard]:
        live = [s for at, s in enumerate(self.base.shards) if at not in self.dead]
        return live + list(self.delta.shards)

    def holding(self, needle: str) -> tuple[list[Shard], list[int]]:
        """Every shard whose text holds ``needle``, and how often each holds it."""
        base, dead = self.base.shards, self.dead
        at, counts = self.base.holding(needle)
        if dead:
            pairs = [(base[i], n) for i, n in zip(at, counts, strict=True) if i not in dead]
            found, times = [p[0] for p in pairs], [p[1] for p in pairs]
        else:
            found, times = [base[i] for i in at], list(counts)
        at, counts = self.delta.holding(needle)
        found.extend(self.delta.shards[i] for i in at)
        times.extend(counts)
        return found, times

    def words(self) -> str:
        """Every word and phrase whose postings are held (for tests of what memory keeps)."""
        return " ".join([*self.base.terms, *self.delta.terms])
