"""Scheduled: a daily backup into DEBRIEF_BACKUP_DIR, and its own old backups deleted."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings

from debrief.backup.make import default_name, make_backup
from debrief.jobs.registry import job

SCHEDULED_PREFIX = "debrief-scheduled-"


def _prune(folder: Path, now: datetime) -> int:
    """Delete the job's own backups older than DEBRIEF_BACKUP_KEEP_DAYS; how many went."""
    oldest = now.timestamp() - settings.DEBRIEF_BACKUP_KEEP_DAYS * 86400
    removed = 0
    for path in folder.glob(f"{SCHEDULED_PREFIX}*"):
        if path.is_file() and path.stat().st_mtime < oldest:
            path.unlink()
            removed += 1
    return removed


@job("backup", every=timedelta(days=1), lease=timedelta(minutes=30))
def scheduled_backup(now: datetime) -> str:
    if not settings.DEBRIEF_BACKUP_DIR:
        return "off: DEBRIEF_BACKUP_DIR is not set"
    folder = Path(settings.DEBRIEF_BACKUP_DIR).expanduser()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = SCHEDULED_PREFIX + default_name().removeprefix("debrief-")
    made = make_backup(folder / name, started_by="scheduled")
    removed = _prune(folder, now)
    return f"{made.run.size_bytes} bytes, {made.run.rows} rows; {removed} older removed"
