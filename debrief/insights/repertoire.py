"""The coach's repertoire: each technique used, how often, with whom, and how well it worked."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from debrief.insights.scope import Scope
from debrief.insights.stats import MIN_FOR_TREND, trend_from_sums
from debrief.techniques.models import Technique, TechniqueUse

# A technique needs this many rated uses before it is called one that works or one to practise.
MIN_RATED = 2
WORKS_AT = 4.0  # mean effectiveness (1-5) from which a technique "works for you"
PRACTISE_BELOW = 3.0


@dataclass
class NotedUse:
    effectiveness: int
    date: date
    session_code: str
    use_id: int
    use: TechniqueUse | None = None  # loaded, and its note opened, only if shown

    @property
    def note(self) -> str:
        return self.use.note if self.use is not None else ""


@dataclass
class TechniqueRow:
    technique_id: int
    technique: Technique | None = None
    uses: int = 0
    coachee_ids: set[int] = field(default_factory=set)
    rated: int = 0
    total: int = 0  # of the ratings
    weighted: int = 0  # of each rating times its place in session order (for the trend)
    best: NotedUse | None = None
    worst: NotedUse | None = None
    names: list[str] = field(default_factory=list)  # the coachees, by display name

    @property
    def name(self) -> str:
        return self.technique.name if self.technique is not None else ""

    @property
    def coachees(self) -> int:
        return len(self.coachee_ids)

    @property
    def mean(self) -> float | None:
        return round(self.total / self.rated, 1) if self.rated else None

    @cached_property
    def trend(self) -> str:
        return trend_from_sums(self.rated, self.total, self.weighted)


@dataclass
class Repertoire:
    rows: list[TechniqueRow]

    @cached_property
    def works(self) -> list[TechniqueRow]:
        """Techniques that work for the coach: a high mean over enough rated uses, best first."""
        good = [r for r in self.rows if r.rated >= MIN_RATED and (r.mean or 0) >= WORKS_AT]
        return good[:5]

    @cached_property
    def practise(self) -> list[TechniqueRow]:
        """Low means, or falling: weakest first."""
        weak = [
            r
            for r in self.rows
            if r.rated >= MIN_RATED
            and ((r.mean or 0) < PRACTISE_BELOW or (r.trend == "falling" and r not in self.works))
        ]
        return sorted(weak, key=lambda r: (r.mean or 0, -r.uses))[:5]

    @property
    def min_for_trend(self) -> int:
        return MIN_FOR_TREND


def _noted(found: tuple[Any, ...] | None) -> NotedUse | None:
    if found is None:
        return None
    effectiveness, _, _, use_id, day, code = found
    return NotedUse(effectiveness, date.fromisoformat(day), code, use_id)


def _sort_key(row: TechniqueRow) -> tuple[float, int, str]:
    return (-(row.mean if row.mean is not None else -1), -row.uses, row.name.casefold())


def _notes(noted: list[NotedUse]) -> None:
    """Load the few uses whose notes the page shows (with what opening a note needs)."""
    uses = TechniqueUse.objects.filter(pk__in=[n.use_id for n in noted]).only(
        "note", "reflection_id", "prompt_key", "technique_id"
    )
    by_id = {u.pk: u for u in uses}
    for n in noted:
        n.use = by_id[n.use_id]


def repertoire(scope: Scope) -> Repertoire:
    """Every technique used in scope, sorted by mean effectiveness (unrated last), then use.

    From the scope's months (``months.py``): their uses, ratings and notes added up.
    """
    found = scope.totals.techniques
    names = {c.pk: c.display_name for c in scope.coachees}
    techniques = Technique.objects.in_bulk(list(found))
    rows: list[TechniqueRow] = []
    shown: list[NotedUse] = []
    for technique_id, t in found.items():
        row = TechniqueRow(technique_id, techniques[technique_id], t.uses)
        row.rated, row.total, row.weighted = t.rated, t.total, t.weighted
        row.coachee_ids = t.coachee_ids
        row.best, row.worst = _noted(t.best), _noted(t.worst)
        row.names = sorted((names.get(i, "") for i in row.coachee_ids), key=str.casefold)
        if row.best and row.worst and row.worst.effectiveness >= row.best.effectiveness:
            row.worst = None  # one note, or all alike: nothing to contrast
        shown += [n for n in (row.best, row.worst) if n is not None]
        rows.append(row)
    _notes(shown)
    return Repertoire(sorted(rows, key=_sort_key))
