"""Each body's logs, in the shape that body asks for, as ``Sheet``s (CSV, XLSX and the PDF).

Clients are named only if they agreed to be listed (the coachee's listing consent, as on the
ICF log); anyone else is "Client A", "Client B"... in the order their coaching began.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property

from debrief.accounts.models import User
from debrief.coachees.models import Coachee
from debrief.icflog import log as icf
from debrief.lib.sheets import Cell, Sheet
from debrief.practice.facts import Facts
from debrief.practice.models import (
    ClientFeedback,
    CPDEntry,
    MentoringEntry,
    SupervisionEntry,
    hours_text,
)


def pseudonym(index: int) -> str:
    letters = string.ascii_uppercase
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = letters[rest] + name
    return f"Client {name}"


@dataclass
class ClientRow:
    key: object
    group: bool
    first: date
    last: date
    sessions: int = 0
    minutes: int = 0
    largest: int = 0


@dataclass
class LogData:
    coach: User
    facts: Facts
    coachees: dict[int, Coachee] = field(default_factory=dict)

    @cached_property
    def client_rows(self) -> list[ClientRow]:
        """Every held session (groups of any size), one row per client and kind."""
        rows: dict[tuple[object, bool], ClientRow] = {}
        for s in self.facts.sessions:
            row = rows.setdefault(
                (s.client.key, s.group), ClientRow(s.client.key, s.group, s.date, s.until)
            )
            row.first, row.last = min(row.first, s.date), max(row.last, s.until)
            row.sessions += s.count
            row.minutes += s.minutes
            row.largest = max(row.largest, s.group_size or 0)
        return sorted(rows.values(), key=lambda r: (r.first, str(r.key), r.group))

    @cached_property
    def names(self) -> dict[object, str]:
        found: dict[object, str] = {}
        hidden = 0
        for row in self.client_rows:
            if row.key in found:
                continue
            coachee = self.coachees.get(row.key)  # type: ignore[call-overload]
            if coachee is not None and coachee.icf_log_listing:
                found[row.key] = coachee.name
            else:
                found[row.key] = pseudonym(hidden)
                hidden += 1
        return found

    def name_of(self, coachee_id: int | None) -> str:
        if coachee_id is None:
            return "Anonymous"
        return self.names.get(coachee_id) or (
            self.coachees[coachee_id].name
            if coachee_id in self.coachees and self.coachees[coachee_id].icf_log_listing
            else "A client not listed by name"
        )

    def organisation(self, key: object) -> str:
        coachee = self.coachees.get(key)  # type: ignore[call-overload]
        return coachee.organisation if coachee is not None else ""


def _trim(value: Decimal) -> Decimal:
    return Decimal(hours_text(value))


def hours(minutes: int) -> Decimal:
    return icf.hours(minutes)


def _kind(group: bool) -> str:
    return "Group" if group else "Individual"


def icf_client_log(data: LogData) -> Sheet:
    return icf.sheet(data.facts.log)


def icf_cce_log(data: LogData) -> Sheet:
    rows: list[tuple[Cell, ...]] = []
    for e in CPDEntry.objects.for_coach(data.coach).order_by("date"):
        kind = "Resource Development" if e.category == "resource" else "Core Competencies"
        rows.append(
            (
                e.date,
                e.title,
                e.provider,
                kind,
                "Yes" if e.category == "ethics" else "",
                _trim(e.hours),
            )
        )
    header = ("Date", "Activity", "Provider", "CCE Type", "Ethics", "CCE Units")
    return Sheet("CCE log", header, rows, (12, 40, 28, 22, 8, 10))


def icf_mentor_log(data: LogData) -> Sheet:
    rows: list[tuple[Cell, ...]] = [
        (
            e.mentor,
            e.mentor_email,
            e.get_mentor_credential_display(),
            e.date,
            e.get_mode_display(),
            _trim(e.hours),
        )
        for e in MentoringEntry.objects.for_coach(data.coach).order_by("date")
    ]
    header = (
        "Mentor Name",
        "Mentor Email",
        "Mentor Credential",
        "Date",
        "One to one/Group",
        "Hours",
    )
    return Sheet("Mentor coaching log", header, rows, (28, 30, 18, 12, 16, 8))


def emcc_client_hours(data: LogData) -> Sheet:
    rows: list[tuple[Cell, ...]] = [
        (
            data.names[r.key],
            data.organisation(r.key),
            _kind(r.group),
            (r.largest or None) if r.group else None,
            r.first,
            r.last,
            r.sessions,
            hours(r.minutes),
        )
        for r in data.client_rows
    ]
    header = (
        "Client",
        "Sponsor",
        "Individual/Group",
        "Number in Group",
        "Start Date",
        "End Date",
        "Sessions",
        "Hours",
    )
    return Sheet("Client hours summary", header, rows, (24, 30, 16, 16, 12, 12, 10, 8))


def supervision_log(data: LogData) -> Sheet:
    rows: list[tuple[Cell, ...]] = [
        (e.date, e.supervisor, e.get_mode_display(), _trim(e.hours), e.themes, e.learning)
        for e in SupervisionEntry.objects.for_coach(data.coach).order_by("date")
    ]
    header = ("Date", "Supervisor", "One to one/Group", "Hours", "Themes", "Learning")
    return Sheet("Supervision log", header, rows, (12, 24, 16, 8, 50, 60))


def cpd_log(data: LogData) -> Sheet:
    rows: list[tuple[Cell, ...]] = [
        (e.date, e.title, e.provider, _trim(e.hours), e.get_category_display(), e.learning)
        for e in CPDEntry.objects.for_coach(data.coach).order_by("date")
    ]
    header = ("Date", "Title", "Provider", "Hours", "Category", "What I learned")
    return Sheet("CPD log", header, rows, (12, 40, 28, 8, 26, 60))


def learning_log(data: LogData) -> Sheet:
    """What the coach took from CPD and supervision, by date (EMCC's learning log)."""
    found: list[tuple[date, str, str]] = []
    for e in CPDEntry.objects.for_coach(data.coach).exclude(learning=""):
        found.append((e.date, f"CPD: {e.title} ({e.provider})", e.learning))
    for s in SupervisionEntry.objects.for_coach(data.coach):
        if s.learning:
            found.append((s.date, f"Supervision with {s.supervisor}", s.learning))
    found.sort(key=lambda row: row[0])
    rows: list[tuple[Cell, ...]] = list(found)
    return Sheet("Learning log", ("Date", "Where from", "What I learned"), rows, (12, 40, 80))


def feedback_record(data: LogData) -> Sheet:
    entries = (
        ClientFeedback.objects.for_coach(data.coach).select_related("coachee").order_by("date")
    )
    rows: list[tuple[Cell, ...]] = [(e.date, data.name_of(e.coachee_id), e.text) for e in entries]
    return Sheet("Client feedback record", ("Date", "Client", "Feedback"), rows, (12, 24, 80))


def ac_experience_log(data: LogData) -> Sheet:
    executive = data.facts.executive
    found = [
        (
            data.organisation(r.key) or "(no organisation)",
            data.names[r.key],
            r.first,
            r.last,
            "Team" if r.group else "Individual",
            "Yes" if r.key in executive else "No",
            r.sessions,
            hours(r.minutes),
        )
        for r in data.client_rows
    ]
    found.sort(key=lambda row: (str(row[0]).casefold(), row[2]))
    header = (
        "Organisation",
        "Client",
        "Start Date",
        "End Date",
        "Individual/Team",
        "Executive Coaching",
        "Sessions",
        "Hours",
    )
    rows: list[tuple[Cell, ...]] = list(found)
    return Sheet("Coaching experience log", header, rows, (30, 24, 12, 12, 16, 18, 10, 8))


@dataclass(frozen=True)
class LogSpec:
    slug: str
    title: str
    build: Callable[[LogData], Sheet]


LOGS: dict[str, tuple[LogSpec, ...]] = {
    "icf": (
        LogSpec("client-log", "Client coaching log", icf_client_log),
        LogSpec("cce", "CCE log", icf_cce_log),
        LogSpec("mentor-coaching", "Mentor coaching log", icf_mentor_log),
    ),
    "emcc": (
        LogSpec("client-hours", "Client hours summary", emcc_client_hours),
        LogSpec("supervision", "Supervision log", supervision_log),
        LogSpec("cpd", "CPD log", cpd_log),
        LogSpec("learning", "Learning log", learning_log),
        LogSpec("feedback", "Client feedback record", feedback_record),
    ),
    "ac": (
        LogSpec("experience", "Coaching experience log", ac_experience_log),
        LogSpec("supervision", "Supervision log and learning record", supervision_log),
    ),
}


def log_data(coach: User, facts: Facts) -> LogData:
    coachees = {c.pk: c for c in Coachee.objects.for_coach(coach)}
    return LogData(coach, facts, coachees)
