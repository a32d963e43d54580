"""The practice records in the journal file (version 2): written, checked and read back.

Supervision, mentor coaching, CPD (with its certificate file, opened and carried as base64),
client feedback, the accreditation bodies followed, the practice profile, and which coachees
are executive coaching. Everything is read through ``for_coach``. On import, sealed text is
sealed again by the model fields (supervision notes and certificates under a key of the
entry's own, feedback under its coachee's key), and certificate files are written sealed.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Protocol
from uuid import UUID

from django.db.models import Prefetch

from debrief.accounts.models import User
from debrief.coachees.models import Coachee
from debrief.journal.models import CoachingSession
from debrief.practice import certificates
from debrief.practice.forms import level_choices
from debrief.practice.models import (
    BodyChoice,
    ClientFeedback,
    ClientFlags,
    CPDEntry,
    MentoringEntry,
    PracticeProfile,
    SupervisionEntry,
)

EMPTY: dict[str, Any] = {
    "profile": None,
    "bodies": [],
    "supervision": [],
    "mentoring": [],
    "cpd": [],
    "client_feedback": [],
    "executive_coachees": [],
}
ENTRY_MODELS = (SupervisionEntry, MentoringEntry, CPDEntry, ClientFeedback)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _hours(value: Decimal) -> str:
    return f"{value:f}"


def holds_practice(coach: User) -> bool:
    models = (*ENTRY_MODELS, BodyChoice, PracticeProfile)
    return any(m.objects.for_coach(coach).exists() for m in models)


# ---- out --------------------------------------------------------------------------------


def _profile(coach: User) -> dict[str, Any] | None:
    p = PracticeProfile.objects.for_coach(coach).first()
    if p is None:
        return None
    return {
        "first_practised_on": _day(p.first_practised_on),
        "training_hours": _hours(p.training_hours),
    }


def _supervision(e: SupervisionEntry) -> dict[str, Any]:
    return {
        "code": str(e.code),
        "date": e.date.isoformat(),
        "hours": _hours(e.hours),
        "supervisor": e.supervisor,
        "mode": e.mode,
        "themes": e.themes,
        "learning": e.learning,
        "sessions": [str(s.code) for s in e.sessions.all()],
    }


def _mentoring(e: MentoringEntry) -> dict[str, Any]:
    return {
        "code": str(e.code),
        "date": e.date.isoformat(),
        "hours": _hours(e.hours),
        "mentor": e.mentor,
        "mentor_email": e.mentor_email,
        "mentor_credential": e.mentor_credential,
        "mode": e.mode,
    }


def _cpd(e: CPDEntry) -> dict[str, Any]:
    certificate = None
    if e.has_certificate:
        data = certificates.load(e.code)
        certificate = {
            "kind": e.certificate_type,
            "name": e.certificate_name,
            "size": len(data),
            "data": base64.b64encode(data).decode("ascii"),
        }
    return {
        "code": str(e.code),
        "date": e.date.isoformat(),
        "hours": _hours(e.hours),
        "provider": e.provider,
        "title": e.title,
        "category": e.category,
        "coach_training": e.coach_training,
        "learning": e.learning,
        "certificate": certificate,
    }


# The sessions brought to supervision in an order that survives new codes and new row ids
# (an import numbers rows coachee by coachee, as the file lists them).
_BROUGHT = Prefetch(
    "sessions",
    queryset=CoachingSession.objects.order_by("date", "number", "coachee_id", "pk").only("code"),
)


def _list(key: str, parts: Iterator[str]) -> Iterator[str]:
    yield f'"{key}":['
    for i, part in enumerate(parts):
        yield ("," if i else "") + part
    yield "]"


def practice_chunks(coach: User) -> Iterator[str]:
    """The ``practice`` object as text chunks: one entry a chunk, so a journal with many
    certificates never holds more than one of them in memory."""
    bodies = BodyChoice.objects.for_coach(coach).order_by("body")
    head = {
        "profile": _profile(coach),
        "bodies": [
            {
                "body": b.body,
                "level_held": b.level_held,
                "awarded_on": _day(b.awarded_on),
                "route": b.route,
            }
            for b in bodies
        ],
    }
    yield _dumps(head)[:-1] + ","
    order = ("date", "pk")
    supervision = SupervisionEntry.objects.for_coach(coach).order_by(*order)
    yield from _list(
        "supervision",
        (_dumps(_supervision(e)) for e in supervision.prefetch_related(_BROUGHT)),
    )
    mentoring = MentoringEntry.objects.for_coach(coach).order_by(*order)
    yield ","
    yield from _list("mentoring", (_dumps(_mentoring(e)) for e in mentoring))
    cpd = CPDEntry.objects.for_coach(coach).order_by(*order)
    yield ","
    yield from _list("cpd", (_dumps(_cpd(e)) for e in cpd.iterator(chunk_size=20)))
    feedback = ClientFeedback.objects.for_coach(coach).select_related("coachee").order_by(*order)
    rows = (
        {
            "code": str(f.code),
            "date": f.date.isoformat(),
            "coachee": str(f.coachee.code) if f.coachee else None,
            "text": f.text,
        }
        for f in feedback
    )
    yield ","
    yield from _list("client_feedback", (_dumps(r) for r in rows))
    flags = ClientFlags.objects.for_coach(coach).filter(executive=True)
    executive = sorted(str(code) for code in flags.values_list("coachee__code", flat=True))
    yield ',"executive_coachees":' + _dumps(executive) + "}"


# ---- checked ----------------------------------------------------------------------------


class Seen(Protocol):
    def add(self, message: str) -> None: ...
    def code(self, value: str, where: str) -> None: ...
    def day(self, value: str | None, where: str) -> None: ...


def certificate_bytes(cert: dict[str, Any]) -> bytes:
    """The certificate's bytes, or ValueError saying what is wrong with them."""
    try:
        data = base64.b64decode(cert["data"], validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("the certificate is not valid base64.") from None
    if len(data) != cert["size"]:
        raise ValueError(f"the certificate holds {len(data)} bytes, not the {cert['size']} said.")
    if len(data) > certificates.LIMIT:
        raise ValueError("the certificate is larger than 5 MB.")
    if certificates.kind_of(data[:16]) != cert["kind"]:
        raise ValueError(f"the certificate is not the {cert['kind'].upper()} file it says.")
    return data


def _check_entries(practice: dict[str, Any], seen: Seen, sessions: set[str]) -> None:
    for key in ("supervision", "mentoring", "cpd", "client_feedback"):
        for i, e in enumerate(practice[key]):
            where = f"practice.{key}[{i}]"
            seen.code(e["code"], where)
            seen.day(e["date"], f"{where}.date")
            if "hours" in e and Decimal(e["hours"]) <= 0:
                seen.add(f"{where}.hours: {e['hours']} is not more than 0.")
    for i, e in enumerate(practice["supervision"]):
        if len(set(e["sessions"])) != len(e["sessions"]):
            seen.add(f"practice.supervision[{i}].sessions: a session is named twice.")
        for code in e["sessions"]:
            if code not in sessions:
                seen.add(f"practice.supervision[{i}].sessions: no session {code} in the file.")
    for i, e in enumerate(practice["cpd"]):
        if e["certificate"] is not None:
            try:
                certificate_bytes(e["certificate"])
            except ValueError as error:
                seen.add(f"practice.cpd[{i}].certificate: {error}")


def _check_bodies(practice: dict[str, Any], seen: Seen) -> None:
    found: set[str] = set()
    for i, b in enumerate(practice["bodies"]):
        where = f"practice.bodies[{i}]"
        if b["body"] in found:
            seen.add(f"{where}: the body “{b['body']}” appears twice.")
        found.add(b["body"])
        levels = {key for key, _ in level_choices(b["body"]) if key}
        if b["level_held"] and b["level_held"] not in levels:
            seen.add(f"{where}.level_held: “{b['level_held'][:32]}” is no level of {b['body']}.")
        seen.day(b["awarded_on"], f"{where}.awarded_on")
        if b["route"] and b["body"] != "ac":
            seen.add(f"{where}.route: only the AC has routes.")


def check_practice(data: dict[str, Any], seen: Seen) -> None:
    practice = data["practice"]
    coachees = {c["code"] for c in data["coachees"]}
    sessions = {s["code"] for c in data["coachees"] for s in c["sessions"]}
    if practice["profile"] is not None:
        seen.day(practice["profile"]["first_practised_on"], "practice.profile.first_practised_on")
    _check_bodies(practice, seen)
    _check_entries(practice, seen, sessions)
    for i, f in enumerate(practice["client_feedback"]):
        if f["coachee"] is not None and f["coachee"] not in coachees:
            seen.add(
                f"practice.client_feedback[{i}].coachee: no coachee {f['coachee']} in the file."
            )
    flagged = practice["executive_coachees"]
    if len(set(flagged)) != len(flagged):
        seen.add("practice.executive_coachees: a coachee is named twice.")
    for code in flagged:
        if code not in coachees:
            seen.add(f"practice.executive_coachees: no coachee {code} in the file.")


def practice_codes(data: dict[str, Any]) -> Iterator[str]:
    for key in ("supervision", "mentoring", "cpd", "client_feedback"):
        yield from (e["code"] for e in data["practice"][key])


def check_opening(data: dict[str, Any], seen: Seen) -> None:
    for i, r in enumerate(data["opening_balances"]):
        where = f"opening_balances[{i}]"
        seen.day(r["first"], f"{where}.first")
        seen.day(r["last"], f"{where}.last")
        if r["first"] and r["last"] and r["last"] < r["first"]:
            seen.add(f"{where}.last: {r['last']} is before {r['first']}.")
        if r["group_size"] is not None and not r["group"]:
            seen.add(f"{where}.group_size: only a group has a number in group.")
        if not r["client"] and (r["contact"] or r["group"]):
            seen.add(f"{where}: a row of clients not listed by name has no contact or group.")


# ---- in ---------------------------------------------------------------------------------


@dataclass
class Written:
    """What the practice import made outside the database, to undo if it rolls back."""

    keys: list[UUID] = field(default_factory=list)
    certificates: list[UUID] = field(default_factory=list)


def _supervision_rows(
    coach: User, rows: list[dict[str, Any]], code: Any, sessions: dict[str, int], done: Written
) -> None:
    made = SupervisionEntry.objects.bulk_create(
        SupervisionEntry(
            coach=coach,
            code=code(e["code"]),
            date=date.fromisoformat(e["date"]),
            hours=Decimal(e["hours"]),
            supervisor=e["supervisor"],
            mode=e["mode"],
            themes=e["themes"],
            learning=e["learning"],
        )
        for e in rows
    )
    done.keys.extend(m.code for m in made)
    through = SupervisionEntry.sessions.through
    through.objects.bulk_create(
        through(supervisionentry_id=m.pk, coachingsession_id=sessions[s])
        for e, m in zip(rows, made, strict=True)
        for s in e["sessions"]
    )


def _cpd_rows(coach: User, rows: list[dict[str, Any]], code: Any, done: Written) -> None:
    for e in rows:
        cert = e["certificate"]
        entry = CPDEntry.objects.create(
            coach=coach,
            code=code(e["code"]),
            date=date.fromisoformat(e["date"]),
            hours=Decimal(e["hours"]),
            provider=e["provider"],
            title=e["title"],
            category=e["category"],
            coach_training=e["coach_training"],
            learning=e["learning"],
            certificate_type=cert["kind"] if cert else "",
            certificate_size=cert["size"] if cert else 0,
            certificate_name=cert["name"] if cert else "",
        )
        if cert is not None:
            done.keys.append(entry.code)
            done.certificates.append(entry.code)
            certificates.store(entry.code, certificate_bytes(cert))


def write_practice(
    coach: User,
    practice: dict[str, Any],
    code: Any,
    coachees: dict[str, Coachee],
    sessions: dict[str, int],
    done: Written,
) -> None:
    """Write the ``practice`` part of a checked file; ``code`` maps a file's code to the new."""
    profile = practice["profile"]
    if profile is not None:
        PracticeProfile.objects.create(
            coach=coach,
            first_practised_on=_parse_day(profile["first_practised_on"]),
            training_hours=Decimal(profile["training_hours"]),
        )
    BodyChoice.objects.bulk_create(
        BodyChoice(
            coach=coach,
            body=b["body"],
            level_held=b["level_held"],
            awarded_on=_parse_day(b["awarded_on"]),
            route=b["route"],
        )
        for b in practice["bodies"]
    )
    _supervision_rows(coach, practice["supervision"], code, sessions, done)
    MentoringEntry.objects.bulk_create(
        MentoringEntry(
            coach=coach,
            code=code(e["code"]),
            date=date.fromisoformat(e["date"]),
            hours=Decimal(e["hours"]),
            mentor=e["mentor"],
            mentor_email=e["mentor_email"],
            mentor_credential=e["mentor_credential"],
            mode=e["mode"],
        )
        for e in practice["mentoring"]
    )
    _cpd_rows(coach, practice["cpd"], code, done)
    feedback = ClientFeedback.objects.bulk_create(
        ClientFeedback(
            coach=coach,
            code=code(f["code"]),
            date=date.fromisoformat(f["date"]),
            coachee=coachees[f["coachee"]] if f["coachee"] else None,
            text=f["text"],
        )
        for f in practice["client_feedback"]
    )
    done.keys.extend(f.code for f in feedback if f.coachee_id is None)
    ClientFlags.objects.bulk_create(
        ClientFlags(coach=coach, coachee=coachees[c], executive=True)
        for c in practice["executive_coachees"]
    )


def _parse_day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
