"""The per-coach search index: sealed shards at rest, an up-to-date copy in process memory.

Why shards sealed with each coachee's data key (and not one index under a per-coach key):
erasing a coachee destroys their data key, so every copy of their shards, in old database
backups included, becomes unreadable with the rest of their notes; a per-coach key would
outlive the erasure and keep their words readable in any backup of the index. ``rotate_keys``
re-wraps data keys without changing them, so shards stay valid across a rotation.

Freshness: every change to indexed text moves the coach's generation on and then deletes the
affected shard, inside the writer's transaction (``signals.py``). A search reads the generation
first; if its copy in memory was made at another generation it re-reads the list of shards,
loads the ones it does not have, and builds the missing ones from the coach's rows. A built
shard is saved only if the generation is still the one read before the rows were read (checked
under the generation row's lock), so a shard built from text that changed meanwhile is never
stored: the next search builds it again.

In memory, each view also carries the postings of its shards (``postings.py``: for each term,
the shards holding it, built from the opened shards and never stored) and each coachee's names,
opened once per index; a refresh reuses both for every shard that did not change.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import zlib
from dataclasses import dataclass, field
from functools import cached_property
from uuid import UUID

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from debrief.coachees.models import Coachee
from debrief.journal.models import CoachingSession
from debrief.lib import sealing
from debrief.lib.sealing import SealError, open_bytes, parse, seal_bytes
from debrief.privacy import memory
from debrief.privacy.keystore import KeyError_, keystore
from debrief.search import snapshot
from debrief.search.documents import Doc, profile_documents, session_documents
from debrief.search.models import SearchGeneration, SearchShard
from debrief.search.postings import MERGE_AT, Postings

logger = logging.getLogger(__name__)

FORMAT = 1
CHUNK = 400  # sessions built or shards loaded per query: bounds the memory of a cold start
IDLE_SECONDS = 15 * 60  # an index nobody searched for this long leaves memory


@dataclass(frozen=True)
class Shard:
    """One session's (or one coachee's own) documents, in search form."""

    id: int | None  # None: built in this process but not stored (it will be rebuilt)
    stamp: int
    session_id: int | None
    coachee_id: int
    text: str  # each document's index text, joined by newlines
    refs: str  # each document's "kind|ref", joined by newlines, in the same order
    length: int  # number of terms, for ranking

    def documents(self) -> list[tuple[str, str, str]]:
        """(kind, ref, index text) of each document."""
        kinds_refs = [r.partition("|") for r in self.refs.split("\n")] if self.refs else []
        texts = self.text.split("\n") if self.text else []
        return [(k, r, t) for (k, _, r), t in zip(kinds_refs, texts, strict=True)]


def _make_shard(
    id_: int | None, stamp: int, session_id: int | None, coachee_id: int, docs: list[Doc]
) -> Shard:
    text = "\n".join(d[2] for d in docs)
    return Shard(
        id=id_,
        stamp=stamp,
        session_id=session_id,
        coachee_id=coachee_id,
        text=text,
        refs="\n".join(f"{d[0]}|{d[1]}" for d in docs),
        length=text.count(" ") - len(docs),
    )


@dataclass(frozen=True)
class Person:
    """A coachee as search shows and matches them, opened once per index (not per search)."""

    code: str
    display_name: str
    names: str  # their name and preferred name in index form, for "priya confidence"


@dataclass(frozen=True)
class IndexView:
    """A consistent copy of one coach's index; a refresh makes a new one, never edits this."""

    generation: int
    sessions: dict[int, Shard]
    profiles: dict[int, Shard]
    postings: Postings = field(default_factory=Postings)
    people: dict[int, Person] = field(default_factory=dict)  # by coachee id
    length: int = 0  # terms in every shard, for ranking

    @cached_property
    def coachees(self) -> dict[str, tuple[int, str]]:
        """The coachees by code: (id, name), sorted by name, once per view (not per search)."""
        found = sorted(
            ((p.code, (cid, p.display_name)) for cid, p in self.people.items()),
            key=lambda item: item[1][1].casefold(),
        )
        return dict(found)


@dataclass
class _Entry:
    epoch: UUID
    view: IndexView = field(default_factory=lambda: IndexView(0, {}, {}))
    used: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


_entries: dict[int, _Entry] = {}
_entries_lock = threading.Lock()


# --- sealing -----------------------------------------------------------------------------------


def _aad(coach_id: int, coachee: UUID, session_id: int | None) -> bytes:
    # Bound to its coach, coachee and session: a shard copied to another row does not open.
    place = str(session_id) if session_id is not None else "profile"
    return f"search_searchshard|{coach_id}|{coachee.hex}|{place}".encode()


def seal_documents(coach_id: int, coachee: UUID, session_id: int | None, docs: list[Doc]) -> str:
    """``v2.<coachee key id>.<AES-GCM of the zlib-compressed JSON documents>`` (``sealing.token``).

    Compressed first: a coach's index is about a third of the size in the database and reads
    back faster. (Compression before encryption only reveals how repetitive the text is, which
    the coach alone writes; no outsider can mix text of their own into a shard.)
    """
    payload = json.dumps({"format": FORMAT, "docs": docs}, separators=(",", ":"))
    key = keystore().data_key(coachee)  # made with the coachee's first sealed value
    sealed = seal_bytes(key, zlib.compress(payload.encode()), _aad(coach_id, coachee, session_id))
    return sealing.token(coachee.hex, sealed)


def open_documents(coach_id: int, coachee: UUID, session_id: int | None, token: str) -> list[Doc]:
    _, key_name, sealed = parse(token)
    if key_name != coachee.hex:
        raise SealError("this shard is not sealed with its coachee's key")
    aad = _aad(coach_id, coachee, session_id)
    try:
        data = zlib.decompress(open_bytes(keystore().data_key(coachee), sealed, aad))
    except zlib.error:
        raise SealError("shard does not decompress") from None
    payload = json.loads(data)
    if payload.get("format") != FORMAT:
        raise SealError("shard in an older format")
    return [(k, r, t) for k, r, t in payload["docs"]]  # JSON strings already


# --- generation --------------------------------------------------------------------------------


def _generation(coach_id: int) -> tuple[UUID, int]:
    found = SearchGeneration.objects.filter(coach_id=coach_id).values_list("epoch", "value").first()
    if found is None:
        row, _ = SearchGeneration.objects.get_or_create(coach_id=coach_id)
        return row.epoch, row.value
    return found


def bump(coach_id: int) -> None:
    """Move the coach's generation on: every process's copy of their index is now out of date.

    Called inside the writer's transaction, before the affected shards are deleted.
    """
    if SearchGeneration.objects.filter(coach_id=coach_id).update(value=F("value") + 1):
        return
    _, created = SearchGeneration.objects.get_or_create(coach_id=coach_id, defaults={"value": 2})
    if not created:  # made by a search in between: move it on all the same
        SearchGeneration.objects.filter(coach_id=coach_id).update(value=F("value") + 1)


# --- building and loading ----------------------------------------------------------------------


@dataclass
class _Places:
    """The coach's sessions and coachees as they are now (codes for keys and sealing)."""

    sessions: dict[int, int]  # session id -> coachee id
    coachees: dict[int, UUID]  # coachee id -> code (which names the data key)

    @classmethod
    def of(cls, coach_id: int) -> _Places:
        coachees = dict(Coachee.objects.filter(coach_id=coach_id).values_list("id", "code"))
        sessions = dict(
            CoachingSession.objects.filter(coach_id=coach_id).values_list("id", "coachee_id")
        )
        return cls(sessions=sessions, coachees=coachees)


def _load(
    coach_id: int, ids: list[int], places: _Places
) -> tuple[dict[int, Shard], dict[int, Shard]]:
    sessions: dict[int, Shard] = {}
    profiles: dict[int, Shard] = {}
    for start in range(0, len(ids), CHUNK):
        rows = SearchShard.objects.filter(coach_id=coach_id, id__in=ids[start : start + CHUNK])
        for id_, stamp, sid, cid, token in rows.values_list(
            "id", "stamp", "session_id", "coachee_id", "sealed"
        ):
            if cid not in places.coachees or (sid is not None and sid not in places.sessions):
                continue  # deleted since the list was read
            try:
                docs = open_documents(coach_id, places.coachees[cid], sid, token)
            except (SealError, KeyError_, ValueError) as error:
                logger.warning("search: shard %s does not open (%s); rebuilding it", id_, error)
                SearchShard.objects.filter(id=id_, stamp=stamp).delete()
                continue
            shard = _make_shard(id_, stamp, sid, cid, docs)
            (sessions if sid is not None else profiles)[sid if sid is not None else cid] = shard
    return sessions, profiles


def _persist(coach_id: int, generation: int, rows: list[SearchShard]) -> list[int | None]:
    """Store built shards if nothing changed since ``generation`` was read; their ids."""
    try:
        with transaction.atomic():
            unchanged = SearchGeneration.objects.filter(coach_id=coach_id, value=generation).update(
                value=F("value")
            )  # takes the row's lock; 0 if it moved on meanwhile
            if not unchanged:
                return [None] * len(rows)
            return [row.id for row in SearchShard.objects.bulk_create(rows)]
    except IntegrityError:  # another process stored the same shards at this generation
        return [None] * len(rows)


def _store(
    coach_id: int,
    generation: int,
    places: _Places,
    owners: list[tuple[int | None, int]],
    built: list[list[Doc]],
) -> list[Shard]:
    """Seal and store built shards (``owners``: session id or None, coachee id).

    A shard whose coachee's key is missing is kept in memory only (its notes do not open, so
    it holds none of their words), never stored under a key made for the occasion.
    """
    rows, stored_at = [], []
    for i, ((sid, cid), docs) in enumerate(zip(owners, built, strict=True)):
        try:
            token = seal_documents(coach_id, places.coachees[cid], sid, docs)
        except KeyError_:
            continue
        rows.append(
            SearchShard(
                coach_id=coach_id, coachee_id=cid, session_id=sid, stamp=generation, sealed=token
            )
        )
        stored_at.append(i)
    ids: list[int | None] = [None] * len(owners)
    for i, id_ in zip(stored_at, _persist(coach_id, generation, rows), strict=True):
        ids[i] = id_
    return [
        _make_shard(id_, generation, sid, cid, docs)
        for id_, (sid, cid), docs in zip(ids, owners, built, strict=True)
    ]


def _build(
    coach_id: int, generation: int, places: _Places, session_ids: list[int], coachee_ids: list[int]
) -> tuple[dict[int, Shard], dict[int, Shard]]:
    sessions: dict[int, Shard] = {}
    profiles: dict[int, Shard] = {}
    for start in range(0, len(session_ids), CHUNK):
        chunk = session_ids[start : start + CHUNK]
        by_session = session_documents(chunk)
        owners: list[tuple[int | None, int]] = [(sid, places.sessions[sid]) for sid in chunk]
        built = [by_session[sid] for sid in chunk]
        for sid, shard in zip(
            chunk, _store(coach_id, generation, places, owners, built), strict=True
        ):
            sessions[sid] = shard
    for start in range(0, len(coachee_ids), CHUNK):
        chunk = coachee_ids[start : start + CHUNK]
        by_coachee = profile_documents(chunk)
        owners = [(None, cid) for cid in chunk]
        built = [by_coachee[cid] for cid in chunk]
        for cid, shard in zip(
            chunk, _store(coach_id, generation, places, owners, built), strict=True
        ):
            profiles[cid] = shard
    return sessions, profiles


def _refresh(coach_id: int, old: IndexView, generation: int) -> IndexView:
    listed = list(
        SearchShard.objects.filter(coach_id=coach_id).values_list(
            "id", "stamp", "session_id", "coachee_id"
        )
    )
    places = _Places.of(coach_id)
    known = {(s.id, s.stamp): s for s in (*old.sessions.values(), *old.profiles.values())}
    sessions: dict[int, Shard] = {}
    profiles: dict[int, Shard] = {}
    to_load = []
    for id_, stamp, sid, cid in listed:
        shard = known.get((id_, stamp))
        if shard is None:
            to_load.append(id_)
        elif sid is not None:
            sessions[sid] = shard
        else:
            profiles[cid] = shard
    loaded_sessions, loaded_profiles = _load(coach_id, to_load, places)
    sessions.update(loaded_sessions)
    profiles.update(loaded_profiles)
    missing_sessions = [sid for sid in places.sessions if sid not in sessions]
    missing_profiles = [cid for cid in places.coachees if cid not in profiles]
    built_sessions, built_profiles = _build(
        coach_id, generation, places, missing_sessions, missing_profiles
    )
    sessions.update(built_sessions)
    profiles.update(built_profiles)
    # Only what exists now: a shard listed a moment before its session was deleted goes too.
    sessions = {sid: s for sid, s in sessions.items() if sid in places.sessions}
    profiles = {cid: s for cid, s in profiles.items() if cid in places.coachees}
    return _view(generation, sessions, profiles, old)


def _view(
    generation: int, sessions: dict[int, Shard], profiles: dict[int, Shard], old: IndexView
) -> IndexView:
    """The view of these shards, reusing what ``old`` already built for the same shards."""
    every = [*sessions.values(), *profiles.values()]
    return IndexView(
        generation,
        sessions,
        profiles,
        postings=old.postings.update(every),
        people=_people(profiles, old),
        length=sum(s.length for s in every),
    )


def _people(profiles: dict[int, Shard], old: IndexView) -> dict[int, Person]:
    """Each coachee's names: kept from ``old`` where their profile shard is the same."""
    people, to_open = {}, []
    for cid, shard in profiles.items():
        if old.profiles.get(cid) is shard and cid in old.people:
            people[cid] = old.people[cid]
        else:
            to_open.append(cid)
    for start in range(0, len(to_open), CHUNK):
        rows = Coachee.objects.filter(id__in=to_open[start : start + CHUNK]).only(
            "id", "code", "name", "preferred_name"
        )
        for coachee in rows:
            names = [
                t
                for kind, ref, t in profiles[coachee.id].documents()
                if kind == "profile" and "name" in ref
            ]
            people[coachee.id] = Person(str(coachee.code), coachee.display_name, "\n".join(names))
    return people


# --- the snapshot: every shard sealed together, for a cold start -------------------------------


def _from_snapshot(coach_id: int, epoch: UUID) -> IndexView:
    """The coach's snapshot as a view to refresh from (``_refresh`` keeps what is still valid)."""
    found = snapshot.read(coach_id, epoch)
    if found is None:
        return IndexView(0, {}, {})
    rows, people = found
    sessions: dict[int, Shard] = {}
    profiles: dict[int, Shard] = {}
    for row in rows:
        shard = Shard(*row)
        if shard.session_id is None:
            profiles[shard.coachee_id] = shard
        else:
            sessions[shard.session_id] = shard
    return IndexView(
        0,
        sessions,
        profiles,
        people={cid: Person(code, name, names) for cid, code, name, names in people},
    )


def _take_snapshot(coach_id: int, epoch: UUID, old: IndexView, view: IndexView) -> None:
    """Seal ``view`` as the coach's snapshot, unless ``old`` (the snapshot) still nearly fits.

    Taken again when more than a tenth of it (at least ``MERGE_AT`` shards) no longer counts,
    or when it holds a coachee who is no longer the coach's. Only stored shards go in (one
    built but not stored is built again from its rows), and only those of coachees whose data
    keys the snapshot's key is derived from.
    """
    held = {id(s) for s in (*old.sessions.values(), *old.profiles.values())}
    stored = [s for s in (*view.sessions.values(), *view.profiles.values()) if s.id is not None]
    kept = sum(1 for s in stored if id(s) in held)
    changed = (len(stored) - kept) + (len(held) - kept)
    gone = {s.coachee_id for s in old.profiles.values()} - view.profiles.keys()
    if not stored or (held and not gone and changed <= max(MERGE_AT, len(stored) // 10)):
        return
    people = [
        (cid, p.code, p.display_name, p.names)
        for cid, p in view.people.items()
        if cid in view.profiles and view.profiles[cid].id is not None
    ]
    owned = {cid for cid, _, _, _ in people}
    rows = [
        (s.id, s.stamp, s.session_id, s.coachee_id, s.text, s.refs, s.length)
        for s in stored
        if s.coachee_id in owned
    ]
    owners = sorted({UUID(code) for _, code, _, _ in people}, key=lambda code: code.hex)
    snapshot.write(coach_id, epoch, view.generation, owners, rows, people)


# --- the copies in memory ----------------------------------------------------------------------


def _evict(now: float) -> None:
    with _entries_lock:
        idle = [cid for cid, e in _entries.items() if now - e.used > IDLE_SECONDS]
        for cid in idle:
            del _entries[cid]
        while len(_entries) > settings.DEBRIEF_SEARCH_INDEX_COACHES:
            oldest = min(_entries, key=lambda cid: _entries[cid].used)
            del _entries[oldest]


def index_for(coach_id: int) -> IndexView:
    """The coach's index as of now: fresh after any edit, deletion or erasure."""
    memory.used("search.index")
    epoch, generation = _generation(coach_id)
    with _entries_lock:
        entry = _entries.get(coach_id)
        if entry is None or entry.epoch != epoch:
            entry = _entries[coach_id] = _Entry(epoch=epoch)
    with entry.lock:
        if entry.view.generation != generation:
            cold = entry.view.generation == 0  # nothing in memory yet: start from the snapshot
            old = _from_snapshot(coach_id, epoch) if cold else entry.view
            entry.view = _refresh(coach_id, old, generation)
            if cold:
                _take_snapshot(coach_id, epoch, old, entry.view)
        now = entry.used = time.monotonic()
        view = entry.view
    _evict(now)
    return view


def forget(coach_id: int) -> None:
    """Drop this process's copy of a coach's index."""
    with _entries_lock:
        _entries.pop(coach_id, None)


def forget_coachee(coach_id: int, coachee_id: int) -> None:
    """Drop an erased coachee's shards from this process's copy at once (the rest stays)."""
    with _entries_lock:
        entry = _entries.get(coach_id)
    if entry is None:
        return
    with entry.lock:
        old = entry.view
        sessions = {sid: s for sid, s in old.sessions.items() if s.coachee_id != coachee_id}
        profiles = {cid: s for cid, s in old.profiles.items() if cid != coachee_id}
        entry.view = IndexView(
            old.generation,
            sessions,
            profiles,
            postings=old.postings.without(coachee_id),
            people={cid: p for cid, p in old.people.items() if cid != coachee_id},
            length=sum(s.length for s in (*sessions.values(), *profiles.values())),
        )


def forget_all() -> None:
    with _entries_lock:
        _entries.clear()


def cached_text(coach_id: int) -> str:
    """Everything this process holds in memory for a coach (for tests of erasure)."""
    entry = _entries.get(coach_id)
    if entry is None:
        return ""
    view = entry.view
    held = (*view.postings.base.shards, *view.postings.delta.shards)  # the dead too
    shards = (*view.sessions.values(), *view.profiles.values(), *held)
    people = [f"{p.display_name} {p.names}" for p in view.people.values()]
    return "\n".join([*(s.text for s in shards), view.postings.words(), *people])


memory.register(
    "search.index",
    forget_all=forget_all,
    forget_coachee=lambda who: forget_coachee(who.coach_id, who.coachee_id),
    forget_coach=forget,
    holds="each coach's opened search shards, their postings and coachees' names",
)
