"""A record of each backup run: when, how large, how many rows. Never any content."""

from __future__ import annotations

from django.db import models


class BackupRun(models.Model):
    """One `manage.py backup` of the whole installation (not of one coach)."""

    created = models.DateTimeField()
    seconds = models.DecimalField(max_digits=9, decimal_places=2)
    size_bytes = models.PositiveBigIntegerField()
    # {"<app>.<model>": rows}: counts only, so the page can say what the backup held.
    row_counts = models.JSONField(default=dict)
    data_keys = models.PositiveIntegerField(default=0)
    certificates = models.PositiveIntegerField(default=0)
    # The archive's SHA-256, to match a file on a shelf to this record.
    sha256 = models.CharField(max_length=64)
    # "scheduled" or "command": who started it.
    started_by = models.CharField(max_length=20, default="command")

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"Backup of {self.created:%Y-%m-%d %H:%M}"

    @property
    def rows(self) -> int:
        return sum(self.row_counts.values())
