"""What is due in a coach's practice, for home and insights: small, plain sentences.

``due_items`` reads the bodies the coach follows: a renewal within ``RENEWAL_NOTICE_DAYS``
(or past), a quarter so far without supervision, and CPD short of 16 hours over the last
12 months. Home calls ``home_due(coach)``: one query for a coach who has not chosen a body,
and a handful of small ones (bodies, CPD, mentoring, supervision; no sessions) for one who has.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from debrief.accounts.models import User
from debrief.icflog.log import months_before, show
from debrief.practice.bodies import Progress
from debrief.practice.facts import Facts
from debrief.practice.models import BodyChoice

RENEWAL_NOTICE_DAYS = 180
CPD_YEAR_HOURS = Decimal(16)


@dataclass(frozen=True)
class Due:
    text: str
    url_name: str  # where to act on it
    urgent: bool = False


def _quarter_start(today: date) -> date:
    return date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)


def due_items(coach: User, facts: Facts, progress: list[Progress]) -> list[Due]:
    found: list[Due] = []
    for p in progress:
        for goal in p.goals:
            if not goal.renewal or goal.by is None:
                continue
            days = (goal.by - facts.today).days
            if days < 0:
                found.append(Due(f"{goal.summary} (the date has passed)", "practice", True))
            elif days <= RENEWAL_NOTICE_DAYS and not goal.met:
                found.append(Due(goal.summary, "practice", days <= 60))
    if progress:
        start = _quarter_start(facts.today)
        if not any(e.date >= start for e in facts.supervision):
            end = months_before(start, -3)
            last_day = date.fromordinal(end.toordinal() - 1)
            found.append(
                Due(
                    f"No supervision yet this quarter (it ends {last_day:%-d %B}).",
                    "entry_new_supervision",
                )
            )
        year_ago = months_before(facts.today, 12)
        cpd = sum((e.hours for e in facts.cpd if e.date > year_ago), Decimal(0))
        if cpd < CPD_YEAR_HOURS:
            found.append(
                Due(
                    f"CPD in the last 12 months: {show(cpd)} of {show(CPD_YEAR_HOURS)} hours.",
                    "entry_new_cpd",
                )
            )
    return found


def home_due(coach: User) -> list[Due]:
    """What is due, without reading sessions: renewals, supervision and CPD need none."""
    if not BodyChoice.objects.for_coach(coach).exists():
        return []
    from debrief.practice.gather import gather, progress_of

    facts = gather(coach, sessions=False)
    return due_items(coach, facts, progress_of(coach, facts))
