"""A coach's opened shards sealed together, so that a cold start opens one value, not thousands.

Opening every shard on its own (a row, a base64 decode, an AES-GCM open, a zlib stream and a
JSON document each) is what made the first search after a start slow: 375-530 ms of CPU at
3,000 sessions, 1.2-1.6 s at 10,000, against 160-200 ms and 400-530 ms for the whole first
request with one AES-GCM open, one decompression and one ``marshal`` load of the same shards.

What it holds: each shard as the index keeps it in memory (its row id and stamp, session,
coachee, index text and places) and each coachee's names as search shows them. It is only ever
plain text in this process's memory, like the index itself.

Its key: derived (HKDF) from the data keys of every coachee whose words it holds, in the order
``owners`` lists their codes, and a random salt. So it opens only while every one of those keys
exists: erasing a coachee destroys their key, and every copy of the snapshot (an old backup's
too) stops opening with it, as their shards do. No key of its own is made or kept: a key file
made or deleted makes every process forget what it holds in memory (``privacy/memory.py``).

It is never trusted to be current: a shard in it is used only while the shard row with the
same id and stamp still exists (shards are never changed in place: an edit deletes the row and
a new one is built), exactly as a process reuses its own copy after a refresh; the rest is
opened or built from the rows. So an edit needs no write here: the snapshot grows stale and is
taken again at a cold start when more than a tenth of it no longer counts (``index.py``).
Erasing a coachee or handing one over deletes the row at once (``signals.py``), and a snapshot
is stored only under the coach's generation row lock and only if the generation is the one its
shards were read at, so one built from shards read before an erasure is never stored after it.
"""

from __future__ import annotations

import logging
import marshal
import os
import zlib
from uuid import UUID

from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.db import IntegrityError, transaction
from django.db.models import F

from debrief.lib.sealing import KEY_BYTES, open_bytes, seal_bytes
from debrief.privacy.keystore import KeyError_, keystore
from debrief.search.models import SearchGeneration, SearchSnapshot

logger = logging.getLogger(__name__)

FORMAT = 2  # 2: shards in compressed chunks
LEVEL = 1  # zlib's fastest: 4x smaller than the shards' text, and opens at the same speed
# Shards per compressed chunk: opened one at a time, so a cold start never holds the whole
# index's text twice (peak RSS at 10,000 sessions: 99 MB as one value, see the commit).
CHUNK = 500

# A shard as ``index.Shard`` holds it: id (a stored shard's: never None here), stamp, session,
# coachee, index text, places, length.
ShardRow = tuple[int | None, int, int | None, int, str, str, int]
PersonRow = tuple[int, str, str, str]  # coachee id, code, display name, names


def _aad(coach_id: int, epoch: UUID) -> bytes:
    return f"search_searchsnapshot|{coach_id}|{epoch.hex}".encode()


def _key(owners: list[UUID], salt: bytes, aad: bytes) -> bytes:
    """The snapshot's key: ``KeyError_`` if any owner's data key is gone (erased)."""
    material = b"".join(keystore().data_key(code) for code in owners)
    return HKDF(algorithm=SHA256(), length=KEY_BYTES, salt=salt, info=aad).derive(material)


def _owners(text: str) -> list[UUID]:
    return [UUID(hex=code) for code in text.split()]


def read(coach_id: int, epoch: UUID) -> tuple[list[ShardRow], list[PersonRow]] | None:
    """The coach's snapshot, opened; None if there is none or it does not open."""
    found = (
        SearchSnapshot.objects.filter(coach_id=coach_id)
        .values_list("owners", "salt", "sealed")
        .first()
    )
    if found is None:
        return None
    owners, salt, sealed = found
    del found  # each stage's buffer goes before the next is made: they add to the peak memory
    aad = _aad(coach_id, epoch)
    try:
        key = _key(_owners(owners), bytes(salt), aad)
        data = open_bytes(key, bytes(sealed), aad)
        del sealed
        version, chunks, people = marshal.loads(data)  # noqa: S302 - authenticated above
        del data
        shards = []
        while chunks:  # one chunk's text at a time beside the shards made so far
            shards.extend(marshal.loads(zlib.decompress(chunks.pop())))  # noqa: S302
    except (KeyError_, ValueError, TypeError, EOFError, zlib.error) as error:
        logger.warning("search: coach %s's snapshot does not open (%s)", coach_id, error)
        return None
    if version != FORMAT:
        return None
    return shards, people


def write(
    coach_id: int,
    epoch: UUID,
    generation: int,
    owners: list[UUID],
    shards: list[ShardRow],
    people: list[PersonRow],
) -> bool:
    """Store the coach's snapshot if the generation is still ``generation``; whether it was.

    ``owners``: the codes of every coachee whose words ``shards`` and ``people`` hold.
    """
    salt = os.urandom(16)
    aad = _aad(coach_id, epoch)
    try:
        key = _key(owners, salt, aad)
    except KeyError_:
        return False
    chunks = [
        zlib.compress(marshal.dumps(shards[start : start + CHUNK]), LEVEL)
        for start in range(0, len(shards), CHUNK)
    ]
    sealed = seal_bytes(key, marshal.dumps((FORMAT, chunks, people)), aad)
    try:
        with transaction.atomic():
            unchanged = SearchGeneration.objects.filter(coach_id=coach_id, value=generation).update(
                value=F("value")
            )  # takes the row's lock: an erasure waits, or came first
            if not unchanged:
                return False
            SearchSnapshot.objects.update_or_create(
                coach_id=coach_id,
                defaults={
                    "generation": generation,
                    "shards": len(shards),
                    "owners": " ".join(code.hex for code in owners),
                    "salt": salt,
                    "sealed": sealed,
                },
            )
    except IntegrityError:  # another process took the first snapshot at the same moment
        return False
    return True


def shred(coach_id: int) -> None:
    """Delete the coach's snapshot (an erasure or a hand-over: it holds words now gone)."""
    SearchSnapshot.objects.filter(coach_id=coach_id).delete()
