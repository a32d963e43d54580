"""One coach's whole journal as one JSON file, written piece by piece (docs/journal-format.md).

The file is produced as a stream of text chunks: the small parts (the coach's templates,
techniques, hours before Debrief) first, then one coachee at a time and their sessions in
batches, then the practice records one entry at a time (a CPD certificate is the largest),
so memory stays flat however many sessions there are. Everything is read through
``for_coach``: the ownership choke point.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, time
from functools import partial
from typing import Any
from uuid import UUID

from django.db.models import ExpressionWrapper, F, QuerySet, TextField
from django.db.models.utils import create_namedtuple_class
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


# The C encoder, and no check for circular references: no value of the file holds itself (they
# are dicts and lists made for it), and the check (an entry in a dictionary for every dict and
# list encoded) was a third of the encoder's time.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)


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


def _opened(
    model: type[Any], name: str, rows: list[Any], names: tuple[str, ...], owner: UUID
) -> list[str]:
    """``name`` of each ``values_list`` row of ``model`` (its columns ``names``, the sealed
    one read as ``stored``), opened with the coachee's key (``owner``), once per value,
    in one loop of the privacy API (``read_many``).

    Each value's row id is the model's own ``private_row``, asked of the row seen by name for
    that call only: the rows stay plain tuples, which the garbage collector stops tracking,
    where named tuples it tracks to the end (an export's 250,000 answers kept that way
    through their batch made its full passes a sixth of the export's time).
    """
    view = partial(tuple.__new__, create_namedtuple_class(*names))
    stored = names.index("stored")
    return model._meta.get_field(name).read_many(
        [r[stored] for r in rows], list(map(model.private_row, map(view, rows))), owner
    )


def _grouped(keys: Iterable[int], items: list[dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
    """``items`` by the session or reflection each belongs to (``keys``, in the same order)."""
    found: dict[int, list[dict[str, Any]]] = {}
    for key, item in zip(keys, items, strict=True):
        group = found.get(key)
        if group is None:
            found[key] = [item]
        else:
            group.append(item)
    return found


class _Batch:
    """Everything hanging off a batch of sessions, read in one query per kind of row.

    ``within`` is the batch's sessions as a subquery (one coachee's, a range of numbers), so
    no query carries a list of 250 ids for Django to prepare one by one. The rows are flat
    ``values_list`` rows, not model rows (a 10,000-session journal holds some 400,000 rows,
    and building model rows for them was most of an export's time), made into the file's
    dicts in one pass, the sealed values opened once each through the privacy API.
    """

    def __init__(self, coach: User, owner: UUID, within: QuerySet[Any]) -> None:
        reflections = Reflection.objects.for_coach(coach).filter(session__in=within)
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
        mine = reflections.values("pk")
        self.answers = self._answers(mine, owner)
        self.uses = self._uses(coach, mine, owner)
        self.actions = self._actions(coach, within, owner)
        self.reviews = self._reviews(coach, within, owner)
        self.progress = self._progress(coach, within, owner)

    @staticmethod
    def _answers(mine: QuerySet[Any], owner: UUID) -> dict[int, list[dict[str, Any]]]:
        query = Answer.objects.filter(reflection__in=mine).order_by("reflection_id", "prompt_key")
        query = query.annotate(stored=_stored("text"))
        names = ("reflection_id", "prompt_key", "stored", "rating")
        rows = list(query.values_list(*names))
        texts = _opened(Answer, "text", rows, names, owner)
        items = [
            {"prompt": key, "text": text, "rating": rating}
            for (_, key, _, rating), text in zip(rows, texts, strict=True)
        ]
        return _grouped((r[0] for r in rows), items)

    @staticmethod
    def _uses(coach: User, mine: QuerySet[Any], owner: UUID) -> dict[int, list[dict[str, Any]]]:
        query: QuerySet[Any] = TechniqueUse.objects.for_coach(coach).filter(reflection__in=mine)
        query = query.order_by("reflection_id", "prompt_key", "pk").annotate(stored=_stored("note"))
        names = ("reflection_id", "prompt_key", "technique_id", "technique__slug", "effectiveness")
        rows = list(query.values_list(*names, "stored"))
        notes = _opened(TechniqueUse, "note", rows, (*names, "stored"), owner)
        items = [
            {"technique": slug, "prompt": key, "effectiveness": effectiveness, "note": note}
            for (_, key, _, slug, effectiveness, _), note in zip(rows, notes, strict=True)
        ]
        return _grouped((r[0] for r in rows), items)

    @staticmethod
    def _actions(
        coach: User, within: QuerySet[Any], owner: UUID
    ) -> dict[int, list[dict[str, Any]]]:
        query: QuerySet[Any] = ActionItem.objects.for_coach(coach).filter(session__in=within)
        query = query.order_by("session_id", "pk").annotate(stored=_stored("text"))
        names = ("session_id", "code", "owner", "stored", "due", "status", "closed_at")
        rows = list(query.values_list(*names))
        texts = _opened(ActionItem, "text", rows, names, owner)
        items = [
            {
                "code": str(code),
                "owner": who,
                "text": text,
                "due": _day(due),
                "status": status,
                "closed_at": _moment(closed_at),
            }
            for (_, code, who, _, due, status, closed_at), text in zip(rows, texts, strict=True)
        ]
        return _grouped((r[0] for r in rows), items)

    @staticmethod
    def _reviews(
        coach: User, within: QuerySet[Any], owner: UUID
    ) -> dict[int, list[dict[str, Any]]]:
        query: QuerySet[Any] = ActionReview.objects.for_coach(coach).filter(session__in=within)
        query = query.order_by("session_id", "action_id", "pk").annotate(stored=_stored("note"))
        names = ("session_id", "action_id", "action__code", "choice", "stored")
        rows = list(query.values_list(*names))
        notes = _opened(ActionReview, "note", rows, names, owner)
        items = [
            {"action": str(code), "choice": choice, "note": note}
            for (_, _, code, choice, _), note in zip(rows, notes, strict=True)
        ]
        return _grouped((r[0] for r in rows), items)

    @staticmethod
    def _progress(
        coach: User, within: QuerySet[Any], owner: UUID
    ) -> dict[int, list[dict[str, Any]]]:
        query: QuerySet[Any] = GoalProgress.objects.for_coach(coach).filter(session__in=within)
        query = query.order_by("session_id", "goal_id", "pk").annotate(stored=_stored("note"))
        names = ("session_id", "goal_id", "goal__code", "score", "stored")
        rows = list(query.values_list(*names))
        notes = _opened(GoalProgress, "note", rows, names, owner)
        items = [
            {"goal": str(code), "score": score, "note": note}
            for (_, _, code, score, _), note in zip(rows, notes, strict=True)
        ]
        return _grouped((r[0] for r in rows), items)


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
    "number",
    "code",
    "date",
    "start_time",
    "duration_minutes",
    "format",
    "payment",
    "kind",
    "group_size",
    "cancelled",
)


def _sessions(rows: list[tuple[Any, ...]], batch: _Batch) -> list[dict[str, Any]]:
    reflections, actions = batch.reflections, batch.actions
    reviews, progress = batch.reviews, batch.progress
    return [
        {
            "code": str(code),
            "number": number,
            "date": day.isoformat(),
            "start_time": _clock(start),
            "duration_minutes": minutes,
            "format": form,
            "payment": payment,
            "kind": kind,
            "group_size": size,
            "cancelled": cancelled,
            "reflection": _reflection(reflections.get(pk), batch),
            "actions": actions.get(pk, []),
            "action_reviews": reviews.get(pk, []),
            "goal_progress": progress.get(pk, []),
        }
        for pk, number, code, day, start, minutes, form, payment, kind, size, cancelled in rows
    ]


def _batches(coach: User, c: Coachee) -> Iterator[tuple[list[tuple[Any, ...]], QuerySet[Any]]]:
    """The coachee's sessions by batches of ``BATCH``, each with itself as a subquery (the
    range of its numbers, which are unique per coachee)."""
    query = CoachingSession.objects.for_coach(coach).filter(coachee=c)
    sessions = list(query.order_by("number").values_list(*_SESSION_COLUMNS))
    for start in range(0, len(sessions), BATCH):
        part = sessions[start : start + BATCH]
        numbers = (part[0][1], part[-1][1])
        yield part, query.filter(number__range=numbers).values("pk")


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
    for sessions, within in _batches(coach, c):
        batch = _Batch(coach, c.code, within)
        # One encoder call a batch: the list's text between its brackets is the sessions
        # joined by commas, as the file has them; sent from there, never copied whole.
        text = _ENCODER.encode(_sessions(sessions, batch))
        counter.sessions += len(sessions)
        if not first:
            yield ","
        # In pieces, so that waitress can make the stream wait for a slow visitor between them
        # (serve.buffer_options: at 4 MB pending) long before it would spill any to a file.
        end = len(text) - 1
        for start in range(1, end, PIECE):
            yield text[start : min(start + PIECE, end)]
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
