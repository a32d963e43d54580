"""One coach's whole journal as one JSON file, written piece by piece (docs/journal-format.md).

The file is produced as a stream of text chunks: the small parts (the coach's templates,
techniques, hours before Debrief) first, then one coachee at a time and their sessions in
batches, then the practice records one entry at a time (a CPD certificate is the largest),
so memory stays flat however many sessions there are. Everything is read through
``for_coach``: the ownership choke point.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, time
from typing import Any

from django.utils import timezone

from debrief.accounts.models import User
from debrief.coachees.models import Coachee
from debrief.followup.models import ActionItem, ActionReview, Goal, GoalProgress
from debrief.icflog.models import OpeningBalance
from debrief.journal.models import Answer, CoachingSession, Reflection
from debrief.portable.format import FORMAT, VERSION
from debrief.portable.practice_part import practice_chunks
from debrief.prompts.models import ReflectionTemplate, TemplateVersion
from debrief.techniques.models import Technique, TechniqueUse

BATCH = 250  # sessions read together: a handful of queries per batch


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _clock(value: time | None) -> str | None:
    return value.strftime("%H:%M") if value else None


def _moment(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value else None


def _template_ref(template: ReflectionTemplate | None) -> dict[str, Any] | None:
    return None if template is None else {"slug": template.slug}


def _version_ref(version: TemplateVersion) -> dict[str, Any]:
    return {"slug": version.template.slug, "version": version.number}


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def templates_of(coach: User) -> list[dict[str, Any]]:
    found = []
    own = ReflectionTemplate.objects.filter(owner=coach).order_by("pk").prefetch_related("versions")
    for t in own:
        versions = sorted(t.versions.all(), key=lambda v: v.number)
        found.append(
            {
                "slug": t.slug,
                "name": t.name,
                "description": t.description,
                "retired": t.retired,
                "versions": [{"number": v.number, "definition": v.definition} for v in versions],
            }
        )
    return found


def techniques_of(coach: User) -> list[dict[str, Any]]:
    own = Technique.objects.for_coach(coach).order_by("pk")
    return [
        {"slug": t.slug, "name": t.name, "description": t.description, "retired": t.retired}
        for t in own
    ]


def opening_of(coach: User) -> list[dict[str, Any]]:
    """The ICF log's rows before Debrief, per client, in the order they were imported."""
    return [
        {
            "client": r.client,
            "contact": r.contact,
            "group": r.group,
            "group_size": r.group_size,
            "first": _day(r.first),
            "last": _day(r.last),
            "paid_hours": str(r.paid_hours),
            "pro_bono_hours": str(r.pro_bono_hours),
            "clients": r.clients,
        }
        for r in OpeningBalance.objects.for_coach(coach).order_by("pk")
    ]


def _coachee_head(c: Coachee) -> dict[str, Any]:
    return {
        "code": str(c.code),
        "name": c.name,
        "preferred_name": c.preferred_name,
        "pronouns": c.pronouns,
        "email": c.email,
        "organisation": c.organisation,
        "engagement_start": _day(c.engagement_start),
        "status": c.status,
        "background": c.background,
        "notes_consent_on": _day(c.notes_consent_on),
        "icf_log_listing": c.icf_log_listing,
        "default_template": _template_ref(c.default_template),
    }


def _goals(c: Coachee) -> list[dict[str, Any]]:
    return [
        {
            "code": str(g.code),
            "title": g.title,
            "description": g.description,
            "target_date": _day(g.target_date),
            "status": g.status,
            "closed_at": _moment(g.closed_at),
        }
        for g in Goal.objects.for_coach(c.coach).filter(coachee=c).order_by("pk")
    ]


class _Batch:
    """Everything hanging off a batch of sessions, read in one query per kind of row."""

    def __init__(self, coach: User, sessions: list[CoachingSession]) -> None:
        ids = [s.pk for s in sessions]
        reflections = Reflection.objects.for_coach(coach).filter(session_id__in=ids)
        self.reflections = {
            r.session_id: r for r in reflections.select_related("template_version__template")
        }
        rids = [r.pk for r in self.reflections.values()]
        self.answers: dict[int, list[Answer]] = defaultdict(list)
        for a in Answer.objects.filter(reflection_id__in=rids).order_by(
            "reflection_id", "prompt_key"
        ):
            self.answers[a.reflection_id].append(a)
        self.uses: dict[int, list[TechniqueUse]] = defaultdict(list)
        uses = TechniqueUse.objects.for_coach(coach).filter(reflection_id__in=rids)
        for u in uses.select_related("technique").order_by("reflection_id", "prompt_key", "pk"):
            self.uses[u.reflection_id].append(u)
        self.actions = _by_session(ActionItem.objects.for_coach(coach).filter(session_id__in=ids))
        reviews = ActionReview.objects.for_coach(coach).filter(session_id__in=ids)
        self.reviews = _by_session(reviews.select_related("action"), "action_id")
        progress = GoalProgress.objects.for_coach(coach).filter(session_id__in=ids)
        self.progress = _by_session(progress.select_related("goal"), "goal_id")


def _by_session(rows: Any, *order: str) -> dict[int, list[Any]]:
    found: dict[int, list[Any]] = defaultdict(list)
    for row in rows.order_by("session_id", *order, "pk"):
        found[row.session_id].append(row)
    return found


def _reflection(r: Reflection | None, batch: _Batch) -> dict[str, Any] | None:
    if r is None:
        return None
    return {
        "code": str(r.code),
        "template": _version_ref(r.template_version),
        "status": r.status,
        "completed_at": _moment(r.completed_at),
        "answers": [
            {"prompt": a.prompt_key, "text": a.text, "rating": a.rating}
            for a in batch.answers.get(r.pk, [])
        ],
        "techniques": [
            {
                "technique": u.technique.slug,
                "prompt": u.prompt_key,
                "effectiveness": u.effectiveness,
                "note": u.note,
            }
            for u in batch.uses.get(r.pk, [])
        ],
    }


def _session(s: CoachingSession, batch: _Batch) -> dict[str, Any]:
    return {
        "code": str(s.code),
        "number": s.number,
        "date": s.date.isoformat(),
        "start_time": _clock(s.start_time),
        "duration_minutes": s.duration_minutes,
        "format": s.format,
        "payment": s.payment,
        "kind": s.kind,
        "group_size": s.group_size,
        "cancelled": s.cancelled,
        "reflection": _reflection(batch.reflections.get(s.pk), batch),
        "actions": [
            {
                "code": str(a.code),
                "owner": a.owner,
                "text": a.text,
                "due": _day(a.due),
                "status": a.status,
                "closed_at": _moment(a.closed_at),
            }
            for a in batch.actions.get(s.pk, [])
        ],
        "action_reviews": [
            {"action": str(r.action.code), "choice": r.choice, "note": r.note}
            for r in batch.reviews.get(s.pk, [])
        ],
        "goal_progress": [
            {"goal": str(p.goal.code), "score": p.score, "note": p.note}
            for p in batch.progress.get(s.pk, [])
        ],
    }


def _batches(coach: User, c: Coachee) -> Iterator[list[CoachingSession]]:
    ids = list(
        CoachingSession.objects.for_coach(coach)
        .filter(coachee=c)
        .order_by("number")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        yield list(CoachingSession.objects.filter(pk__in=chunk).order_by("number"))


class Counter:
    def __init__(self) -> None:
        self.coachees = 0
        self.sessions = 0


def _coachee_chunks(coach: User, c: Coachee, counter: Counter) -> Iterator[str]:
    head = _coachee_head(c)
    head["goals"] = _goals(c)
    text = _dumps(head)
    yield text[:-1] + ',"sessions":['  # the head without its closing brace
    first = True
    for sessions in _batches(coach, c):
        batch = _Batch(coach, sessions)
        parts = [_dumps(_session(s, batch)) for s in sessions]
        counter.sessions += len(parts)
        yield ("" if first else ",") + ",".join(parts)
        first = False
    yield "]}"


def _coachees(coach: User) -> Iterable[Coachee]:
    return (
        Coachee.objects.for_coach(coach).select_related("default_template").order_by("pk")
    ).iterator(chunk_size=100)


def journal_chunks(coach: User, now: datetime | None = None) -> Iterator[str]:
    """The journal file as text chunks; joined, they are one JSON document."""
    counter = Counter()
    head = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": _moment(now or timezone.now()),
        "coach": {
            "display_name": coach.display_name,
            "default_template": _template_ref(coach.default_template),
        },
        "templates": templates_of(coach),
        "techniques": techniques_of(coach),
        "opening_balances": opening_of(coach),
    }
    yield _dumps(head)[:-1] + ',"coachees":['
    for i, c in enumerate(_coachees(coach)):
        if i:
            yield ","
        counter.coachees += 1
        yield from _coachee_chunks(coach, c, counter)
    yield '],"practice":'
    yield from practice_chunks(coach)
    counts = {"coachees": counter.coachees, "sessions": counter.sessions}
    yield ',"counts":' + _dumps(counts) + "}\n"


def journal_text(coach: User, now: datetime | None = None) -> str:
    """The whole file at once: for tests and the command line, not for the download."""
    return "".join(journal_chunks(coach, now))
