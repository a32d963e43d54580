from __future__ import annotations

from django.db import models


class JobState(models.Model):
    """When a scheduled job is next due, and who holds it while it runs (the lease).

    One row per job for the whole installation, shared by every process: a process runs a job
    only after an UPDATE that sets ``lease_until`` matched this row, and the database lets one
    such UPDATE match, so a job runs once however many processes are serving.
    """

    name = models.CharField(max_length=64, primary_key=True)
    next_run = models.DateTimeField()
    lease_until = models.DateTimeField(null=True, blank=True)
    holder = models.CharField(max_length=100, blank=True)
    last_started = models.DateTimeField(null=True, blank=True)
    last_finished = models.DateTimeField(null=True, blank=True)
    # A short summary with counts only (never coachee content), or the error's class name.
    last_outcome = models.CharField(max_length=200, blank=True)
    last_failed = models.BooleanField(default=False)
    runs = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.name
