"""What an insights page looks at: one coach, a date range, maybe one coachee or template."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cached_property
from typing import TYPE_CHECKING, Any, NamedTuple

from django import forms
from django.db.models import QuerySet

from debrief.accounts.models import User
from debrief.coachees.models import Coachee
from debrief.insights import summaries
from debrief.insights.summaries import Figures, Ratings, Uses
from debrief.journal.models import CoachingSession
from debrief.lib.forms import LongSelect
from debrief.prompts.models import ReflectionTemplate

if TYPE_CHECKING:
    from debrief.insights.months import Totals


class HeldSession(NamedTuple):
    """What insights need of one held session, read once per page as plain values."""

    id: int
    reflection_id: int
    code: str
    coachee_id: int
    number: int
    date: date
    start_time: time | None
    duration_minutes: int
    completed_at: datetime | None
    template_version_id: int
    created: datetime  # when the session was entered (back-filled ones, see journal.practice)


@dataclass(frozen=True)
class Scope:
    coach: User
    today: date
    start: date | None = None
    end: date | None = None
    coachee: Coachee | None = None
    template: ReflectionTemplate | None = None
    known_coachees: tuple[Coachee, ...] | None = None  # when the caller has them already

    @property
    def last_day(self) -> date:
        """Held sessions only: nothing after today, whatever the range says."""
        return min(self.end, self.today) if self.end else self.today

    @property
    def is_filtered(self) -> bool:
        return bool(self.start or self.end or self.coachee or self.template)

    def sessions(self) -> QuerySet[CoachingSession]:
        """The coach's held sessions in scope (the ownership choke point comes first)."""
        qs = CoachingSession.objects.for_coach(self.coach).held(self.last_day)
        if self.start:
            qs = qs.filter(date__gte=self.start)
        if self.coachee is not None:
            qs = qs.filter(coachee=self.coachee)
        if self.template is not None:
            qs = qs.filter(reflection__template_version__template=self.template)
        return qs

    @cached_property
    def held(self) -> list[HeldSession]:
        """The held sessions in scope, oldest first: one query, shared by every section."""
        return self._read[0]

    @cached_property
    def ratings(self) -> dict[int, Ratings]:
        """Each held session's ratings, (prompt key, rating) per reflection id (its summary)."""
        return self._read[1]

    @cached_property
    def uses(self) -> dict[int, Uses]:
        """Each held session's technique uses, per reflection id (its summary)."""
        return self._read[2]

    @cached_property
    def _read(self) -> tuple[list[HeldSession], dict[int, Ratings], dict[int, Uses]]:
        rows = (
            self.sessions()
            .order_by("date", "number", "id")
            .values_list(
                "id",
                "reflection__id",
                "code",
                "coachee_id",
                "number",
                "date",
                "start_time",
                "duration_minutes",
                "reflection__completed_at",
                "reflection__template_version_id",
                "created",
                "reflection__summary__figures",
            )
        )
        held: list[HeldSession] = []
        found: dict[int, Figures] = {}
        missing: list[int] = []
        for row in rows:
            session = HeldSession(row[0], row[1], str(row[2]), *row[3:11])
            held.append(session)
            if row[11] is None:  # new, written in bulk, or changed since: built below
                missing.append(session.reflection_id)
            else:
                found[session.reflection_id] = row[11]
        found.update(summaries.figures(missing))
        # Kept as tuples of plain values, not the decoded JSON: one object per session rather
        # than five, for every section of the page to read.
        ratings = {r: tuple(f["ratings"].items()) for r, f in found.items()}
        uses = {r: tuple(map(tuple, f["uses"])) for r, f in found.items()}
        return held, ratings, uses

    @cached_property
    def totals(self) -> Totals:
        """The scope's totals per month, technique, coachee and goal (``months.py``)."""
        from debrief.insights.months import totals  # months reads scopes: imported late

        return totals(self)

    @cached_property
    def coachees(self) -> list[Coachee]:
        """The coach's coachees, sorted by name in Python (names are encrypted)."""
        if self.known_coachees is not None:
            return list(self.known_coachees)
        return coachees_of(self.coach)

    @cached_property
    def rating_rows(self) -> list[tuple[int, str, int]]:
        """Every rating in scope as (reflection id, prompt key, rating), in no order."""
        return [(r, key, rating) for r, found in self.ratings.items() for key, rating in found]


def coachees_of(coach: User) -> list[Coachee]:
    people = Coachee.objects.for_coach(coach).only(
        "code", "name", "preferred_name", "coach_id", "status"
    )
    return sorted(people, key=lambda c: c.display_name.casefold())


def narrowed(scope: Scope, coachee: Coachee) -> Scope:
    """The same scope for one coachee."""
    return Scope(
        scope.coach,
        scope.today,
        scope.start,
        scope.end,
        coachee,
        scope.template,
        scope.known_coachees,
    )


def templates_used(coach: User) -> list[ReflectionTemplate]:
    return list(
        ReflectionTemplate.objects.filter(versions__reflection__coach=coach)
        .distinct()
        .order_by("name")
    )


class FilterForm(forms.Form):
    """The page's filters (GET). Anything that does not fit is reported and left out."""

    start = forms.DateField(required=False, label="From", widget=forms.DateInput({"type": "date"}))
    end = forms.DateField(required=False, label="To", widget=forms.DateInput({"type": "date"}))
    coachee = forms.ChoiceField(required=False, label="Coachee", widget=LongSelect)
    template = forms.ChoiceField(required=False, label="Template", widget=LongSelect)

    def __init__(
        self, data: Any, coachees: list[Coachee], templates: list[ReflectionTemplate]
    ) -> None:
        super().__init__(data)
        self.coachees = {str(c.code): c for c in coachees}
        self.templates = {str(t.code): t for t in templates}
        coachee_field, template_field = self.fields["coachee"], self.fields["template"]
        assert isinstance(coachee_field, forms.ChoiceField)
        assert isinstance(template_field, forms.ChoiceField)
        coachee_field.choices = [("", "All coachees")] + [
            (code, c.display_name) for code, c in self.coachees.items()
        ]
        template_field.choices = [("", "All templates")] + [
            (code, t.name) for code, t in self.templates.items()
        ]
        self.fields["coachee"].error_messages["invalid_choice"] = (
            "That coachee is not in your list; showing all coachees."
        )
        self.fields["template"].error_messages["invalid_choice"] = (
            "That template is not one you have used; showing all templates."
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", "The end date is before the start date: swap them or change one.")
        return cleaned

    def scope(self, coach: User, today: date) -> Scope:
        """The scope from whatever was valid; an invalid filter is simply not applied."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return Scope(
            coach=coach,
            today=today,
            start=data.get("start"),
            end=data.get("end") if "end" not in self.errors else None,
            coachee=self.coachees.get(data.get("coachee") or ""),
            template=self.templates.get(data.get("template") or ""),
            known_coachees=tuple(self.coachees.values()),
        )
