"""Run a search over one coach's index: filter, match every word and phrase, rank.

Matching works on index text (folded, stemmed terms with a space either side), so a term is
found with a plain substring test and a phrase is its terms with single spaces between them.
Every word and phrase must occur in the same session (or in the same coachee's own notes).
Ranking is BM25 over sessions: rarer words weigh more, repeated words count with diminishing
returns, long sessions do not win by length alone.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from itertools import repeat
from operator import attrgetter
from typing import TYPE_CHECKING, NamedTuple

from debrief.coachees.models import Coachee
from debrief.journal.models import CoachingSession
from debrief.lib.words import Query
from debrief.search.index import IndexView, Shard, index_for
from debrief.search.places import Layout, layouts

if TYPE_CHECKING:
    from debrief.accounts.models import User

K1 = 1.2
B = 0.75
SORTS = ("best", "newest")
ID_CHUNK = 2000  # ids per query: well inside every database's limit on parameters


@dataclass(frozen=True)
class Filters:
    coachee_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    section: str = ""
    technique_id: int | None = None
    state: str = ""

    @property
    def sessions_only(self) -> bool:
        """Filters that only sessions have: a coachee's own notes are left out."""
        return bool(
            self.date_from or self.date_to or self.section or self.technique_id or self.state
        )


class SessionMeta(NamedTuple):
    id: int
    date: date
    number: int
    coachee_id: int
    status: str
    version_id: int | None


@dataclass
class Hit:
    """One group of results: a session, or a coachee's own notes (``session`` is None)."""

    shard: Shard
    score: float
    coachee_id: int
    session: SessionMeta | None
    text: str  # the index text that matched (a section's part only, under a section filter)
    when: date


def _sessions(coach: User, filters: Filters, ids: list[int]) -> dict[int, SessionMeta]:
    """Those of ``ids`` that are the coach's and pass the filters, as the database has them now."""
    qs = CoachingSession.objects.for_coach(coach)
    if filters.coachee_id:
        qs = qs.filter(coachee_id=filters.coachee_id)
    if filters.date_from:
        qs = qs.filter(date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(date__lte=filters.date_to)
    if filters.state:
        qs = qs.filter(reflection__status=filters.state)
    if filters.technique_id:
        qs = qs.filter(reflection__technique_uses__technique_id=filters.technique_id).distinct()
    found: dict[int, SessionMeta] = {}
    for start in range(0, len(ids), ID_CHUNK):
        rows = qs.filter(id__in=ids[start : start + ID_CHUNK]).values_list(
            "id",
            "date",
            "number",
            "coachee_id",
            "reflection__status",
            "reflection__template_version_id",
        )
        found.update((row[0], SessionMeta._make(row)) for row in rows)
    return found


def _in_section(shard: Shard, section: str, layout: Layout | None) -> str:
    if layout is None:
        return ""
    kept = []
    for kind, ref, text in shard.documents():
        place = layout.place(kind, ref)
        if place is not None and place.section == section:
            kept.append(text)
    return "\n".join(kept)


@dataclass(slots=True)
class _Candidate:
    shard: Shard
    text: str
    length: int
    session: SessionMeta | None
    score: float = 0.0
    rank: float = 0.0  # the score rounded, so that equal scores compare equal


Counts = list[dict[int, int]]  # per needle: id(shard) -> how often the shard holds it


def _matches(view: IndexView, needles: tuple[str, ...]) -> tuple[list[Shard], list[int], Counts]:
    """Shards holding every needle, from the postings; each needle's shards and counts.

    A needle found in a session's coachee's name counts as present, as long as one needle is
    in the session's own text: "priya confidence" finds Priya's sessions that mention
    confidence. A coachee's own notes (profile shards) must hold every needle themselves.
    """
    postings = [view.postings.holding(needle) for needle in needles]
    counts = [dict(zip(map(id, shards), times, strict=True)) for shards, times in postings]
    df = [len(shards) for shards, _ in postings]
    if len(needles) == 1:  # the common case: the postings are the answer
        return postings[0][0], df, counts
    holding = [{id(s): s for s in shards} for shards, _ in postings]
    named = [
        {cid for cid, person in view.people.items() if needle in person.names} for needle in needles
    ]
    unnamed = [own for own, names in zip(holding, named, strict=True) if not names]
    # Every match is in the own shards of a needle that is in no name: start from the fewest.
    everyone = {k: s for own in holding for k, s in own.items()} if not unnamed else {}
    pool = min(unnamed, key=len) if unnamed else everyone
    matched = []
    for key, shard in pool.items():
        for own, names in zip(holding, named, strict=True):
            if key not in own and (shard.session_id is None or shard.coachee_id not in names):
                break
        else:
            matched.append(shard)
    return matched, df, counts


def _candidates(
    coach: User, view: IndexView, query: Query, filters: Filters, sort: str
) -> tuple[list[_Candidate], list[int], Counts]:
    """Groups holding every item, and each item's number of groups (for rarity).

    Rarity is measured over the coach's whole index (filters only choose what is shown).
    Sessions are read from the database only where a filter or the order needs their facts;
    otherwise the facts of the page shown alone are read, after ranking (``Results.page``).
    """
    matched, df, counts = _matches(view, query.needles)
    if filters.coachee_id:
        matched = [s for s in matched if s.coachee_id == filters.coachee_id]
    sessions = [s for s in matched if s.session_id is not None]
    found: list[_Candidate] = []
    if filters.sessions_only or sort == "newest":
        found = _filtered(coach, sessions, query, filters)
    else:
        found = [_Candidate(s, s.text, s.length, None) for s in sessions]
    if not filters.sessions_only:
        found.extend(
            _Candidate(shard, shard.text, shard.length, None)
            for shard in matched
            if shard.session_id is None
        )
    return found, df, counts


def _filtered(
    coach: User, sessions: list[Shard], query: Query, filters: Filters
) -> list[_Candidate]:
    """The matching sessions that pass the filters as the database has them now."""
    metas = _sessions(coach, filters, [s.session_id for s in sessions if s.session_id])
    by_version = {}
    if filters.section:
        by_version = layouts({m.version_id for m in metas.values() if m.version_id})
    found = []
    needles = query.needles  # a property that builds them each time
    for shard in sessions:
        meta = metas.get(shard.session_id or 0)
        if meta is None:
            continue
        text, length = shard.text, shard.length
        if filters.section:
            text = _in_section(shard, filters.section, by_version.get(meta.version_id or 0))
            if not all(needle in text for needle in needles):
                continue
            length = text.count(" ")
        found.append(_Candidate(shard, text, length, meta))
    return found


def _bm25(
    found: list[_Candidate], needles: tuple[str, ...], idf: list[float], avg: float, counts: Counts
) -> None:
    """Score every candidate (plain lists, one pass per needle: the hot loop of a search).

    How often each shard holds each needle comes from the postings; a candidate narrowed to
    one section's text (``text`` is not its shard's) is counted in that text instead.
    """
    scores = [0.0] * len(found)
    norms = [K1 * (1 - B + B * c.length / avg) for c in found]
    ids = [id(c.shard) for c in found]
    own = all(c.text is c.shard.text for c in found)  # no candidate narrowed to a section
    up = K1 + 1
    for needle, weight, times in zip(needles, idf, counts, strict=True):
        if own:
            tfs = list(map(times.get, ids, repeat(0)))
        else:
            tfs = [
                times.get(id(c.shard), 0) if c.text is c.shard.text else c.text.count(needle)
                for c in found
            ]
        scores = [
            score + weight * tf * up / (tf + norm) if tf else score
            for score, tf, norm in zip(scores, tfs, norms, strict=True)
        ]
    for c, score in zip(found, scores, strict=True):
        c.score, c.rank = score, round(score, 9)


@dataclass
class Results:
    """Every match, ranked; ``page`` reads the facts of the hits it returns only."""

    coach: User
    sort: str
    ranked: list[_Candidate]  # best first by score alone (ties not yet ordered by date)

    @property
    def total(self) -> int:
        return len(self.ranked)

    def __len__(self) -> int:
        return len(self.ranked)

    def __iter__(self) -> Iterator[Hit]:
        """Every hit in order (reads every matching session's facts: for tests and tools)."""
        return iter(self.page(1, max(1, len(self.ranked))))

    def page(self, number: int, size: int) -> list[Hit]:
        start, end = (number - 1) * size, min(number * size, len(self.ranked))
        if start >= end:
            return []
        if self.sort == "newest":
            return self._hits(self.ranked[start:end])
        # Equal scores go newest first: widen the slice to whole groups of equal scores at its
        # two ends, read those sessions' dates, and order the widened slice fully.
        low, high = start, end
        while low > 0 and _tie(self.ranked[low - 1], self.ranked[start]):
            low -= 1
        while high < len(self.ranked) and _tie(self.ranked[high], self.ranked[end - 1]):
            high += 1
        hits = self._hits(self.ranked[low:high])
        hits.sort(key=lambda h: (round(h.score, 9), h.when), reverse=True)
        return hits[start - low : end - low]

    def _hits(self, chosen: list[_Candidate]) -> list[Hit]:
        missing = [c.shard.session_id for c in chosen if c.session is None and c.shard.session_id]
        metas = _sessions(self.coach, Filters(), [sid for sid in missing if sid])
        profile_dates = _profile_dates(
            self.coach, [c.shard.coachee_id for c in chosen if c.shard.session_id is None]
        )
        hits = []
        for c in chosen:
            meta = c.session or metas.get(c.shard.session_id or 0)
            if c.shard.session_id is not None and meta is None:
                continue  # deleted a moment ago
            when = meta.date if meta else profile_dates.get(c.shard.coachee_id, date.min)
            hits.append(Hit(c.shard, c.score, c.shard.coachee_id, meta, c.text, when))
        return hits


def _tie(a: _Candidate, b: _Candidate) -> bool:
    return a.rank == b.rank


def search(coach: User, query: Query, filters: Filters, sort: str = "best") -> Results:
    """Every matching group, ranked; an empty query finds nothing."""
    if not query:
        return Results(coach, sort, [])
    view = index_for(coach.id)
    found, df, counts = _candidates(coach, view, query, filters, sort)
    scope = len(view.sessions) + len(view.profiles)
    idf = [math.log(1 + (scope - n + 0.5) / (n + 0.5)) for n in df]
    avg = max(view.length / max(scope, 1), 1.0)
    _bm25(found, query.needles, idf, avg, counts)
    if sort == "newest":
        profile_dates = _profile_dates(
            coach, [c.shard.coachee_id for c in found if c.shard.session_id is None]
        )

        def newest(c: _Candidate) -> tuple[date, int, float]:
            if c.session is not None:
                return (c.session.date, c.session.number, c.score)
            return (profile_dates.get(c.shard.coachee_id, date.min), 0, c.score)

        found.sort(key=newest, reverse=True)
    else:
        found.sort(key=attrgetter("rank"), reverse=True)
    return Results(coach, sort, found)


def _profile_dates(coach: User, coachee_ids: list[int]) -> dict[int, date]:
    """When each coachee's own notes last changed: their place in "newest first"."""
    if not coachee_ids:
        return {}
    rows = Coachee.objects.for_coach(coach).filter(id__in=coachee_ids).values_list("id", "updated")
    return {cid: updated.date() for cid, updated in rows}
