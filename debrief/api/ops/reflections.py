"""A session's reflection: read it, save fields (the page's save path), complete or reopen it.

Saving goes through ``journal.reflection.save_fields``, the function the reflection page and
its autosave post to: the same field names, the same cleaning by each answer kind, and the
same conflict rule. Send each field's ``hash`` from the GET back as its base; a field that
changed since is not written and comes back as a conflict with both versions (409).
"""

from __future__ import annotations

from uuid import UUID

from django.http import HttpRequest, QueryDict
from django.utils import timezone
from ninja import Router, Status

from debrief.api import auth
from debrief.api.common import Refused, coach_request
from debrief.api.schemas import (
    ERRORS,
    WRITE_ERRORS,
    ReflectionChange,
    ReflectionOut,
    Saved,
    StatusChange,
)
from debrief.journal.access import get_session_for_user
from debrief.journal.answers.base import kind_of
from debrief.journal.models import Reflection
from debrief.journal.reflection import (
    SaveResult,
    field_hash,
    missing_required,
    save_fields,
    snapshot,
)

router = Router(tags=["reflections"])

NOT_COMPLETE = "Not marked complete yet: this template asks you to answer {listed}."
CONFLICT = "Changed elsewhere since you read it: both versions are in conflicts."


def reflection_out(reflection: Reflection) -> dict[str, object]:
    snap = snapshot(reflection)
    version = reflection.template_version
    prompts = []
    for section in snap.definition.sections:
        for prompt in section.prompts:
            kind = kind_of(prompt)
            prompts.append(
                {
                    "key": prompt.key,
                    "section": section.key,
                    "text": prompt.text,
                    "kind": prompt.kind,
                    "required": prompt.required,
                    "answer": kind.as_data(prompt, kind.value(prompt, snap)),
                }
            )
    return {
        "session": reflection.session.code,
        "status": reflection.status,
        "template": version.template.name,
        "template_version": version.number,
        "completed_at": reflection.completed_at,
        "updated": reflection.updated,
        "prompts": prompts,
        "fields": {n: {"value": v, "hash": field_hash(v)} for n, v in snap.values.items()},
    }


def _posted(body: ReflectionChange) -> QueryDict:
    """The request as the page would post it: each field, and ``base:<field>`` beside it."""
    data = QueryDict(mutable=True)
    for name, value in body.fields.items():
        data.setlist(name, value if isinstance(value, list) else [value])
    for name, base in body.bases.items():
        if name in body.fields:
            data[f"base:{name}"] = base
    return data


def _saved(result: SaveResult, reflection: Reflection, unknown: list[str]) -> dict[str, object]:
    reflection.refresh_from_db(fields=["status"])
    errors = {name: [message] for name, message in result.errors.items()}
    errors.update({name: ["This reflection has no field of that name."] for name in unknown})
    detail = (
        CONFLICT if result.conflicts else ("Some fields need changing." if errors else "Saved.")
    )
    return {
        "detail": detail,
        "saved": result.saved,
        "hashes": result.hashes,
        "errors": errors,
        "conflicts": [c.as_dict() for c in result.conflicts],
        "status": reflection.status,
    }


@router.get("/sessions/{code}/reflection", response={200: ReflectionOut, **ERRORS}, auth=auth.read)
def get_reflection(request: HttpRequest, code: UUID) -> dict[str, object]:
    """The reflection's prompts with their answers, and every field with its hash."""
    return reflection_out(get_session_for_user(coach_request(request), code).reflection)


@router.patch(
    "/sessions/{code}/reflection",
    response={200: Saved, 409: Saved, **WRITE_ERRORS, 422: Saved},
    auth=auth.write,
)
def save_reflection(
    request: HttpRequest, code: UUID, body: ReflectionChange
) -> Status[dict[str, object]]:
    """Save fields by name: ``p-<key>``, ``p-<key>-rating``, ``a-<code>-text``...

    A 422 for a field the kind refused (or a name the reflection does not have) carries the
    same body as a 200 or a 409: what was saved, and the errors by field."""
    reflection = get_session_for_user(coach_request(request), code).reflection
    known = snapshot(reflection).values
    unknown = [n for n in body.fields if n not in known and not n.startswith("new-")]
    result = save_fields(reflection, _posted(body))
    unknown = [n for n in unknown if n not in result.saved and n not in result.errors]
    status = 409 if result.conflicts else (422 if result.errors or unknown else 200)
    return Status(status, _saved(result, reflection, unknown))


@router.post(
    "/sessions/{code}/reflection/status",
    response={200: ReflectionOut, **WRITE_ERRORS},
    auth=auth.write,
)
def set_reflection_status(
    request: HttpRequest, code: UUID, body: StatusChange
) -> dict[str, object]:
    """Mark the reflection complete (every required prompt answered) or a draft again."""
    reflection = get_session_for_user(coach_request(request), code).reflection
    if body.status == Reflection.Status.COMPLETE:
        if missing := missing_required(snapshot(reflection)):
            listed = "; ".join(f"“{p.text}”" for p in missing)
            raise Refused({"status": [NOT_COMPLETE.format(listed=listed)]})
        reflection.status = Reflection.Status.COMPLETE
        reflection.completed_at = timezone.now()
    else:
        reflection.status = Reflection.Status.DRAFT
        reflection.completed_at = None
    reflection.save(update_fields=["status", "completed_at", "updated"])
    return reflection_out(reflection)
