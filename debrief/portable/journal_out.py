"""One coach's whole journal as one JSON file, written piece by piece (docs/journal-format.md).

The file is produced as a stream of UTF-8 chunks: the small parts (the coach's templates,
techniques, hours before Debrief) first, then one coachee at a time and their sessions in
batches, then the practice records one entry at a time (a CPD certificate is the largest),
so memory stays flat however many sessions there are. The batches are most of the time, and
each is written by whoever is free: this process, or the export worker beside it on another
core (``export_worker.py``), sent in the file's order either way. Everything is read through
``for_coach``: the ownership choke point.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, time
from functools import partial
from typing import Any, NamedTuple
from uuid import UUID

import orjson
from django.db.models import ExpressionWrapper, F, QuerySet, TextField
from django.db.models.utils import create_namedtuple_class
from django.utils import timezone

from debrief.accounts.models import User
from debrief.coachees.models import Coachee
from debrief.followup.models import ActionItem, ActionReview, Goal, GoalProgress
from debrief.icflog.models import OpeningBalance
from debrief.journal.models import Answer, CoachingSession, Reflection
from debrief.portable.export_worker import Worker
from debrief.portable.format import FORMAT, VERSION
from debrief.portable.practice_part import practice_chunks
from debrief.prompts.models import ReflectionTemplate, TemplateVersion
from debrief.techniques.models import Technique, TechniqueUse

BATCH = 250  # sessions read together: a handful of queries per batch
PIECE = 256 * 1024  # bytes a chunk of the stream
WINDOW = 4  # batches taken (written or asked of the export worker) ahead of the file


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


def _dumps(value: Any) -> bytes:
    """``value`` as compact JSON in UTF-8: the bytes ``json.dumps(value, ensure_ascii=False,
    separators=(",", ":"))`` encoded would be (tests/test_journal_move.py checks), written by
    orjson in a quarter of the time (at 10,000 sessions: 0.5 s of the export's 2.8 s)."""
    return orjson.dumps(value)


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


class _Job(NamedTuple):
    """One batch of a coachee's sessions (their numbers, unique per coachee, run from
    ``first`` to ``last``; ``sessions`` of them), or none for a coachee without sessions."""

    coachee: Coachee
    sessions: int
    first: int
    last: int
    opens: bool  # the coachee's first batch
    closes: bool  # and its last


def _plan(coach: User) -> Iterator[_Job]:
    """Every batch of the file, in its order: the coachees, each one's sessions by number."""
    for c in _coachees(coach):
        query = CoachingSession.objects.for_coach(coach).filter(coachee=c)
        numbers = list(query.order_by("number").values_list("number", flat=True))
        if not numbers:
            yield _Job(c, 0, 0, 0, opens=True, closes=True)
        for start in range(0, len(numbers), BATCH):
            part = numbers[start : start + BATCH]
            last = start + BATCH >= len(numbers)
            yield _Job(c, len(part), part[0], part[-1], opens=start == 0, closes=last)


def batch_text(coach: User, coachee: int, code: UUID, first: int, last: int) -> bytes:
    """The JSON of a batch of a coachee's sessions (``coachee``'s pk, ``code`` its owner code,
    the numbers ``first`` to ``last``), joined by commas, as the file has them: the same
    bytes in this process or in an export worker (``export_worker.serve``)."""
    query = CoachingSession.objects.for_coach(coach).filter(coachee_id=coachee)
    query = query.filter(number__range=(first, last))
    sessions = list(query.order_by("number").values_list(*_SESSION_COLUMNS))
    if not sessions:
        return b""
    return _dumps(_sessions(sessions, _Batch(coach, code, query.values("pk"))))[1:-1]


def _batch(coach: User, job: _Job) -> bytes:
    return batch_text(coach, job.coachee.pk, job.coachee.code, job.first, job.last)


class Counter:
    def __init__(self) -> None:
        self.coachees = 0
        self.sessions = 0


def _pieces(text: bytes) -> Iterator[bytes]:
    # In pieces, so that waitress can make the stream wait for a slow visitor between them
    # (serve.buffer_options: at 4 MB pending) long before it would spill any to a file.
    for start in range(0, len(text), PIECE):
        yield text[start : start + PIECE]


def _coachees_chunks(coach: User, counter: Counter) -> Iterator[bytes]:
    """The coachees' part of the file: each one's head, goals and sessions, batch by batch.

    Whoever is free writes the next batch: this process, or the export worker when there is
    one (``export_worker.Worker``: asked up to ``Worker.AHEAD`` batches ahead); each batch
    is sent in the file's order, whoever wrote it. This process writes a batch ahead of the
    one the worker is busy with rather than wait, at most ``WINDOW`` batches past the one
    the file has reached, so what is held does not grow with the journal.
    """
    worker = Worker.start(coach)
    plan = enumerate(_plan(coach))
    ahead: deque[tuple[int, _Job]] = deque()  # taken, not yet sent, in the file's order
    mine: dict[int, bytes] = {}  # batches of those written here

    def take() -> tuple[int, _Job] | None:
        found = next(plan, None)
        if found is not None:
            ahead.append(found)
        return found

    written = False  # a batch of this coachee's sessions is in the file
    try:
        while ahead or take() is not None:
            index, job = ahead[0]
            while worker is not None and worker.wants() and len(ahead) < WINDOW:
                if (found := take()) is None:
                    break
                worker.ask(*found)
            if index in mine:
                text: bytes | None = mine.pop(index)
            elif worker is None or not worker.has(index):
                text = _batch(coach, job)
            elif (text := worker.done(index)) is None:
                if len(ahead) < WINDOW and (found := take()) is not None:
                    mine[found[0]] = _batch(coach, found[1])  # rather than wait
                    continue
                text = worker.wait(index)
                if text is None:  # the worker failed: its batches are written here
                    text = _batch(coach, job)
            ahead.popleft()
            if job.opens:
                if counter.coachees:
                    yield b","
                counter.coachees += 1
                head = _coachee_head(job.coachee)
                head["goals"] = _goals(job.coachee)
                yield _dumps(head)[:-1] + b',"sessions":['  # the head without its brace
                written = False
            if text:
                if written:
                    yield b","
                yield from _pieces(text)
                written = True
            counter.sessions += job.sessions
            if job.closes:
                yield b"]}"
    finally:
        if worker is not None:
            worker.stop()  # no worker outlives its export, whatever happened here


def _coachees(coach: User) -> Iterable[Coachee]:
    return (
        Coachee.objects.for_coach(coach).select_related("default_template").order_by("pk")
    ).iterator(chunk_size=100)


def journal_chunks(coach: User, now: datetime | None = None) -> Iterator[bytes]:
    """The journal file as chunks of UTF-8; joined, they are one JSON document."""
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
    yield _dumps(head)[:-1] + b',"coachees":['
    yield from _coachees_chunks(coach, counter)
    yield b'],"practice":'
    for chunk in practice_chunks(coach):
        yield chunk.encode()
    counts = {"coachees": counter.coachees, "sessions": counter.sessions}
    yield b',"counts":' + _dumps(counts) + b"}\n"


def journal_text(coach: User, now: datetime | None = None) -> str:
    """The whole file at once: for tests and the command line, not for the download."""
    return b"".join(journal_chunks(coach, now)).decode()
