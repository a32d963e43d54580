"""The ICF coaching log and credential progress, computed from plain facts (no Django state)."""

from __future__ import annotations

import calendar
import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

RECENT_MONTHS = 18
CSV_HEADER = (
    "Client name",
    "Contact",
    "Individual/group",
    "Group size",
    "First session",
    "Last session",
    "Paid hours",
    "Pro bono hours",
)
# A spreadsheet reads a cell starting with one of these as a formula (or strips it into one).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Client:
    key: object  # any hashable identity (the coachee's primary key)
    name: str
    contact: str
    listed: bool  # the coachee consented to be listed by name


@dataclass(frozen=True)
class Session:
    client: Client
    date: date
    minutes: int
    paid: bool
    group_size: int | None = None  # None for an individual session
    group: bool = False


@dataclass(frozen=True)
class Opening:
    paid_hours: Decimal = Decimal(0)
    pro_bono_hours: Decimal = Decimal(0)
    clients: int = 0


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
        return len(self.rows) + self.unlisted_clients + self.opening.clients

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


def _add(rows: dict[object, Row], s: Session) -> None:
    row = rows.get(s.client.key)
    if row is None:
        row = rows[s.client.key] = Row(client=s.client, first=s.date, last=s.date)
    row.first, row.last = min(row.first, s.date), max(row.last, s.date)
    if s.paid:
        row.paid_minutes += s.minutes
    else:
        row.pro_bono_minutes += s.minutes
    if s.group:
        row.group = True
        if s.group_size and (row.largest_group or 0) < s.group_size:
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


def build_log(sessions: Iterable[Session], opening: Opening, today: date) -> Log:
    """The log of the sessions held by ``today``; later sessions are not counted."""
    held = [s for s in sessions if s.date <= today]
    recent_from = months_before(today, RECENT_MONTHS)
    by_client: dict[object, Row] = {}
    for s in held:
        _add(by_client, s)
    listed = [r for r in by_client.values() if r.client.listed]
    unlisted = [r for r in by_client.values() if not r.client.listed]
    log = Log(
        rows=sorted(listed, key=lambda r: (r.first, r.client.name.casefold())),
        unlisted_clients=len(unlisted),
        unlisted_paid_minutes=sum(r.paid_minutes for r in unlisted),
        unlisted_pro_bono_minutes=sum(r.pro_bono_minutes for r in unlisted),
        opening=opening,
        recent_minutes=sum(s.minutes for s in held if s.date >= recent_from),
    )
    log.credentials = credentials(log)
    return log


def neutralise(cell: str) -> str:
    """Prefix a quote to a cell a spreadsheet would run as a formula."""
    return f"'{cell}" if cell.startswith(_FORMULA_STARTS) else cell


def csv_rows(log: Log) -> list[Sequence[str]]:
    rows: list[Sequence[str]] = [CSV_HEADER]
    for r in log.rows:
        kind = "Group" if r.group else "Individual"
        size = str(r.largest_group) if r.group and r.largest_group else ""
        rows.append(
            (
                r.client.name,
                r.client.contact,
                kind,
                size,
                r.first.isoformat(),
                r.last.isoformat(),
                str(r.paid_hours),
                str(r.pro_bono_hours),
            )
        )
    if log.unlisted_clients:
        n = log.unlisted_clients
        label = f"{n} client{'s' if n != 1 else ''} not listed by name"
        rows.append(
            (
                label,
                "",
                "",
                "",
                "",
                "",
                str(log.unlisted_paid_hours),
                str(log.unlisted_pro_bono_hours),
            )
        )
    return rows


def to_csv(log: Log) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in csv_rows(log):
        writer.writerow([neutralise(cell) for cell in row])
    return out.getvalue()
