"""What is searchable, read from the coach's own rows and turned into index text.

A document is one text in one place: ``(kind, ref, index text)``. ``kind`` and ``ref`` say
where it lives, so a result can link to it and open the original for its passage:

- ``answer``: ref is the prompt key (a reflection answer of any kind, or a rating's comment,
  as its answer kind reads it: ``search_text``)
- ``action``: ref is ``<owner>:<action code>``
- ``technique``: ref is ``<prompt key>:<technique id>`` (the note on a technique used)
- ``progress``: ref is the goal code (the note on a goal's progress at this session)
- ``review``: ref is the action code (the note when an earlier action was reviewed)
- ``profile``: ref is the coachee field (name, preferred name, email, organisation, background)
- ``goal``: ref is ``<goal code>:<title|description>``

Every sealed text is read through its model: rows are loaded with the columns their
``private_row`` needs and the field is read as an attribute, so the model's own row format and
key open it (``PrivateTextField``). ``INDEXED`` and ``NOT_INDEXED`` name every private field of
every model, and a test fails when a new one is in neither.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import Any

from django.db.models import Model

from debrief.coachees.models import Coachee
from debrief.followup.models import ActionItem, ActionReview, Goal, GoalProgress
from debrief.journal.models import Answer, Reflection
from debrief.lib.words import index_text
from debrief.privacy.fields import Unopenable
from debrief.search.places import layouts
from debrief.techniques.models import TechniqueUse

logger = logging.getLogger(__name__)

Doc = tuple[str, str, str]
PROFILE_FIELDS = ("name", "preferred_name", "email", "organisation", "background")

# Every private field search reads ("app_label.Model.field"), and the document kind it makes.
INDEXED = {
    "journal.Answer.text": "answer",
    "followup.ActionItem.text": "action",
    "techniques.TechniqueUse.note": "technique",
    "followup.GoalProgress.note": "progress",
    "followup.ActionReview.note": "review",
    **{f"coachees.Coachee.{name}": "profile" for name in PROFILE_FIELDS},
    "followup.Goal.title": "goal",
    "followup.Goal.description": "goal",
}
# Every private field search leaves out on purpose, and why.
NOT_INDEXED = {
    "coachees.Coachee.pronouns": "pronouns say how to refer to someone, not what was said",
    "exports.SupervisionFlag.note": (
        "what to take to supervision: shown on the supervision pack page, not a session's notes"
    ),
    "exports.SupervisionPack.redactions": (
        "words the coach chose to hide from a pack: finding them by search would undo that"
    ),
    "diary.CalendarSource.url": "a calendar feed's address is a credential, never shown",
    "icflog.OpeningBalance.client": (
        "a client from before Debrief, named only for the ICF log: there are no notes to find"
    ),
    "coachees.Handover.consent_note": (
        "how a coachee agreed to a hand-over: a record of consent, shown on the hand-over page"
    ),
    "icflog.PreviousClient.client": (
        "a client handed over to another coach, named only for the previous coach's ICF log"
    ),
    "icflog.PreviousClient.contact": (
        "a handed-over client's contact details, for the previous coach's ICF log only"
    ),
    "icflog.OpeningBalance.contact": (
        "a client's contact details from before Debrief, for the ICF log only, not notes"
    ),
    "insights.SessionSummary.terms": (
        "theme terms derived from a reflection's answers, which are indexed themselves"
    ),
    "diary.CalendarEvent.summary": (
        "calendar entries are proposals until the coach confirms them as sessions"
    ),
    "diary.CalendarEvent.attendees": "email addresses of calendar guests, not coaching notes",
    "diary.CalendarEvent.location": "where a calendar entry takes place, not coaching notes",
    "practice.SupervisionEntry.themes": (
        "the coach's own supervision log, under its own key: on the practice pages"
    ),
    "practice.SupervisionEntry.learning": (
        "the coach's own supervision log, under its own key: on the practice pages"
    ),
    "practice.ClientFeedback.text": (
        "feedback kept as an accreditation record, under its own key: on the practice pages"
    ),
}


def _read(row: Model, field: str) -> str:
    """The text of a private field, or "" (the field logs why) if it does not open."""
    value = getattr(row, field)
    return "" if isinstance(value, Unopenable) else str(value or "")


def _rows(model: type[Model], filters: dict[str, Any], *columns: str) -> Any:
    """Rows with ``columns`` only: those the text and its model's ``private_row`` need."""
    return model.objects.filter(**filters).only(*columns).order_by("pk")  # type: ignore[attr-defined]


def session_documents(session_ids: list[int]) -> dict[int, list[Doc]]:
    """Every searchable text of these sessions, by session id (sessions without any: empty)."""
    docs: dict[int, list[Doc]] = defaultdict(list)
    rows = Reflection.objects.filter(session_id__in=session_ids)
    reflections, versions = {}, {}
    for rid, sid, version_id in rows.values_list("id", "session_id", "template_version_id"):
        reflections[rid], versions[rid] = sid, version_id
    by_version = layouts(set(versions.values()))
    in_reflections = {"reflection_id__in": list(reflections)}
    for answer in _rows(Answer, in_reflections, "reflection", "prompt_key", "text"):
        opened = _read(answer, "text")
        layout = by_version.get(versions[answer.reflection_id])
        key = answer.prompt_key
        text = index_text(layout.answer_text(key, opened) if layout else opened)
        if text:
            docs[reflections[answer.reflection_id]].append(("answer", key, text))
    in_sessions = {"session_id__in": session_ids}
    for item in _rows(ActionItem, in_sessions, "session", "code", "owner", "text"):
        text = index_text(_read(item, "text"))
        if text:
            docs[item.session_id].append(("action", f"{item.owner}:{item.code}", text))
    columns = ("reflection", "prompt_key", "technique", "note")
    for use in _rows(TechniqueUse, in_reflections, *columns):
        text = index_text(_read(use, "note"))
        if text:
            ref = f"{use.prompt_key}:{use.technique_id}"
            docs[reflections[use.reflection_id]].append(("technique", ref, text))
    progress = _rows(GoalProgress, in_sessions, "goal__code", "session", "note")
    for p in progress.select_related("goal"):
        text = index_text(_read(p, "note"))
        if text:
            docs[p.session_id].append(("progress", str(p.goal.code), text))
    reviews = _rows(ActionReview, in_sessions, "action__code", "session", "note")
    for r in reviews.select_related("action"):
        text = index_text(_read(r, "note"))
        if text:
            docs[r.session_id].append(("review", str(r.action.code), text))
    return {sid: docs.get(sid, []) for sid in session_ids}


def profile_documents(coachee_ids: list[int]) -> dict[int, list[Doc]]:
    """Every searchable text about these coachees themselves: profile fields and goals."""
    docs: dict[int, list[Doc]] = defaultdict(list)
    coachees = Coachee.objects.filter(id__in=coachee_ids).only("code", *PROFILE_FIELDS)
    for coachee in coachees:
        for field in PROFILE_FIELDS:
            text = index_text(_read(coachee, field))
            if text:
                docs[coachee.id].append(("profile", field, text))
    goals = (
        Goal.objects.filter(coachee_id__in=coachee_ids)
        .only("coachee_id", "code", "title", "description")
        .order_by("id")
    )
    for goal in goals:
        for field in ("title", "description"):
            text = index_text(_read(goal, field))
            if text:
                docs[goal.coachee_id].append(("goal", f"{goal.code}:{field}", text))
    return {cid: docs.get(cid, []) for cid in coachee_ids}
