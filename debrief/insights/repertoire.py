"""The coach's repertoire: each technique used, how often, with whom, and how well it worked."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from debrief.insights.scope import Scope
from debrief.insights.stats import MIN_FOR_TREND, mean, trend_word
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
    use: TechniqueUse  # its note is opened only if shown

    @property
    def note(self) -> str:
        return self.use.note


@dataclass
class TechniqueRow:
    technique: Technique
    uses: int = 0
    coachee_ids: set[int] = field(default_factory=set)
    ratings: list[int] = field(default_factory=list)  # in session order
    best: NotedUse | None = None
    worst: NotedUse | None = None
    names: list[str] = field(default_factory=list)  # the coachees, by display name

    @property
    def name(self) -> str:
        return self.technique.name

    @property
    def coachees(self) -> int:
        return len(self.coachee_ids)

    @property
    def mean(self) -> float | None:
        value = mean(self.ratings)
        return None if value is None else round(value, 1)

    @property
    def trend(self) -> str:
        return trend_word(self.ratings)

    @property
    def rated(self) -> int:
        return len(self.ratings)


@dataclass
class Repertoire:
    rows: list[TechniqueRow]

    @property
    def works(self) -> list[TechniqueRow]:
        """Techniques that work for the coach: a high mean over enough rated uses, best first."""
        good = [r for r in self.rows if r.rated >= MIN_RATED and (r.mean or 0) >= WORKS_AT]
        return good[:5]

    @property
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


def _keep_extremes(row: TechniqueRow, noted: NotedUse) -> None:
    # Ties go to the most recent use: it says most about the coach's practice today.
    if row.best is None or noted.effectiveness >= row.best.effectiveness:
        row.best = noted
    if row.worst is None or noted.effectiveness <= row.worst.effectiveness:
        row.worst = noted


def _sort_key(row: TechniqueRow) -> tuple[float, int, str]:
    return (-(row.mean if row.mean is not None else -1), -row.uses, row.name.casefold())


def _uses(scope: Scope) -> list[tuple[TechniqueUse, int, date, str]]:
    """The technique uses in scope, oldest session first, with what the page needs of each."""
    uses = (
        TechniqueUse.objects.for_coach(scope.coach)
        .filter(**scope.session_filter("reflection__session__"))
        .select_related("technique", "reflection__session")
        .only(
            "effectiveness",
            "note",
            "technique__name",
            "reflection__session__code",
            "reflection__session__date",
            "reflection__session__coachee_id",
        )
        .order_by("reflection__session__date", "reflection__session__number", "id")
    )
    return [
        (
            u,
            u.reflection.session.coachee_id,
            u.reflection.session.date,
            str(u.reflection.session.code),
        )
        for u in uses
    ]


def repertoire(scope: Scope, coachee_names: dict[int, str]) -> Repertoire:
    """Every technique used in scope, sorted by mean effectiveness (unrated last), then use."""
    rows: dict[int, TechniqueRow] = {}
    for use, coachee_id, day, session_code in _uses(scope):
        row = rows.setdefault(use.technique_id, TechniqueRow(use.technique))
        row.uses += 1
        row.coachee_ids.add(coachee_id)
        if use.effectiveness is None:
            continue
        row.ratings.append(use.effectiveness)
        if use.__dict__.get("note"):  # sealed or empty: test for a note without opening it
            _keep_extremes(row, NotedUse(use.effectiveness, day, session_code, use))
    for row in rows.values():
        row.names = sorted((coachee_names.get(i, "") for i in row.coachee_ids), key=str.casefold)
        if row.best and row.worst and row.worst.effectiveness >= row.best.effectiveness:
            row.worst = None  # one note, or all alike: nothing to contrast
    return Repertoire(sorted(rows.values(), key=_sort_key))
