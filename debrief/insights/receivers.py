"""Insights' stores in memory, registered with the one registry that forgets them.

Drawn charts may name a coachee or their goal, and the theme index holds terms from their
notes: neither may outlive an erasure, in this process or any other. ``privacy/memory.py``
forgets both when a coachee is erased here, and in every other process at its next request
once the erasure has committed (see docs/architecture.md, "What is kept in memory").
"""

from __future__ import annotations

from debrief.insights import charts, themes
from debrief.privacy import memory

memory.register(
    "insights.themes",
    forget_all=themes.forget,
    forget_coachee=lambda who: themes.forget_coach(who.coach_id),
    forget_coach=themes.forget_coach,
    holds="the terms of each reflection's answers, per coach",
)
memory.register(
    "insights.charts",
    forget_all=charts.forget,
    holds="the last charts drawn (SVG), which may name a coachee or a goal",
)
