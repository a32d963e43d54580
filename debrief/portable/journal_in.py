"""A checked journal file written into an empty account, in one transaction.

Coachee text is sealed on the way in by the model fields themselves (``PrivateTextField``
seals in ``pre_save``, ``bulk_create`` included), so no plaintext reaches the database or
the disk. Codes are kept unless any of them is already in use on this installation (the
same file imported twice, into two accounts): then every object gets a new code. A
template's slug is kept unless another account here already has it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from debrief.accounts.models import User
from debrief.coachees.models import Coachee
from debrief.followup.models import ActionItem, ActionReview, Goal, GoalProgress
from debrief.icflog.log import OpeningLine
from debrief.icflog.models import OpeningBalance, save_opening
from debrief.journal.models import Answer, CoachingSession, Reflection
from debrief.portable.journal_check import JournalFileError, iter_codes
from debrief.portable.practice_part import ENTRY_MODELS, Written, holds_practice, write_practice
from debrief.practice import certificates
from debrief.privacy import owners
from debrief.privacy.fields import PrivateTextField
from debrief.privacy.keystore import keystore
from debrief.prompts.models import ReflectionTemplate, TemplateVersion
from debrief.techniques.models import Technique, TechniqueUse

BATCH = 1000


@dataclass(frozen=True)
class Imported:
    coachees: int
    sessions: int
    templates: int
    new_codes: bool


def account_holdings(coach: User) -> list[str]:
    """What the account already holds; an import goes only into an empty one."""
    found = []
    if Coachee.objects.for_coach(coach).exists():
        found.append("coachees")
    if ReflectionTemplate.objects.filter(owner=coach).exists():
        found.append("templates of your own")
    if Technique.objects.for_coach(coach).exists():
        found.append("techniques of your own")
    if OpeningBalance.objects.for_coach(coach).exists():
        found.append("hours before Debrief on your ICF log")
    if holds_practice(coach):
        found.append("practice records (supervision, mentor coaching, CPD, feedback, bodies)")
    return found


def fresh_slug(name: str) -> str:
    return f"{slugify(name)[:40] or 'template'}-{uuid.uuid4().hex[:10]}"


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _clock(value: str | None) -> time | None:
    return time.fromisoformat(value) if value else None


def _codes_taken(data: dict[str, Any]) -> bool:
    codes = list(iter_codes(data))
    for start in range(0, len(codes), 500):
        chunk = codes[start : start + 500]
        for model in (Coachee, CoachingSession, Reflection, Goal, ActionItem, *ENTRY_MODELS):
            if model.objects.filter(code__in=chunk).exists():
                return True
    return False


class _Writer:
    def __init__(self, coach: User, data: dict[str, Any], new_codes: bool) -> None:
        self.coach = coach
        self.data = data
        self.new_codes = new_codes
        self.templates: dict[str, ReflectionTemplate] = {}
        self.versions: dict[tuple[str, int], TemplateVersion] = {}
        self.techniques: dict[str, Technique] = {}
        self.sealed_for: list[uuid.UUID] = []  # coachees whose data keys this import made
        self.coachees: dict[str, Coachee] = {}  # by the file's code
        self.sessions: dict[str, int] = {}  # the file's session code -> the new row's id
        self.outside = Written()  # practice keys and certificate files made

    def code(self, value: str) -> uuid.UUID:
        return uuid.uuid4() if self.new_codes else uuid.UUID(value)

    def write_templates(self) -> None:
        for t in self.data["templates"]:
            taken = ReflectionTemplate.objects.filter(slug=t["slug"]).exists()
            template = ReflectionTemplate.objects.create(
                owner=self.coach,
                slug=fresh_slug(t["name"]) if taken else t["slug"],
                name=t["name"],
                description=t["description"],
                retired=t["retired"],
            )
            self.templates[t["slug"]] = template
            for v in t["versions"]:
                version = TemplateVersion.objects.create(
                    template=template, number=v["number"], definition=v["definition"]
                )
                self.versions[(t["slug"], v["number"])] = version
        built_in = TemplateVersion.objects.filter(template__owner__isnull=True)
        for v in built_in.select_related("template"):
            self.versions.setdefault((v.template.slug, v.number), v)
            self.templates.setdefault(v.template.slug, v.template)

    def write_techniques(self) -> None:
        for t in Technique.objects.filter(coach__isnull=True):
            self.techniques[t.slug] = t
        for t in self.data["techniques"]:
            self.techniques[t["slug"]] = Technique.objects.create(
                coach=self.coach,
                slug=t["slug"],
                name=t["name"],
                description=t["description"],
                retired=t["retired"],
            )

    def template(self, ref: dict[str, Any] | None) -> ReflectionTemplate | None:
        return None if ref is None else self.templates[ref["slug"]]

    def write_coach(self) -> None:
        self.coach.default_template = self.template(self.data["coach"]["default_template"])
        self.coach.save(update_fields=["default_template"])
        made = save_opening(
            self.coach,
            (
                OpeningLine(
                    client=r["client"],
                    paid_hours=Decimal(r["paid_hours"]),
                    pro_bono_hours=Decimal(r["pro_bono_hours"]),
                    people=r["clients"],
                    contact=r["contact"],
                    group=r["group"],
                    group_size=r["group_size"],
                    first=_day(r["first"]),
                    last=_day(r["last"]),
                )
                for r in self.data["opening_balances"]
            ),
        )
        self.outside.keys.extend(m.code for m in made if m.client or m.contact)

    def write_practice(self) -> None:
        write_practice(
            self.coach,
            self.data["practice"],
            self.code,
            self.coachees,
            self.sessions,
            self.outside,
        )

    def coachee(self, c: dict[str, Any]) -> Coachee:
        return Coachee(
            coach=self.coach,
            code=self.code(c["code"]),
            name=c["name"],
            preferred_name=c["preferred_name"],
            pronouns=c["pronouns"],
            email=c["email"],
            organisation=c["organisation"],
            engagement_start=_day(c["engagement_start"]),
            status=c["status"],
            background=c["background"],
            notes_consent_on=_day(c["notes_consent_on"]),
            icf_log_listing=c["icf_log_listing"],
            default_template=self.template(c["default_template"]),
        )


def _session(w: _Writer, person: Coachee, s: dict[str, Any]) -> CoachingSession:
    return CoachingSession(
        coach=w.coach,
        coachee=person,
        code=w.code(s["code"]),
        number=s["number"],
        date=date.fromisoformat(s["date"]),
        start_time=_clock(s["start_time"]),
        duration_minutes=s["duration_minutes"],
        format=s["format"],
        payment=s["payment"],
        kind=s["kind"],
        group_size=s["group_size"],
        cancelled=s["cancelled"],
    )


def _write_coachee(w: _Writer, c: dict[str, Any]) -> int:
    person = w.coachee(c)
    w.sealed_for.append(person.code)
    Coachee.objects.bulk_create([person])
    w.coachees[c["code"]] = person
    owners.remember(person.pk, person.code)
    goals = Goal.objects.bulk_create(
        Goal(
            coach=w.coach,
            coachee=person,
            code=w.code(g["code"]),
            title=g["title"],
            description=g["description"],
            target_date=_day(g["target_date"]),
            status=g["status"],
            closed_at=_moment(g["closed_at"]),
        )
        for g in c["goals"]
    )
    goal_by_code = {g["code"]: goal for g, goal in zip(c["goals"], goals, strict=True)}
    sessions = CoachingSession.objects.bulk_create(
        (_session(w, person, s) for s in c["sessions"]), batch_size=BATCH
    )
    pairs = list(zip(c["sessions"], sessions, strict=True))
    w.sessions.update((s["code"], session.pk) for s, session in pairs)
    actions = _write_actions(w, person, pairs)
    _write_reflections(w, pairs)
    _write_reviews(w, pairs, actions, goal_by_code)
    return len(sessions)


def _write_actions(
    w: _Writer, person: Coachee, pairs: list[tuple[dict[str, Any], CoachingSession]]
) -> dict[str, ActionItem]:
    rows = [(a, session) for s, session in pairs for a in s["actions"]]
    made = ActionItem.objects.bulk_create(
        (
            ActionItem(
                coach=w.coach,
                coachee=person,
                session=session,
                code=w.code(a["code"]),
                owner=a["owner"],
                text=a["text"],
                due=_day(a["due"]),
                status=a["status"],
                closed_at=_moment(a["closed_at"]),
            )
            for a, session in rows
        ),
        batch_size=BATCH,
    )
    return {a["code"]: item for (a, _), item in zip(rows, made, strict=True)}


def _write_reflections(w: _Writer, pairs: list[tuple[dict[str, Any], CoachingSession]]) -> None:
    with_reflection = [(s["reflection"], session) for s, session in pairs if s["reflection"]]
    made = Reflection.objects.bulk_create(
        (
            Reflection(
                coach=w.coach,
                session=session,
                code=w.code(r["code"]),
                template_version=w.versions[(r["template"]["slug"], r["template"]["version"])],
                status=r["status"],
                completed_at=_moment(r["completed_at"]),
            )
            for r, session in with_reflection
        ),
        batch_size=BATCH,
    )
    rows = list(zip(with_reflection, made, strict=True))
    for (_, session), reflection in rows:
        owners.remember_reflection(reflection.pk, session.coachee.code)
    _write_answers(
        (made_r.pk, session.coachee.code, a) for (r, session), made_r in rows for a in r["answers"]
    )
    TechniqueUse.objects.bulk_create(
        (
            TechniqueUse(
                coach=w.coach,
                reflection=made_r,
                technique=w.techniques[u["technique"]],
                prompt_key=u["prompt"],
                effectiveness=u["effectiveness"],
                note=u["note"],
            )
            for (r, _), made_r in rows
            for u in r["techniques"]
        ),
        batch_size=BATCH,
    )


@dataclass(frozen=True)
class _AnswerRow:
    """What sealing an answer needs to know of its row (``HasPrivateContext``)."""

    reflection_id: int
    prompt_key: str
    owner: uuid.UUID

    def private_row(self) -> str:
        return f"{self.reflection_id}|{self.prompt_key}"  # as Answer.private_row

    def private_owner(self) -> uuid.UUID:
        return self.owner


def _write_answers(rows: Iterable[tuple[int, uuid.UUID, dict[str, Any]]]) -> None:
    """Answers are most of a journal's rows (25 a session): written with one ``executemany``
    per batch instead of a model instance and the ORM's insert compiler per row, which were
    a third of an import's CPU. Each text is sealed by the field itself, as ``save`` would."""
    field = Answer._meta.get_field("text")
    assert isinstance(field, PrivateTextField)
    updated = connection.ops.adapt_datetimefield_value(timezone.now())
    quote = connection.ops.quote_name
    names = ("reflection", "prompt_key", "text", "rating", "updated")
    fields = {f.name: str(f.column) for f in Answer._meta.concrete_fields}
    columns = ", ".join(quote(fields[n]) for n in names)
    table = quote(Answer._meta.db_table)
    # The table's and columns' names are the model's own; every value is a parameter.
    sql = f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s)"  # noqa: S608
    values = []
    for reflection_id, owner, a in rows:
        text = a["text"]
        stored = field.seal(_AnswerRow(reflection_id, a["prompt"], owner), text) if text else ""
        values.append(
            (reflection_id, a["prompt"], field.get_prep_value(stored), a["rating"], updated)
        )
    with connection.cursor() as cursor:
        for start in range(0, len(values), BATCH):
            cursor.executemany(sql, values[start : start + BATCH])


def _write_reviews(
    w: _Writer,
    pairs: list[tuple[dict[str, Any], CoachingSession]],
    actions: dict[str, ActionItem],
    goals: dict[str, Goal],
) -> None:
    ActionReview.objects.bulk_create(
        (
            ActionReview(
                coach=w.coach,
                action=actions[r["action"]],
                session=session,
                choice=r["choice"],
                note=r["note"],
            )
            for s, session in pairs
            for r in s["action_reviews"]
        ),
        batch_size=BATCH,
    )
    GoalProgress.objects.bulk_create(
        (
            GoalProgress(
                coach=w.coach,
                goal=goals[p["goal"]],
                session=session,
                score=p["score"],
                note=p["note"],
            )
            for s, session in pairs
            for p in s["goal_progress"]
        ),
        batch_size=BATCH,
    )


def import_journal(coach: User, data: dict[str, Any]) -> Imported:
    """Write a journal that ``read_journal`` accepted into ``coach``'s empty account."""
    new_codes = _codes_taken(data)
    writer = _Writer(coach, data, new_codes)
    keys_before = set(keystore().codes())
    owners.forget_all()  # row ids cached from a rolled-back transaction must not seal here
    sessions = 0
    try:
        with transaction.atomic():
            # Checked again inside the transaction: two imports at once must not both land.
            User.objects.select_for_update().filter(pk=coach.pk).first()
            held = account_holdings(coach)
            if held:
                raise JournalFileError(not_empty_message(held))
            writer.write_templates()
            writer.write_techniques()
            writer.write_coach()
            for c in data["coachees"]:
                sessions += _write_coachee(writer, c)
            writer.write_practice()
    except BaseException:
        # The data keys sealing the rolled-back rows open nothing now: remove them, and the
        # certificate files written for them.
        owners.forget_all()
        for code in [*writer.sealed_for, *writer.outside.keys]:
            if code not in keys_before:
                keystore().destroy(code)
        for code in writer.outside.certificates:
            certificates.remove(code)
        raise
    return Imported(len(data["coachees"]), sessions, len(data["templates"]), new_codes)


def not_empty_message(held: list[str]) -> str:
    listed = ", ".join(held)
    return (
        f"Your account already holds {listed}. A journal is imported only into an empty "
        "account, so nothing was imported: import it into a new, empty account."
    )
