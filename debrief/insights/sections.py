"""What other apps' pages show of insights (the coachee page's progress section)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from debrief.accounts.models import User
from debrief.coachees.models import Coachee
from debrief.insights.progress import coachee_progress
from debrief.insights.scope import Scope


def coachee_section(coach: User, coachee: Coachee) -> dict[str, Any]:
    """What the coachee page shows of insights: engagement, all time (goals have their panel)."""
    scope = Scope(coach, timezone.localdate(), coachee=coachee, known_coachees=(coachee,))
    progress = coachee_progress(scope, coachee, goals=False)
    return {
        "progress": progress,
        "engagement_chart": progress.engagement_chart() if progress.engagement else "",
    }
