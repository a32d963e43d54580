"""Run a search over one coach's index: filter, match every word and phrase, rank.

Matching works on index text (folded, stemmed terms with a space either side), so a term is
found with a plain substring test and a phrase is its terms with single spaces between them.
Every word and phrase must occur in the same session (or in the same coachee's own notes).
Ranking is BM25 over sessions: rarer words weigh more, repeated words count with diminishing
returns, long sessions do not win by length alone.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, NamedTuple
from uuid import UUID

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
    code: UUID  # for the link to the reflection, read with the rest (no query of its own)


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
            "code",
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
class _Pool:
    """Every candidate as parallel lists: a search may match thousands, and no object per match
    is made until a page needs it (``Results.page``)."""

    shards: list[Shard]
    texts: list[str]  # what matched: the shard's own text, or one section's part of it
    lengths: list[int]
    metas: list[SessionMeta | None]  # read ahead only where a filter or the order needs them
    tfs: list[list[int]]  # per needle: how often each candidate's text holds it


def _matches(
    view: IndexView, needles: tuple[str, ...]
) -> tuple[list[Shard], list[int], list[list[int]]]:
    """Shards holding every needle, from the postings; each needle's number of shards, and how
    often each matched shard holds each needle.

    A needle found in a session's coachee's name counts as present, as long as one needle is
    in the session's own text: "priya confidence" finds Priya's sessions that mention
    confidence. A coachee's own notes (profile shards) must hold every needle themselves.
    """
    postings = [view.postings.holding(needle) for needle in needles]
    df = [len(shards) for shards, _ in postings]
    if len(needles) == 1:  # the common case: the postings are the answer, counts and all
        return postings[0][0], df, [postings[0][1]]
    counts = [dict(zip(map(id, shards), times, strict=True)) for shards, times in postings]
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
    ids = [id(s) for s in matched]
    return matched, df, [[times.get(k, 0) for k in ids] for times in counts]


def _candidates(
    coach: User, view: IndexView, query: Query, filters: Filters, sort: str
) -> tuple[_Pool, list[int]]:
    """Groups holding every item, and each item's number of groups (for rarity).

    Rarity is measured over the coach's whole index (filters only choose what is shown).
    Sessions are read from the database only where a filter or the order needs their facts;
    otherwise the facts of the page shown alone are read, after ranking (``Results.page``).
    Sessions come first, then coachees' own notes, each in the postings' order.
    """
    matched, df, tfs = _matches(view, query.needles)
    keep: Sequence[int] = range(len(matched))
    if filters.coachee_id:
        keep = [i for i in keep if matched[i].coachee_id == filters.coachee_id]
    sessions = [i for i in keep if matched[i].session_id is not None]
    if filters.sessions_only or sort == "newest":
        pool = _filtered(coach, matched, sessions, tfs, query, filters)
    else:
        chosen = [matched[i] for i in sessions]
        pool = _Pool(
            chosen,
            [s.text for s in chosen],
            [s.length for s in chosen],
            [None] * len(chosen),
            [[tf[i] for i in sessions] for tf in tfs],
        )
    if not filters.sessions_only:
        profiles = [i for i in keep if matched[i].session_id is None]
        for i in profiles:
            shard = matched[i]
            pool.shards.append(shard)
            pool.texts.append(shard.text)
            pool.lengths.append(shard.length)
            pool.metas.append(None)
        for own, tf in zip(pool.tfs, tfs, strict=True):
            own.extend(tf[i] for i in profiles)
    return pool, df


def _filtered(
    coach: User,
    matched: list[Shard],
    sessions: list[int],
    tfs: list[list[int]],
    query: Query,
    filters: Filters,
) -> _Pool:
    """The matching sessions (positions in ``matched``) that pass the filters as the database
    has them now, with their facts."""
    metas = _sessions(coach, filters, [matched[i].session_id or 0 for i in sessions])
    by_version = {}
    if filters.section:
        by_version = layouts({m.version_id for m in metas.values() if m.version_id})
    pool = _Pool([], [], [], [], [[] for _ in tfs])
    needles = query.needles  # a property that builds them each time
    for i in sessions:
        shard = matched[i]
        meta = metas.get(shard.session_id or 0)
        if meta is None:
            continue
        text, length = shard.text, shard.length
        counts = [tf[i] for tf in tfs]
        if filters.section:
            text = _in_section(shard, filters.section, by_version.get(meta.version_id or 0))
            counts = [text.count(needle) for needle in needles]
            if not all(counts):
                continue
            length = text.count(" ")
        pool.shards.append(shard)
        pool.texts.append(text)
        pool.lengths.append(length)
        pool.metas.append(meta)
        for own, n in zip(pool.tfs, counts, strict=True):
            own.append(n)
    return pool


def _bm25(pool: _Pool, idf: list[float], avg: float) -> list[float]:
    """Every candidate's score (plain lists, one pass per needle: the hot loop of a search)."""
    scores = [0.0] * len(pool.shards)
    norms = [K1 * (1 - B + B * length / avg) for length in pool.lengths]
    up = K1 + 1
    for weight, tfs in zip(idf, pool.tfs, strict=True):
        scores = [
            score + weight * tf * up / (tf + norm) if tf else score
            for score, tf, norm in zip(scores, tfs, norms, strict=True)
        ]
    return scores


@dataclass
class Results:
    """Every match, scored; ``page`` orders only as many as it shows and reads their facts.

    Best first takes the page's end's worth of the highest scores (``heapq``), not a sort of
    every match: at 10,000 sessions a common word matches 3,000 of them to show 20.
    """

    coach: User
    sort: str
    pool: _Pool
    scores: list[float]
    order: list[int] | None = None  # every candidate in order, where the order needs it all

    @property
    def total(self) -> int:
        return len(self.scores)

    def __len__(self) -> int:
        return len(self.scores)

    def __iter__(self) -> Iterator[Hit]:
        """Every hit in order (reads every matching session's facts: for tests and tools)."""
        return iter(self.page(1, max(1, len(self.scores))))

    def _ranked(self, end: int) -> list[int]:
        """The first candidates by rank (the score rounded, so that equal scores compare equal),
        at least ``end`` of them and every one tied with the last: in the order a stable sort
        of them all would give."""
        ranks = [round(score, 9) for score in self.scores]
        if end < len(ranks):
            least = heapq.nlargest(end, ranks)[-1]
            chosen = [i for i, rank in enumerate(ranks) if rank >= least]
        else:
            chosen = list(range(len(ranks)))
        chosen.sort(key=ranks.__getitem__, reverse=True)  # stable: ties keep their order
        return chosen

    def page(self, number: int, size: int) -> list[Hit]:
        start, end = (number - 1) * size, min(number * size, len(self.scores))
        if start >= end:
            return []
        if self.order is not None:
            return self._hits(self.order[start:end])
        # Equal scores go newest first: widen the slice to whole groups of equal scores at its
        # two ends, read those sessions' dates, and order the widened slice fully.
        ranked = self._ranked(end)
        rank = [round(self.scores[i], 9) for i in ranked]
        low, high = start, end
        while low > 0 and rank[low - 1] == rank[start]:
            low -= 1
        while high < len(ranked) and rank[high] == rank[end - 1]:
            high += 1
        hits = self._hits(ranked[low:high])
        hits.sort(key=lambda h: (round(h.score, 9), h.when), reverse=True)
        return hits[start - low : end - low]

    def _hits(self, chosen: list[int]) -> list[Hit]:
        shards, metas = self.pool.shards, self.pool.metas
        missing = [shards[i].session_id for i in chosen if metas[i] is None]
        read = _sessions(self.coach, Filters(), [sid for sid in missing if sid])
        profile_dates = _profile_dates(
            self.coach, [shards[i].coachee_id for i in chosen if shards[i].session_id is None]
        )
        hits = []
        for i in chosen:
            shard = shards[i]
            meta = metas[i] or read.get(shard.session_id or 0)
            if shard.session_id is not None and meta is None:
                continue  # deleted a moment ago
            when = meta.date if meta else profile_dates.get(shard.coachee_id, date.min)
            hits.append(
                Hit(shard, self.scores[i], shard.coachee_id, meta, self.pool.texts[i], when)
            )
        return hits


def search(coach: User, query: Query, filters: Filters, sort: str = "best") -> Results:
    """Every matching group, scored; an empty query finds nothing."""
    if not query:
        return Results(coach, sort, _Pool([], [], [], [], []), [])
    view = index_for(coach.id)
    pool, df = _candidates(coach, view, query, filters, sort)
    scope = len(view.sessions) + len(view.profiles)
    idf = [math.log(1 + (scope - n + 0.5) / (n + 0.5)) for n in df]
    avg = max(view.length / max(scope, 1), 1.0)
    scores = _bm25(pool, idf, avg)
    if sort != "newest":
        return Results(coach, sort, pool, scores)
    shards, metas = pool.shards, pool.metas
    profile_dates = _profile_dates(coach, [s.coachee_id for s in shards if s.session_id is None])

    def newest(i: int) -> tuple[date, int, float]:
        meta = metas[i]
        if meta is not None:
            return (meta.date, meta.number, scores[i])
        return (profile_dates.get(shards[i].coachee_id, date.min), 0, scores[i])

    order = sorted(range(len(scores)), key=newest, reverse=True)
    return Results(coach, sort, pool, scores, order)


def _profile_dates(coach: User, coachee_ids: list[int]) -> dict[int, date]:
    """When each coachee's own notes last changed: their place in "newest first"."""
    if not coachee_ids:
        return {}
    rows = Coachee.objects.for_coach(coach).filter(id__in=coachee_ids).values_list("id", "updated")
    return {cid: updated.date() for cid, updated in rows}
