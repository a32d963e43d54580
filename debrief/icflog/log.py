"""The ICF coaching log and credential progress, computed from plain facts (no Django state).

The log follows the ICF's own client coaching log: one row per client and kind (a client
coached one to one and also in a group has an individual row and a group row), the group's
number of people on its row, and group hours counted once, never multiplied by the group's
size. Groups of more than ``GROUP_LIMIT`` people do not count. For the number of clients, each
person in a group counts (the ICF's rule), so a group row counts its number in group.
A session counts once it has ended: a session later today is not held yet.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from uuid import UUID

from debrief.lib.sheets import Cell, Sheet, neutralise, to_csv

__all__ = ["neutralise"]

RECENT_MONTHS = 18
GROUP_LIMIT = 15  # the ICF counts groups of 15 people or fewer
# The ICF client coaching log's columns, in its order.
CSV_HEADER = (
    "Client Name",
    "Contact Information",
    "Individual/Group",
    "Number in Group",
    "Start Date",
    "End Date",
    "Paid Hours",
    "Pro-bono Hours",
)


@dataclass(frozen=True)
class Client:
    key: object  # any hashable identity (the coachee's primary key)
    name: str
    contact: str
    listed: bool  # the coachee consented to be listed by name


Day = date  # the methods of Session see its field ``date``, not the type


@dataclass(frozen=True)
class Session:
    client: Client
    date: date
    minutes: int
    paid: bool
    group_size: int | None = None  # None for an individual session
    group: bool = False
    ends: datetime | None = None  # when it ends, if its start time is known
    # A bundle of like sessions (one client, kind, payment and group size) read in one row:
    # ``date`` is the first, ``last`` the last, ``count`` how many, ``minutes`` their sum.
    last: Day | None = None
    count: int = 1

    @property
    def until(self) -> Day:
        return self.last or self.date

    def held(self, today: Day, now: datetime | None) -> bool:
        if self.date != today or now is None or self.ends is None:
            return self.date <= today
        return self.ends <= now

    @property
    def too_large(self) -> bool:
        return self.group and (self.group_size or 0) > GROUP_LIMIT


@dataclass(frozen=True)
class OpeningLine:
    """A row of the coach's ICF log from before Debrief: a client and kind, or (``client``
    empty) clients not listed by name."""

    client: str
    paid_hours: Decimal
    pro_bono_hours: Decimal
    people: int = 1  # clients the row stands for: each person in a group counts
    contact: str = ""
    group: bool = False
    group_size: int | None = None
    first: date | None = None
    last: date | None = None
    # The stored row's code (to delete it from the log page); None for a line not yet saved.
    code: UUID | None = field(default=None, compare=False)

    @property
    def paid_shown(self) -> str:
        return plain_hours(self.paid_hours)

    @property
    def pro_bono_shown(self) -> str:
        return plain_hours(self.pro_bono_hours)

    @property
    def kind(self) -> str:
        if not self.client:
            return ""
        if not self.group:
            return "Individual"
        return f"Group ({self.group_size})" if self.group_size else "Group"


@dataclass(frozen=True)
class Opening:
    paid_hours: Decimal = Decimal(0)
    pro_bono_hours: Decimal = Decimal(0)
    clients: int = 0
    lines: tuple[OpeningLine, ...] = ()

    @property
    def named(self) -> list[OpeningLine]:
        return [line for line in self.lines if line.client]

    @property
    def unnamed(self) -> list[OpeningLine]:
        return [line for line in self.lines if not line.client]


def plain_hours(value: Decimal) -> str:
    """Hours as the coach typed them: 42.5, 12.25, 20 (never 42.50 or 4E+1)."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def fold_name(text: str) -> str:
    """A client's name as compared: accents, case, spacing and punctuation folded."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", " ", plain.casefold()).strip()


def opening_of_lines(lines: Iterable[OpeningLine]) -> Opening:
    """Hours summed; clients counted as the ICF log does: a person once (by name), each
    person in a group, and the number a row of clients not listed by name says."""
    found = tuple(lines)
    most: dict[str, int] = {}
    unnamed = 0
    for line in found:
        if line.client:
            key = fold_name(line.client)
            most[key] = max(most.get(key, 0), line.people)
        else:
            unnamed += line.people
    return Opening(
        sum((line.paid_hours for line in found), Decimal(0)),
        sum((line.pro_bono_hours for line in found), Decimal(0)),
        sum(most.values()) + unnamed,
        found,
    )


@dataclass
class Row:
    client: Client
    first: date
    last: date
    paid_minutes: int = 0
    pro_bono_minutes: int = 0
    group: bool = False
    largest_group: int | None = None

    @property
    def kind(self) -> str:
        if not self.group:
            return "Individual"
        return f"Group ({self.largest_group})" if self.largest_group else "Group"

    @property
    def people(self) -> int:
        """How many clients the row stands for: each person in a group counts."""
        return (self.largest_group or 1) if self.group else 1

    @property
    def paid_hours(self) -> Decimal:
        return hours(self.paid_minutes)

    @property
    def pro_bono_hours(self) -> Decimal:
        return hours(self.pro_bono_minutes)


@dataclass(frozen=True)
class Requirement:
    label: str  # "hours", "paid hours", "clients", "hours in the last 18 months"
    have: Decimal
    need: Decimal

    @property
    def met(self) -> bool:
        return self.have >= self.need

    @property
    def remaining(self) -> Decimal:
        return max(self.need - self.have, Decimal(0))

    def __str__(self) -> str:
        text = f"{show(self.have)} of {show(self.need)} {self.label}"
        return f"{text}: met" if self.met else f"{text} — {show(self.remaining)} to go"


@dataclass(frozen=True)
class Credential:
    name: str
    requirements: tuple[Requirement, ...]

    @property
    def met(self) -> bool:
        return all(r.met for r in self.requirements)


@dataclass
class Log:
    rows: list[Row]
    unlisted_clients: int
    unlisted_paid_minutes: int
    unlisted_pro_bono_minutes: int
    opening: Opening
    recent_minutes: int
    credentials: list[Credential] = field(default_factory=list)
    unlisted_people: int = 0
    too_large_sessions: int = 0  # group sessions of more than GROUP_LIMIT people, not counted
    too_large_minutes: int = 0

    @property
    def session_paid_minutes(self) -> int:
        return sum(r.paid_minutes for r in self.rows) + self.unlisted_paid_minutes

    @property
    def session_pro_bono_minutes(self) -> int:
        return sum(r.pro_bono_minutes for r in self.rows) + self.unlisted_pro_bono_minutes

    @property
    def paid_hours(self) -> Decimal:
        return Decimal(self.session_paid_minutes) / 60 + self.opening.paid_hours

    @property
    def pro_bono_hours(self) -> Decimal:
        return Decimal(self.session_pro_bono_minutes) / 60 + self.opening.pro_bono_hours

    @property
    def total_hours(self) -> Decimal:
        return self.paid_hours + self.pro_bono_hours

    @property
    def clients(self) -> int:
        return _people(self.rows) + self.unlisted_people + self.opening.clients

    @property
    def recent_hours(self) -> Decimal:
        return Decimal(self.recent_minutes) / 60

    @property
    def unlisted_paid_hours(self) -> Decimal:
        return hours(self.unlisted_paid_minutes)

    @property
    def unlisted_pro_bono_hours(self) -> Decimal:
        return hours(self.unlisted_pro_bono_minutes)


@dataclass(frozen=True)
class Threshold:
    name: str
    hours: int
    paid_hours: int
    clients: int
    recent_hours: int | None  # hours within the last 18 months, if the credential asks


THRESHOLDS = (
    Threshold("ACC", hours=100, paid_hours=75, clients=8, recent_hours=25),
    Threshold("PCC", hours=500, paid_hours=450, clients=25, recent_hours=50),
    Threshold("MCC", hours=2500, paid_hours=2250, clients=35, recent_hours=None),
)


def hours(minutes: int) -> Decimal:
    """Minutes as hours, to one decimal place (half up), as the log shows them."""
    return (Decimal(minutes) / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def show(value: Decimal | int) -> str:
    """A number as people write it: 62.5, 100, 2,500."""
    number = Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number:,}"


def months_before(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last_day))


def _people(rows: Iterable[Row]) -> int:
    """Clients behind rows: a client with an individual and a group row is in that group."""
    most: dict[object, int] = {}
    for r in rows:
        most[r.client.key] = max(most.get(r.client.key, 0), r.people)
    return sum(most.values())


def _add(rows: dict[tuple[object, bool], Row], s: Session) -> None:
    key = (s.client.key, s.group)
    row = rows.get(key)
    if row is None:
        row = rows[key] = Row(client=s.client, first=s.date, last=s.until, group=s.group)
    row.first, row.last = min(row.first, s.date), max(row.last, s.until)
    if s.paid:
        row.paid_minutes += s.minutes
    else:
        row.pro_bono_minutes += s.minutes
    if s.group and s.group_size and (row.largest_group or 0) < s.group_size:
        row.largest_group = s.group_size


def credentials(log: Log) -> list[Credential]:
    found = []
    for t in THRESHOLDS:
        reqs = [
            Requirement("hours", log.total_hours, Decimal(t.hours)),
            Requirement("paid hours", log.paid_hours, Decimal(t.paid_hours)),
            Requirement("clients", Decimal(log.clients), Decimal(t.clients)),
        ]
        if t.recent_hours is not None:
            label = f"hours in the last {RECENT_MONTHS} months"
            reqs.append(Requirement(label, log.recent_hours, Decimal(t.recent_hours)))
        found.append(Credential(t.name, tuple(reqs)))
    return found


def build_log(
    sessions: Iterable[Session], opening: Opening, today: date, now: datetime | None = None
) -> Log:
    """The log of the sessions held by ``now`` (by ``today`` if no time is given).

    A session of today whose end time is still to come is not held yet; one without a start
    time counts from its day.
    """
    held = [s for s in sessions if s.held(today, now)]  # a bundle is of days before today
    too_large = [s for s in held if s.too_large]
    counted = [s for s in held if not s.too_large]
    recent_from = months_before(today, RECENT_MONTHS)
    by_client: dict[tuple[object, bool], Row] = {}
    for s in counted:
        _add(by_client, s)
    listed = [r for r in by_client.values() if r.client.listed]
    unlisted = [r for r in by_client.values() if not r.client.listed]
    log = Log(
        rows=sorted(listed, key=lambda r: (r.first, r.client.name.casefold(), r.group)),
        unlisted_clients=len({r.client.key for r in unlisted}),
        unlisted_paid_minutes=sum(r.paid_minutes for r in unlisted),
        unlisted_pro_bono_minutes=sum(r.pro_bono_minutes for r in unlisted),
        opening=opening,
        # A bundle lies wholly inside or outside the recent months (session_facts splits them).
        recent_minutes=sum(s.minutes for s in counted if s.date >= recent_from),
        unlisted_people=_people(unlisted),
        too_large_sessions=sum(s.count for s in too_large),
        too_large_minutes=sum(s.minutes for s in too_large),
    )
    log.credentials = credentials(log)
    return log


def sheet(log: Log) -> Sheet:
    """The log as the ICF's client coaching log: its columns, one row per client and kind."""
    rows: list[tuple[Cell, ...]] = []
    for r in log.rows:
        rows.append(
            (
                r.client.name,
                r.client.contact,
                "Group" if r.group else "Individual",
                r.largest_group if r.group and r.largest_group else None,
                r.first,
                r.last,
                r.paid_hours,
                r.pro_bono_hours,
            )
        )
    if log.unlisted_clients:
        rows.append(
            (
                _unlisted_label(log.unlisted_clients),
                "",
                "",
                None,
                None,
                None,
                log.unlisted_paid_hours,
                log.unlisted_pro_bono_hours,
            )
        )
    rows.extend(_opening_cells(line) for line in log.opening.lines)
    return Sheet("ICF client coaching log", CSV_HEADER, rows, (28, 30, 16, 16, 12, 12, 12, 14))


def _unlisted_label(n: int) -> str:
    return f"{n} client{'s' if n != 1 else ''} not listed by name"


def _opening_cells(line: OpeningLine) -> tuple[Cell, ...]:
    """A row from before Debrief, as the ICF log has it (and as the import reads it back)."""
    if not line.client:
        label = _unlisted_label(line.people)
        return (label, "", "", None, None, None, line.paid_hours, line.pro_bono_hours)
    return (
        line.client,
        line.contact,
        "Group" if line.group else "Individual",
        line.group_size if line.group else None,
        line.first,
        line.last,
        line.paid_hours,
        line.pro_bono_hours,
    )


def log_csv(log: Log) -> str:
    return to_csv(sheet(log))
