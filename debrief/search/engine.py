"""Run a search over one coach's index: filter, match every word and phrase, rank.

Matching works on index text (folded, stemmed terms with a space either side), so a term is
found with a plain substring test and a phrase is its terms with single spaces between them.
Every word and phrase must occur in the same session (or in the same coachee's own notes).
Ranking is BM25 over sessions: rarer words weigh more, repeated words count with diminishing
returns, long sessions do not win by length alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

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


@dataclass(frozen=True)
class SessionMeta:
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


def _sessions(coach: User, filters: Filters) -> dict[int, SessionMeta]:
    """The coach's sessions that pass the filters, from the database as it is now."""
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
    rows = qs.values_list(
        "id",
        "date",
        "number",
        "coachee_id",
        "reflection__status",
        "reflection__template_version_id",
    )
    return {row[0]: SessionMeta(*row) for row in rows}


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


def _candidates(
    coach: User, query: Query, filters: Filters
) -> tuple[list[_Candidate], list[int], int, int]:
    """Groups containing every item, how many groups hold each item, the groups and terms seen."""
    view = index_for(coach.id)
    needles = query.needles
    df = [0] * len(needles)
    scope = total_length = 0
    found: list[_Candidate] = []
    pairs: list[tuple[Shard, SessionMeta | None]] = []
    for sid, meta in _sessions(coach, filters).items():
        shard = view.sessions.get(sid)
        if shard is not None:
            pairs.append((shard, meta))
    if not filters.sessions_only:
        for cid, shard in view.profiles.items():
            if not filters.coachee_id or cid == filters.coachee_id:
                pairs.append((shard, None))
    by_version = (
        layouts({m.version_id for _, m in pairs if m and m.version_id}) if filters.section else {}
    )
    for shard, meta in pairs:
        text, length = shard.text, shard.length
        if filters.section and meta is not None:
            text = _in_section(shard, filters.section, by_version.get(meta.version_id or 0))
            length = text.count(" ")
        scope += 1
        total_length += length
        every = True
        for i, needle in enumerate(needles):
            if needle in text:
                df[i] += 1
            else:
                every = False
        if every:
            found.append(_Candidate(shard, text, length, meta))
    return found, df, scope, total_length


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
