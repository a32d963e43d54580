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
from uuid import UUID

from django.db.models import ExpressionWrapper, F, TextField
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
PIECE = 256 * 1024  # characters a chunk of the stream


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


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _dumps(value: Any) -> str:
    return _ENCODER.encode(value)


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


def _stored(name: str) -> ExpressionWrapper:
    """The sealed column ``name`` as stored, as plain text (``stored`` of each row, below):
    not wrapped as ``Sealed`` by its field's converter, which ``read_many`` does not need, so
    Django runs no converter over rows that have no other (an export's answers)."""
    return ExpressionWrapper(F(name), output_field=TextField())


def _opened(model: type[Any], name: str, rows: list[Any], owner: UUID) -> list[str]:
    """``name`` of each named ``values_list`` row of ``model``, read as ``stored``, opened: the
    model's own row id (its ``private_row`` asked of the row's columns), the coachee's key,
    once per value, in one loop of the privacy API (``read_many``)."""
    private_row = model.private_row
    return model._meta.get_field(name).read_many(
        [r.stored for r in rows], [private_row(r) for r in rows], owner
    )


class _Batch:
    """Everything hanging off a batch of sessions, read in one query per kind of row.

    Flat ``values_list`` rows, not model rows (a 10,000-session journal holds some 400,000
    rows, and building model rows for them was most of an export's time), already in the
    shape of the file: the sealed values opened once each, through the privacy API.
    """

    def __init__(self, coach: User, owner: UUID, ids: list[int]) -> None:
        reflections = Reflection.objects.for_coach(coach).filter(session_id__in=ids)
        self.reflections = {
            r[1]: r
            for r in reflections.values_list(
                "pk",
                "session_id",
                "code",
                "template_version__template__slug",
                "template_version__number",
                "status",
                "completed_at",
            )
        }
        rids = [r[0] for r in self.reflections.values()]
        self.answers = self._answers(rids, owner)
        self.uses = self._uses(coach, rids, owner)
        self.actions = self._actions(coach, ids, owner)
        self.reviews = self._reviews(coach, ids, owner)
        self.progress = self._progress(coach, ids, owner)

    @staticmethod
    def _answers(rids: list[int], owner: UUID) -> dict[int, list[dict[str, Any]]]:
        found: dict[int, list[dict[str, Any]]] = defaultdict(list)
        query = Answer.objects.filter(reflection_id__in=rids).order_by(
            "reflection_id", "prompt_key"
        )
        query = query.annotate(stored=_stored("text"))
        rows: list[Any] = list(
            query.values_list("reflection_id", "prompt_key", "stored", "rating", named=True)
        )
        for a, text in zip(rows, _opened(Answer, "text", rows, owner), strict=True):
            found[a.reflection_id].append(
                {"prompt": a.prompt_key, "text": text, "rating": a.rating}
            )
        return found

    @staticmethod
    def _uses(coach: User, rids: list[int], owner: UUID) -> dict[int, list[dict[str, Any]]]:
        found: dict[int, list[dict[str, Any]]] = defaultdict(list)
        query = TechniqueUse.objects.for_coach(coach).filter(reflection_id__in=rids)
        names = ("reflection_id", "prompt_key", "technique_id", "technique__slug")
        rows: list[Any] = list(
            query.order_by("reflection_id", "prompt_key", "pk")
            .annotate(stored=_stored("note"))
            .values_list(*names, "effectiveness", "stored", named=True)
        )
        for u, note in zip(rows, _opened(TechniqueUse, "note", rows, owner), strict=True):
            found[u.reflection_id].append(
                {
                    "technique": u.technique__slug,
                    "prompt": u.prompt_key,
                    "effectiveness": u.effectiveness,
                    "note": note,
                }
            )
        return found

    @staticmethod
    def _actions(coach: User, ids: list[int], owner: UUID) -> dict[int, list[dict[str, Any]]]:
        found: dict[int, list[dict[str, Any]]] = defaultdict(list)
        query = ActionItem.objects.for_coach(coach).filter(session_id__in=ids)
        rows: list[Any] = list(
            query.order_by("session_id", "pk")
            .annotate(stored=_stored("text"))
            .values_list(
                "session_id", "code", "owner", "stored", "due", "status", "closed_at", named=True
            )
        )
        for a, text in zip(rows, _opened(ActionItem, "text", rows, owner), strict=True):
            found[a.session_id].append(
                {
                    "code": str(a.code),
                    "owner": a.owner,
                    "text": text,
                    "due": _day(a.due),
                    "status": a.status,
                    "closed_at": _moment(a.closed_at),
                }
            )
        return found

    @staticmethod
    def _reviews(coach: User, ids: list[int], owner: UUID) -> dict[int, list[dict[str, Any]]]:
        found: dict[int, list[dict[str, Any]]] = defaultdict(list)
        query = ActionReview.objects.for_coach(coach).filter(session_id__in=ids)
        rows: list[Any] = list(
            query.order_by("session_id", "action_id", "pk")
            .annotate(stored=_stored("note"))
            .values_list("session_id", "action_id", "action__code", "choice", "stored", named=True)
        )
        for r, note in zip(rows, _opened(ActionReview, "note", rows, owner), strict=True):
            found[r.session_id].append(
                {"action": str(r.action__code), "choice": r.choice, "note": note}
            )
        return found

    @staticmethod
    def _progress(coach: User, ids: list[int], owner: UUID) -> dict[int, list[dict[str, Any]]]:
        found: dict[int, list[dict[str, Any]]] = defaultdict(list)
        query = GoalProgress.objects.for_coach(coach).filter(session_id__in=ids)
        rows: list[Any] = list(
            query.order_by("session_id", "goal_id", "pk")
            .annotate(stored=_stored("note"))
            .values_list("session_id", "goal_id", "goal__code", "score", "stored", named=True)
        )
        for p, note in zip(rows, _opened(GoalProgress, "note", rows, owner), strict=True):
            found[p.session_id].append({"goal": str(p.goal__code), "score": p.score, "note": note})
        return found


def _reflection(r: tuple[Any, ...] | None, batch: _Batch) -> dict[str, Any] | None:
    if r is None:
        return None
    pk, _session_id, code, slug, number, status, completed_at = r
    return {
        "code": str(code),
        "template": {"slug": slug, "version": number},
        "status": status,
        "completed_at": _moment(completed_at),
        "answers": batch.answers.get(pk, []),
        "techniques": batch.uses.get(pk, []),
    }


_SESSION_COLUMNS = (
    "pk",
    "code",
    "number",
    "date",
    "start_time",
    "duration_minutes",
    "format",
    "payment",
    "kind",
    "group_size",
    "cancelled",
)


def _session(s: Any, batch: _Batch) -> dict[str, Any]:
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
        "actions": batch.actions.get(s.pk, []),
        "action_reviews": batch.reviews.get(s.pk, []),
        "goal_progress": batch.progress.get(s.pk, []),
    }


def _batches(coach: User, c: Coachee) -> Iterator[list[Any]]:
    sessions = list(
        CoachingSession.objects.for_coach(coach)
        .filter(coachee=c)
        .order_by("number")
        .values_list(*_SESSION_COLUMNS, named=True)
    )
    for start in range(0, len(sessions), BATCH):
        yield sessions[start : start + BATCH]


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
        batch = _Batch(coach, c.code, [s.pk for s in sessions])
        # One encoder call a batch: the list's text without its brackets is the sessions
        # joined by commas, as the file has them.
        text = _ENCODER.encode([_session(s, batch) for s in sessions])[1:-1]
        counter.sessions += len(sessions)
        text = ("" if first else ",") + text
        # In pieces under waitress's outbuf_overflow (1 MB), beyond which it spills to a file.
        for start in range(0, len(text), PIECE):
            yield text[start : start + PIECE]
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
