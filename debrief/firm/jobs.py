"""Scheduled: work the firm's report out ahead of time, so no administrator waits for it."""

from __future__ import annotations

from datetime import datetime, timedelta

from debrief.firm import reports
from debrief.firm.models import Membership
from debrief.jobs.registry import job


# Every half hour, within the cache's hour: the cached months and credential progress are
# renewed before they lapse (in the process that runs the job: `manage.py serve`'s scheduler).
@job("firm_report", every=timedelta(minutes=30))
def firm_report(now: datetime) -> str:
    # A coach alone on a laptop has no firm to report on: nothing to do every half hour.
    if Membership.objects.filter(coach=True, user__is_active=True).count() < 2:
        return "fewer than two coaches: no firm report to work out"
    report = reports.build(refresh=True)
    return f"report worked out for {len(report.coaches)} coaches"
