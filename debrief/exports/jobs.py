from __future__ import annotations

from datetime import datetime, timedelta

from debrief.exports.dossier_jobs import sweep
from debrief.jobs.registry import job


@job("dossier_jobs", every=timedelta(minutes=5))
def sweep_dossier_jobs(now: datetime) -> str:
    """Dossiers drawn but never downloaded, deleted with their sealed PDF (dossier_jobs.KEEP)."""
    return f"{sweep(now)} expired dossier jobs deleted"
