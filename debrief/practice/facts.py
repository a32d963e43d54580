"""A coach's practice as plain facts, read once per page: what every body's rules count."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from debrief.icflog import log as icf


@dataclass(frozen=True)
class Dated:
    date: date
    hours: Decimal
    kind: str = ""  # supervision/mentoring: the mode; CPD: the ICF category
    flag: bool = False  # mentoring: one to one; CPD: coach-specific training
    credential: str = ""  # mentoring: the mentor's credential


@dataclass
class Facts:
    today: date
    log: icf.Log  # the ICF log (held sessions, as the ICF counts them)
    sessions: list[icf.Session] = field(default_factory=list)  # every held session
    executive: frozenset[object] = frozenset()  # client keys marked as executive coaching
    supervision: list[Dated] = field(default_factory=list)
    mentoring: list[Dated] = field(default_factory=list)
    cpd: list[Dated] = field(default_factory=list)
    feedback: list[date] = field(default_factory=list)
    reflections: list[date] = field(default_factory=list)  # completed, by day (the last year)
    reflections_total: int = 0
    first_practised: date | None = None
    training_hours: Decimal = Decimal(0)

    @property
    def all_hours(self) -> Decimal:
        """Every held hour, groups of any size included, and the hours before Debrief."""
        return self.log.total_hours + Decimal(self.log.too_large_minutes) / 60

    @property
    def executive_hours(self) -> Decimal:
        minutes = sum(s.minutes for s in self.sessions if s.client.key in self.executive)
        return Decimal(minutes) / 60

    @property
    def practising_since(self) -> date | None:
        if self.first_practised:
            return self.first_practised
        return min((s.date for s in self.sessions), default=None)
