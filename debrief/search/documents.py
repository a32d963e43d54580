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
from debrief.privacy.fields import PrivateTextError, PrivateTextField, Sealed, Unopenable
from debrief.search.places import layouts
from debrief.techniques.models import TechniqueUse

logger = logging.getLogger(__name__)

Doc = tuple[str, str, str]
PROFILE_FIELDS = ("name", "preferred_name", "email", "organisation", "background")


class _Row:
    """Just enough of a row for ``PrivateTextField.open``: its identity for the context."""

    __slots__ = ("row",)

    def __init__(self, row: str) -> None:
        self.row = row

    def private_row(self) -> str:
        return self.row


def _open(model: type[Model], field: str, row: str, value: Any) -> str:
    """The text of a private value read with ``values_list`` (no model instance: faster)."""
    if not isinstance(value, Sealed):
        return str(value or "")
    private: PrivateTextField = model._meta.get_field(field)  # type: ignore[assignment]
    try:
        return private.open(_Row(row), value)  # type: ignore[arg-type]
    except PrivateTextError:
        logger.warning("search: %s.%s of row %s does not open", model.__name__, field, row)
        return ""


def _read(row: Any, field: str) -> str:
    """The text of a private field, or "" (the field logs why) if it does not open."""
    value = getattr(row, field)
    return "" if isinstance(value, Unopenable) else str(value)


def session_documents(session_ids: list[int]) -> dict[int, list[Doc]]:
    """Every searchable text of these sessions, by session id (sessions without any: empty)."""
    docs: dict[int, list[Doc]] = defaultdict(list)
    rows = Reflection.objects.filter(session_id__in=session_ids)
    reflections, versions = {}, {}
    for rid, sid, version_id in rows.values_list("id", "session_id", "template_version_id"):
        reflections[rid], versions[rid] = sid, version_id
    by_version = layouts(set(versions.values()))
    answers = Answer.objects.filter(reflection_id__in=list(reflections)).exclude(text="")
    for rid, key, value in answers.values_list("reflection_id", "prompt_key", "text"):
        opened = _open(Answer, "text", f"{rid}|{key}", value)
        layout = by_version.get(versions[rid])
        text = index_text(layout.answer_text(key, opened) if layout else opened)
        if text:
            docs[reflections[rid]].append(("answer", key, text))
    actions = ActionItem.objects.filter(session_id__in=session_ids).exclude(text="")
    for sid, code, owner, value in actions.values_list("session_id", "code", "owner", "text"):
        text = index_text(_open(ActionItem, "text", str(code), value))
        if text:
            docs[sid].append(("action", f"{owner}:{code}", text))
    uses = TechniqueUse.objects.filter(reflection_id__in=list(reflections)).exclude(note="")
    for rid, key, tid, value in uses.values_list(
        "reflection_id", "prompt_key", "technique_id", "note"
    ):
        text = index_text(_open(TechniqueUse, "note", f"{rid}|{key}|{tid}", value))
        if text:
            docs[reflections[rid]].append(("technique", f"{key}:{tid}", text))
    progress = GoalProgress.objects.filter(session_id__in=session_ids).exclude(note="")
    for gid, sid, code, value in progress.values_list(
        "goal_id", "session_id", "goal__code", "note"
    ):
        text = index_text(_open(GoalProgress, "note", f"{gid}|{sid}", value))
        if text:
            docs[sid].append(("progress", str(code), text))
    reviews = ActionReview.objects.filter(session_id__in=session_ids).exclude(note="")
    for aid, sid, code, value in reviews.values_list(
        "action_id", "session_id", "action__code", "note"
    ):
        text = index_text(_open(ActionReview, "note", f"{aid}|{sid}", value))
        if text:
            docs[sid].append(("review", str(code), text))
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
