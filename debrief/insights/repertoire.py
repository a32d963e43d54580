"""The coach's repertoire: each technique used, how often, with whom, and how well it worked."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from debrief.insights.scope import HeldSession, Scope
from debrief.insights.stats import MIN_FOR_TREND, mean, trend_word
from debrief.techniques.models import Technique, TechniqueUse

# A technique needs this many rated uses before it is called one that works or one to practise.
MIN_RATED = 2
WORKS_AT = 4.0  # mean effectiveness (1-5) from which a technique "works for you"
PRACTISE_BELOW = 3.0

Noted = tuple[int, int, int]  # a rated use with a note: (effectiveness, position, use id)


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
    ratings: list[int] = field(default_factory=list)  # in session order
    best: NotedUse | None = None
    worst: NotedUse | None = None
    names: list[str] = field(default_factory=list)  # the coachees, by display name

    @property
    def name(self) -> str:
        return self.technique.name if self.technique is not None else ""

    @property
    def coachees(self) -> int:
        return len(self.coachee_ids)

    # Cached: read several times by the page, and only asked once the ratings are all in.
    @cached_property
    def mean(self) -> float | None:
        value = mean(self.ratings)
        return None if value is None else round(value, 1)

    @cached_property
    def trend(self) -> str:
        return trend_word(self.ratings)

    @property
    def rated(self) -> int:
        return len(self.ratings)


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


def _extremes(row: TechniqueRow, noted: list[Noted], held: Sequence[HeldSession]) -> None:
    """The best and lowest rated uses with a note; ties go to the most recent use.

    ``noted`` is in session order, so the latest of equals is the largest (position, id): it
    says most about the coach's practice today.
    """
    if not noted:
        return

    def shown(effectiveness: int, at: int, use_id: int) -> NotedUse:
        return NotedUse(effectiveness, held[at].date, held[at].code, use_id)

    row.best = shown(*max(noted))
    row.worst = shown(*max(noted, key=lambda n: (-n[0], n[1], n[2])))


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
    """Every technique used in scope, sorted by mean effectiveness (unrated last), then use."""
    held, uses = scope.held, scope.uses
    coachee_at = [s.coachee_id for s in held]
    # In session order, then by use id: ratings are gathered oldest first, for the trend.
    found = [
        (at, use_id, technique_id, effectiveness, has_note)
        for at, session in enumerate(held)
        for use_id, technique_id, effectiveness, has_note in uses[session.reflection_id]
    ]
    rows: dict[int, TechniqueRow] = {}
    noted: dict[int, list[Noted]] = defaultdict(list)  # (effectiveness, position, use id)
    for at, use_id, technique_id, effectiveness, has_note in found:
        row = rows.get(technique_id)
        if row is None:
            row = rows[technique_id] = TechniqueRow(technique_id)
        row.uses += 1
        row.coachee_ids.add(coachee_at[at])
        if effectiveness is None:
            continue
        row.ratings.append(effectiveness)
        if has_note:
            noted[technique_id].append((effectiveness, at, use_id))
    names = {c.pk: c.display_name for c in scope.coachees}
    techniques = Technique.objects.in_bulk(list(rows))
    shown: list[NotedUse] = []
    for row in rows.values():
        row.technique = techniques[row.technique_id]
        _extremes(row, noted[row.technique_id], held)
        row.names = sorted((names.get(i, "") for i in row.coachee_ids), key=str.casefold)
        if row.best and row.worst and row.worst.effectiveness >= row.best.effectiveness:
            row.worst = None  # one note, or all alike: nothing to contrast
        shown += [n for n in (row.best, row.worst) if n is not None]
    _notes(shown)
    return Repertoire(sorted(rows.values(), key=_sort_key))
