"""Past sessions from a spreadsheet: each row checked, and every error given its row and column.

Two shapes of sheet are read. Debrief's own template (``SESSION_COLUMNS``): one row per past
session, which becomes a session in the journal (and so counts on the ICF log and in the hours).
The ICF's client coaching log (``icflog.log.CSV_HEADER``): one row per client, whose hours
become the opening balance of the ICF log. Which one a file is comes from its header row.
Nothing here writes: ``plan_sessions`` and ``plan_opening`` return what would be created.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from debrief.icflog.log import CSV_HEADER as ICF_HEADER
from debrief.icflog.log import GROUP_LIMIT, Opening, OpeningLine, opening_of_lines
from debrief.portable.sheet_read import Cell, Formula, Table
from debrief.privacy.fields import LONG_TEXT_LIMIT, NAME_LIMIT, SHORT_TEXT_LIMIT

EARLIEST = date(1980, 1, 1)
MAX_MINUTES = 24 * 60


@dataclass(frozen=True)
class Column:
    key: str
    title: str  # as the template writes it
    aliases: tuple[str, ...]
    required: bool
    example: str
    help: str


SESSION_COLUMNS = (
    Column(
        "date",
        "Date",
        ("session date", "day"),
        True,
        "14/10/2026",
        "day first (14/10/2026) or ISO (2026-10-14)",
    ),
    Column("start", "Start time", ("start", "time"), False, "09:30", "24-hour clock, optional"),
    Column(
        "duration",
        "Duration (minutes)",
        ("duration", "minutes", "length"),
        True,
        "60",
        "whole minutes, or hours and minutes as 1:30",
    ),
    Column(
        "coachee",
        "Coachee",
        ("client", "client name", "name", "coachee name"),
        True,
        "Priya Shah",
        "their name as in Debrief; a new name adds a coachee",
    ),
    Column(
        "payment",
        "Paid or pro bono",
        ("payment", "paid", "paid/pro bono"),
        False,
        "Paid",
        "Paid or Pro bono; Paid if empty",
    ),
    Column(
        "kind",
        "Individual or group",
        ("kind", "individual/group", "type"),
        False,
        "Individual",
        "Individual or Group; Individual if empty",
    ),
    Column(
        "group_size",
        "Group size",
        ("number in group", "size"),
        False,
        "",
        "how many people, for a group",
    ),
    Column(
        "format",
        "Format",
        ("mode", "medium"),
        False,
        "Video",
        "In person, Video or Phone; Video if empty",
    ),
    Column(
        "notes",
        "Notes",
        ("note", "comments"),
        False,
        "First session: goals agreed.",
        "optional; kept sealed like every note",
    ),
)


def _fold(text: str) -> str:
    """A header or a name as compared: accents, case, spacing and punctuation folded."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", " ", plain.casefold()).strip()


def letter(index: int) -> str:
    """A column's letter as a spreadsheet shows it: 0 -> A, 26 -> AA."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


@dataclass(frozen=True)
class Problem:
    row: int | None  # the spreadsheet's own row number (the header is row 1)
    column: str  # "C (Duration (minutes))", or "" for the whole file
    message: str

    @property
    def where(self) -> str:
        if self.row is None:
            return f"Column {self.column}" if self.column else "The file"
        return f"Row {self.row}, column {self.column}" if self.column else f"Row {self.row}"


@dataclass
class Plan:
    kind: str  # "sessions" or "opening"
    problems: list[Problem] = field(default_factory=list)
    rows: list[Any] = field(default_factory=list)
    new_coachees: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


def _match_columns(header: list[str], columns: tuple[Column, ...], plan: Plan) -> dict[str, int]:
    names: dict[str, str] = {}
    for c in columns:
        for alias in (c.title, c.key.replace("_", " "), *c.aliases):
            names[_fold(alias)] = c.key
    found: dict[str, int] = {}
    for i, title in enumerate(header):
        key = names.get(_fold(title))
        if not title:
            plan.problems.append(
                Problem(None, letter(i), "has no title. Give it one of Debrief's, or delete it.")
            )
        elif key is None:
            plan.problems.append(
                Problem(
                    None,
                    letter(i),
                    f"“{title[:40]}” is not a column Debrief knows. "
                    f"The columns are: {', '.join(c.title for c in columns)}.",
                )
            )
        elif key in found:
            plan.problems.append(
                Problem(None, letter(i), f"“{title[:40]}” repeats a column: keep one.")
            )
        else:
            found[key] = i
    for c in columns:
        if c.required and c.key not in found:
            plan.problems.append(Problem(None, "", f"No “{c.title}” column: it is needed."))
    return found


def _untitled(cells: list[Cell], header: list[str], number: int, plan: Plan) -> bool:
    """A value right of the last titled column would be dropped unseen: an error instead."""
    for i in range(len(header), len(cells)):
        if str(cells[i]).strip():
            plan.problems.append(
                Problem(number, letter(i), "has a value but its column has no title.")
            )
            return True
    return False


class _Row:
    """One data row, its cells read by column key, with its problems collected."""

    def __init__(
        self, cells: list[Cell], number: int, where: dict[str, int], header: list[str], plan: Plan
    ) -> None:
        self.cells, self.number, self.where, self.header, self.plan = (
            cells,
            number,
            where,
            header,
            plan,
        )
        self.failed = False

    def column(self, key: str) -> str:
        i = self.where[key]
        return f"{letter(i)} ({self.header[i][:30]})"

    def fail(self, key: str, message: str) -> None:
        self.failed = True
        self.plan.problems.append(Problem(self.number, self.column(key), message))

    def text(self, key: str) -> str | None:
        """The cell's text, or None (and a problem) for a formula."""
        if key not in self.where:
            return ""
        cell = self.cells[self.where[key]] if self.where[key] < len(self.cells) else ""
        if isinstance(cell, Formula) or str(cell).startswith(("=", "@")):
            shown = str(cell)[:40]
            self.fail(
                key,
                f"A formula ({shown}): Debrief never runs formulas. Type the value itself.",
            )
            return None
        return str(cell).strip()

    def read(self, key: str, parse: Callable[[str], Any], default: Any = None) -> Any:
        value = self.text(key)
        if value is None:
            return None
        if value == "":
            return default
        try:
            return parse(value)
        except ValueError as error:
            self.fail(key, str(error))
            return None


_DAY_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")


def parse_day(value: str, today: date) -> date:
    value = value.strip()
    try:
        if re.match(r"^\d{4}-\d{2}-\d{2}", value):
            day = date.fromisoformat(value[:10])
        elif m := _DAY_FIRST.match(value):
            day = date(int(m[3]), int(m[2]), int(m[1]))
        elif re.match(r"^\d{5}(\.0+)?$", value):  # an Excel day number left unformatted
            day = date(1899, 12, 30) + timedelta(days=int(float(value)))
        else:
            raise ValueError
    except (ValueError, OverflowError):
        raise ValueError(
            f"“{value[:30]}” is not a date. Write it day first, 14/10/2026, or as 2026-10-14."
        ) from None
    if day > today:
        raise ValueError(
            f"{day:%d/%m/%Y} is in the future. Only sessions already held are imported; "
            "add coming sessions in Debrief or from your calendar."
        )
    if day < EARLIEST:
        raise ValueError(f"{day:%d/%m/%Y} is before 1980. Check the year.")
    return day


def parse_start(value: str) -> time:
    m = re.match(r"^(\d{1,2})[:.](\d{2})(?::\d{2})?$", value)
    if m and int(m[1]) < 24 and int(m[2]) < 60:
        return time(int(m[1]), int(m[2]))
    try:
        fraction = Decimal(value)  # Excel's time of day as a fraction of a day
    except InvalidOperation:
        fraction = Decimal(-1)
    if 0 <= fraction < 1:
        minutes = int((fraction * 24 * 60).to_integral_value())
        return time(minutes // 60, minutes % 60)
    raise ValueError(f"“{value[:20]}” is not a time. Write it on the 24-hour clock, as 14:30.")


def parse_minutes(value: str) -> int:
    m = re.match(r"^(\d{1,2}):(\d{2})$", value)
    if m:
        minutes = int(m[1]) * 60 + int(m[2])
    else:
        try:
            number = Decimal(value.replace(",", "."))
        except InvalidOperation:
            raise ValueError(
                f"“{value[:20]}” is not a duration. Write the minutes, as 60, or 1:30."
            ) from None
        if number < 0:
            raise ValueError(f"{value} is negative. Write how many minutes the session lasted.")
        if number != number.to_integral_value():
            raise ValueError(f"{value} is not whole minutes. Round it, as 45.")
        minutes = int(number)
    if minutes == 0:
        raise ValueError("A session of 0 minutes cannot be counted. Write its length.")
    if minutes > MAX_MINUTES:
        raise ValueError(f"{minutes} minutes is longer than a day. Check the figure.")
    return minutes


PAYMENT = {
    "paid": "paid",
    "pro bono": "pro_bono",
    "probono": "pro_bono",
    "pro bono hours": "pro_bono",
    "unpaid": "pro_bono",
    "free": "pro_bono",
}
KIND = {
    "individual": "individual",
    "one to one": "individual",
    "1 1": "individual",
    "group": "group",
    "team": "group",
}
FORMAT = {
    "in person": "in_person",
    "face to face": "in_person",
    "video": "video",
    "video call": "video",
    "online": "video",
    "phone": "phone",
    "telephone": "phone",
}


def _parse_payment(value: str) -> str:
    found = PAYMENT.get(_fold(value))
    if found is None:
        raise ValueError(f"“{value[:30]}” is neither Paid nor Pro bono.")
    return found


def _parse_kind(value: str) -> str:
    found = KIND.get(_fold(value))
    if found is None:
        raise ValueError(f"“{value[:30]}” is neither Individual nor Group.")
    return found


def _parse_format(value: str) -> str:
    found = FORMAT.get(_fold(value))
    if found is None:
        raise ValueError(f"“{value[:30]}” is not In person, Video or Phone.")
    return found


def parse_count(value: str) -> int:
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"“{value[:20]}” is not a number of people.") from None
    if number != number.to_integral_value() or number < 1:
        raise ValueError(f"{value} is not a number of people (1 or more).")
    if number > 10_000:
        raise ValueError(f"{value} people is more than Debrief can record. Check it.")
    return int(number)


def _name(value: str) -> str:
    if len(value) > NAME_LIMIT:
        raise ValueError(f"The name is longer than {NAME_LIMIT} characters.")
    return value


def _notes(value: str) -> str:
    if len(value) > LONG_TEXT_LIMIT:
        raise ValueError(f"The note is longer than {LONG_TEXT_LIMIT:,} characters.")
    return value


@dataclass(frozen=True)
class PastSession:
    row: int
    day: date
    start: time | None
    minutes: int
    coachee: str  # as written in the sheet
    coachee_key: str  # folded, to match
    payment: str
    kind: str
    group_size: int | None
    format: str
    notes: str
    existing: bool  # the coachee is already in the journal


def _session_row(r: _Row, today: date, known: dict[str, int]) -> PastSession | None:
    day = r.read("date", lambda v: parse_day(v, today))
    start = r.read("start", parse_start)
    minutes = r.read("duration", parse_minutes)
    name = r.read("coachee", _name, "")
    if name == "" and r.text("coachee") == "":
        r.fail("coachee", "Empty: write the coachee's name.")
    payment = r.read("payment", _parse_payment, "paid")
    kind = r.read("kind", _parse_kind, "individual")
    size = r.read("group_size", parse_count)
    fmt = r.read("format", _parse_format, "video")
    notes = r.read("notes", _notes, "")
    if kind == "group" and size is None and "group_size" in r.where and not r.failed:
        r.fail("group_size", "Empty for a group session: write how many people were in it.")
    if kind == "group" and size is None and "group_size" not in r.where:
        r.fail("kind", "Group, but the sheet has no “Group size” column: add one.")
    if kind == "individual" and size not in (None, 1):
        r.fail("group_size", f"{size} people in an individual session: mark it Group.")
    if r.failed:
        return None
    key = _fold(name)
    return PastSession(
        r.number,
        day,
        start,
        minutes,
        name,
        key,
        payment,
        kind,
        size if kind == "group" else None,
        fmt,
        notes,
        key in known,
    )


def plan_sessions(table: Table, today: date, known: dict[str, int]) -> Plan:
    """What the sheet's rows would create. ``known`` maps folded coachee names (full and
    preferred) to coachees; a name matching two coachees is an error."""
    plan = Plan("sessions", notes=list(table.notes))
    where = _match_columns(table.header, SESSION_COLUMNS, plan)
    if plan.problems:
        return plan
    seen: dict[tuple[str, date, time | None], int] = {}
    new: dict[str, str] = {}
    for offset, cells in enumerate(table.rows):
        if _untitled(cells, table.header, offset + 2, plan):
            continue
        r = _Row(cells, offset + 2, where, table.header, plan)
        found = _session_row(r, today, known)
        if found is None:
            continue
        if known.get(found.coachee_key) == -1:
            r.fail(
                "coachee",
                f"“{found.coachee}” matches two of your coachees. Write the "
                "full name as Debrief shows it.",
            )
            continue
        twin = seen.get((found.coachee_key, found.day, found.start))
        if twin is not None:
            r.fail("date", f"Repeats row {twin}: the same coachee, day and time.")
            continue
        seen[(found.coachee_key, found.day, found.start)] = found.row
        if not found.existing:
            new.setdefault(found.coachee_key, found.coachee)
        plan.rows.append(found)
    plan.new_coachees = sorted(new.values(), key=str.casefold)
    if not plan.rows and not plan.problems:
        plan.problems.append(
            Problem(None, "", "A header but no sessions below it: add your sessions under it.")
        )
    return plan


# ---- the ICF's client coaching log, as opening balances ---------------------------------

ICF_COLUMNS = tuple(
    Column(key, title, (), key in {"client", "paid", "pro_bono"}, "", "")
    for key, title in zip(
        ("client", "contact", "kind", "group_size", "start", "end", "paid", "pro_bono"),
        ICF_HEADER,
        strict=True,
    )
)
_UNLISTED = re.compile(r"^(\d+) clients? not listed by name$")


@dataclass(frozen=True)
class OpeningRow:
    row: int
    line: OpeningLine  # as the ICF log will hold it


def parse_hours(value: str) -> Decimal:
    try:
        number = Decimal(value.replace(",", "."))
    except InvalidOperation:
        raise ValueError(f"“{value[:20]}” is not a number of hours, such as 12.5.") from None
    if number < 0:
        raise ValueError(f"{value} hours is negative. Write 0 or more.")
    if number > 100_000:
        raise ValueError(f"{value} hours is more than Debrief can record. Check it.")
    return number.quantize(Decimal("0.01"))


def _opening_row(r: _Row, today: date) -> OpeningRow | None:
    client = r.read("client", _name, "")
    if client == "" and r.text("client") == "":
        r.fail("client", "Empty: write the client's name.")
    contact = r.read("contact", _contact, "")
    kind = r.read("kind", _parse_kind, "")
    size = r.read("group_size", parse_count)
    start = r.read("start", lambda v: parse_day(v, today))
    end = r.read("end", lambda v: parse_day(v, today))
    paid = r.read("paid", parse_hours, Decimal(0))
    pro_bono = r.read("pro_bono", parse_hours, Decimal(0))
    if start and end and end < start:
        r.fail("end", f"{end:%d/%m/%Y} is before the start date {start:%d/%m/%Y}.")
    unlisted = _UNLISTED.match(client or "")
    if kind == "" and not unlisted and client and "kind" in r.where:
        r.fail("kind", "Empty: write Individual or Group.")
    if kind == "group" and size and size > GROUP_LIMIT:
        r.fail(
            "group_size",
            f"{size} people: the ICF does not count groups of more than "
            f"{GROUP_LIMIT}. Leave this row out.",
        )
    if r.failed or client is None:
        return None
    if unlisted:
        return OpeningRow(r.number, OpeningLine("", paid, pro_bono, int(unlisted[1])))
    group = kind == "group"
    line = OpeningLine(
        client,
        paid,
        pro_bono,
        people=(size or 1) if group else 1,
        contact=contact or "",
        group=group,
        group_size=size if group else None,
        first=start,
        last=end,
    )
    return OpeningRow(r.number, line)


def _contact(value: str) -> str:
    if len(value) > SHORT_TEXT_LIMIT:
        raise ValueError(f"Longer than {SHORT_TEXT_LIMIT} characters: shorten it.")
    return value


def opening_total(rows: list[OpeningRow]) -> Opening:
    """Hours summed; clients counted as the ICF log does (a person once, a group's people)."""
    return opening_of_lines(r.line for r in rows)


def is_icf_log(header: list[str]) -> bool:
    titles = {_fold(h) for h in header}
    return {_fold("Client Name"), _fold("Paid Hours")} <= titles


def plan_opening(table: Table, today: date) -> Plan:
    plan = Plan("opening", notes=list(table.notes))
    where = _match_columns(table.header, ICF_COLUMNS, plan)
    if plan.problems:
        return plan
    for offset, cells in enumerate(table.rows):
        if _untitled(cells, table.header, offset + 2, plan):
            continue
        found = _opening_row(_Row(cells, offset + 2, where, table.header, plan), today)
        if found is not None:
            plan.rows.append(found)
    if not plan.rows and not plan.problems:
        plan.problems.append(
            Problem(None, "", "A header but no clients below it: add your clients under it.")
        )
    return plan


def plan_for(table: Table, today: date, known: dict[str, int]) -> Plan:
    if is_icf_log(table.header):
        return plan_opening(table, today)
    return plan_sessions(table, today, known)
