"""The sealed search index: one shard per session and one per coachee, and a generation.

A shard holds the search form of every text of one session (answers, action items, technique
notes, goal progress notes, action reviews) or of one coachee (their profile and goals),
sealed with that coachee's data key. The generation is a per-coach counter that every change
to indexed text moves on, so each server process knows when its copy in memory is out of date.
See ``debrief/search/index.py``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from debrief.coachees.models import Coachee
from debrief.journal.models import CoachingSession


class SearchShard(models.Model):
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="search_shards"
    )
    # Deleting a coachee (erasure) or a session deletes its shards in the same transaction.
    coachee = models.ForeignKey(Coachee, on_delete=models.CASCADE, related_name="search_shards")
    session = models.ForeignKey(
        CoachingSession,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="search_shards",
    )
    stamp = models.PositiveBigIntegerField()  # the generation it was built at
    sealed = models.TextField()  # v2.<coachee key id>.<AES-GCM>, never plain text

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session"],
                condition=models.Q(session__isnull=False),
                name="one_search_shard_per_session",
            ),
            models.UniqueConstraint(
                fields=["coachee"],
                condition=models.Q(session__isnull=True),
                name="one_search_profile_shard_per_coachee",
            ),
        ]
        indexes = [models.Index(fields=["coach"])]

    def __str__(self) -> str:
        return "Search shard"


class SearchGeneration(models.Model):
    coach = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="search_generation",
    )
    value = models.PositiveBigIntegerField(default=1)
    # A new account that reuses a deleted coach's row id gets a new epoch, so an index kept in
    # memory for the old account can never be taken for the new one's.
    epoch = models.UUIDField(default=uuid.uuid4, editable=False)

    def __str__(self) -> str:
        return "Search generation"


class SearchSnapshot(models.Model):
    """One coach's opened shards, sealed together: a cold start opens this once (``snapshot.py``).

    Its key is derived from the data keys of every coachee whose words it holds (``owners``),
    so erasing any of them (which destroys their key) leaves every copy of it, in an old backup
    too, unopenable, as it does their shards.
    """

    coach = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="search_snapshot",
    )
    generation = models.PositiveBigIntegerField()  # the coach's generation when it was taken
    shards = models.PositiveIntegerField(default=0)  # how many it holds (counts, no content)
    owners = models.TextField()  # the codes of the coachees whose keys its key is derived from
    salt = models.BinaryField()  # random per snapshot: each one has a key of its own
    sealed = models.BinaryField()  # AES-GCM of the compressed shards, never plain text

    def __str__(self) -> str:
        return "Search snapshot"
