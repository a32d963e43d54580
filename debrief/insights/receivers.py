"""Insights' stores in memory, registered with the one registry that forgets them.

The theme index holds terms from coachees' notes: it may not outlive an erasure, in this
process or any other. ``privacy/memory.py`` forgets it when a coachee is erased here, and in
every other process at its next request once the erasure has committed (see
docs/architecture.md, "What is kept in memory").
"""

from __future__ import annotations

from debrief.insights import themes
from debrief.privacy import memory

memory.register(
    "insights.themes",
    forget_all=themes.forget,
    forget_coachee=lambda who: themes.forget_coach(who.coach_id),
    forget_coach=themes.forget_coach,
    holds="the terms of each reflection's answers, per coach",
)
