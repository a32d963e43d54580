"""Run a search over one coach's index: filter, match every word and phrase, rank.

Matching works on index text (folded, stemmed terms with a space either side), so a term is
found with a plain substring test and a phrase is its terms with single spaces between them.
Every word and phrase must occur in the same session (or in the same coachee's own notes).
Ranking is BM25 over sessions: rarer words weigh more, repeated words count with diminishing
returns, long sessions do not win by length alone.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from debrief.coachees.models import Coachee
from debrief.journal.models import CoachingSession
from debrief.lib.words import Query
from debrief.search.index import Shard, index_for
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


@dataclass
class _Candidate:
    shard: Shard
    text: str
    length: int
    session: SessionMeta | None


def _scan(
    shards: Iterable[Shard],
    needles: tuple[str, ...],
    df: list[int],
    names: dict[int, str] | None = None,
) -> tuple[list[Shard], int]:
    """Shards holding every needle; counts each needle's shards into ``df``; total length.

    With ``names`` (coachee id -> their names in index form), a needle found in the session's
    coachee's name counts as present, as long as one needle is in the session's own text:
    "priya confidence" finds Priya's sessions that mention confidence.
    """
    matched, total = [], 0
    for shard in shards:
        text = shard.text
        total += shard.length
        every, own = True, False
        for i, needle in enumerate(needles):
            if needle in text:
                df[i] += 1
                own = True
            elif not (names and needle in names.get(shard.coachee_id, "")):
                every = False
        if every and own:
            matched.append(shard)
    return matched, total


def _names(profiles: Iterable[Shard]) -> dict[int, str]:
    """Each coachee's name and preferred name, in index form."""
    found = {}
    for shard in profiles:
        texts = [t for kind, ref, t in shard.documents() if kind == "profile" and "name" in ref]
        found[shard.coachee_id] = "\n".join(texts)
    return found


def _candidates(
    coach: User, query: Query, filters: Filters
) -> tuple[list[_Candidate], list[int], int, int]:
    """Groups holding every item, and for ranking: each item's groups, all groups, all terms.

    Rarity is measured over the coach's whole index (filters only choose what is shown), so
    all of it is scanned in memory; only the matching sessions are then read from the
    database, where the filters apply to them as they are now.
    """
    view = index_for(coach.id)
    needles = query.needles
    df = [0] * len(needles)
    names = _names(view.profiles.values())
    sessions, length_s = _scan(view.sessions.values(), needles, df, names)
    profiles, length_p = _scan(view.profiles.values(), needles, df)
    scope = len(view.sessions) + len(view.profiles)
    metas = _sessions(coach, filters, [s.session_id for s in sessions if s.session_id])
    by_version = {}
    if filters.section:
        by_version = layouts({m.version_id for m in metas.values() if m.version_id})
    found: list[_Candidate] = []
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
    if not filters.sessions_only:
        found.extend(
            _Candidate(shard, shard.text, shard.length, None)
            for shard in profiles
            if not filters.coachee_id or shard.coachee_id == filters.coachee_id
        )
    return found, df, scope, length_s + length_p


def _bm25(candidate: _Candidate, needles: tuple[str, ...], idf: list[float], avg: float) -> float:
    norm = K1 * (1 - B + B * candidate.length / avg)
    score = 0.0
    for needle, weight in zip(needles, idf, strict=True):
        tf = candidate.text.count(needle)
        score += weight * tf * (K1 + 1) / (tf + norm)
    return score


def search(coach: User, query: Query, filters: Filters, sort: str = "best") -> list[Hit]:
    """Every matching group, sorted; an empty query finds nothing."""
    if not query:
        return []
    found, df, scope, total_length = _candidates(coach, query, filters)
    if not found:
        return []
    idf = [math.log(1 + (scope - n + 0.5) / (n + 0.5)) for n in df]
    avg = max(total_length / max(scope, 1), 1.0)
    profile_dates = _profile_dates(coach, [c.shard.coachee_id for c in found if c.session is None])
    hits = [
        Hit(
            shard=c.shard,
            score=_bm25(c, query.needles, idf, avg),
            coachee_id=c.shard.coachee_id,
            session=c.session,
            text=c.text,
            when=c.session.date if c.session else profile_dates.get(c.shard.coachee_id, date.min),
        )
        for c in found
    ]
    if sort == "newest":
        hits.sort(
            key=lambda h: (h.when, h.session.number if h.session else 0, h.score), reverse=True
        )
    else:
        hits.sort(key=lambda h: (round(h.score, 9), h.when), reverse=True)
    return hits


def _profile_dates(coach: User, coachee_ids: list[int]) -> dict[int, date]:
    """When each coachee's own notes last changed: their place in "newest first"."""
    if not coachee_ids:
        return {}
    rows = Coachee.objects.for_coach(coach).filter(id__in=coachee_ids).values_list("id", "updated")
    return {cid: updated.date() for cid, updated in rows}
