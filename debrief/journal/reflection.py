"""Reading and saving a reflection's answers, field by field, without losing a word.

Every editable value on the reflection page is a named *field*:

- ``p-<key>``: a written answer, or the comment of a rating prompt;
- ``p-<key>-rating``: the score of a rating prompt;
- ``a-<code>-text`` / ``-due`` / ``-status``: an existing action item;
- ``new-<key>-text`` / ``new-<key>-due``: a new action item for an ``actions`` prompt;
- ``r-<code>-choice`` / ``-note``: the review, in this session, of an action still open from an
  earlier one (done, carry on, drop; see ``followup.carry``);
- ``lt-<key>``: how last session's plan for ``<key>`` went (stored as the answer ``lt.<key>``);
- ``g-<code>-score`` / ``-note``: progress on one of the coachee's goals, 0-10 with a note.
- ``p-<key>`` also carries the answer of a yes/no, number or choice prompt (``kinds.py``);
- ``t-<key>-<technique code>-used`` / ``-rating`` / ``-note``: one technique of a
  ``techniques`` prompt (``debrief/techniques/answers.py``).

The page sends, beside each field, ``base:<field>``: a short hash of the value it was
showing when the coach began editing. A save writes a field only if the stored value
still has that hash; otherwise another tab changed it and the save is refused as a
conflict carrying both versions. A field whose value still matches its base was not
touched, so it is skipped: a page sending every field (no JavaScript) cannot overwrite
what another tab saved.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.http import QueryDict
from django.utils import timezone

from debrief.followup import carry
from debrief.followup.models import ActionItem, ActionReview, Goal, GoalProgress
from debrief.journal import follow_fields, kinds
from debrief.journal.models import Answer, Reflection
from debrief.lib.forms import EARLIEST, LATEST, NUL_MESSAGE
from debrief.privacy.fields import SHORT_TEXT_LIMIT
from debrief.prompts.definition import Definition, Prompt
from debrief.techniques import answers as technique_answers
from debrief.techniques.models import Technique, TechniqueUse

ACTION_STATUSES = {s.value for s in ActionItem.Status}


def field_hash(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:16]


@dataclass
class Conflict:
    field: str
    label: str
    yours: str
    theirs: str

    @property
    def theirs_hash(self) -> str:
        return field_hash(self.theirs)

    def as_dict(self) -> dict[str, str]:
        return {
            "field": self.field,
            "label": self.label,
            "yours": self.yours,
            "theirs": self.theirs,
            "theirs_hash": self.theirs_hash,
        }


@dataclass
class SaveResult:
    saved: list[str] = field(default_factory=list)
    hashes: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)
    actions_changed: set[str] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.conflicts


@dataclass
class Snapshot:
    """The stored state of a reflection, as field name -> value strings."""

    reflection: Reflection
    definition: Definition
    answers: dict[str, Answer]
    actions: dict[str, ActionItem]  # by code
    values: dict[str, str]
    carried: dict[str, ActionItem] = field(default_factory=dict)  # from earlier sessions
    reviews: dict[str, ActionReview] = field(default_factory=dict)  # by action code
    last_time: list[carry.LastTime] = field(default_factory=list)
    goals: dict[str, Goal] = field(default_factory=dict)
    progress: dict[str, GoalProgress] = field(default_factory=dict)  # by goal code
    previous_scores: dict[str, int] = field(default_factory=dict)  # latest earlier, by goal code
    techniques: dict[str, Technique] = field(default_factory=dict)  # by code
    uses: dict[tuple[str, str], TechniqueUse] = field(default_factory=dict)  # (key, code)

    def actions_for(self, prompt: Prompt) -> list[ActionItem]:
        items = [a for a in self.actions.values() if a.owner == prompt.owner]
        return sorted(items, key=lambda a: a.created)

    def goal_prompt(self) -> Prompt | None:
        return next((p for p in self.definition.prompts() if p.kind == "goal_progress"), None)


def _action_values(action: ActionItem) -> dict[str, str]:
    prefix = f"a-{action.code}"
    return {
        f"{prefix}-text": action.text,
        f"{prefix}-due": action.due.isoformat() if action.due else "",
        f"{prefix}-status": action.status,
    }


def snapshot(reflection: Reflection, *, for_update: bool = False) -> Snapshot:
    definition = reflection.template_version.parsed
    answers = {a.prompt_key: a for a in reflection.answers.all()}
    actions_qs = ActionItem.objects.filter(session_id=reflection.session_id)
    if for_update:
        actions_qs = actions_qs.select_for_update()
    actions = {str(a.code): a for a in actions_qs}
    values: dict[str, str] = {}
    for prompt in definition.prompts():
        answer = answers.get(prompt.key)
        if prompt.is_written or prompt.kind == "rating":
            values[f"p-{prompt.key}"] = answer.text if answer else ""
        if prompt.kind == "rating":
            rating = answer.rating if answer else None
            values[f"p-{prompt.key}-rating"] = "" if rating is None else str(rating)
        if prompt.kind in kinds.VALUE_KINDS:
            values[f"p-{prompt.key}"] = kinds.stored_value(prompt, answer)
    for action in actions.values():
        values.update(_action_values(action))
    snap = Snapshot(reflection, definition, answers, actions, values)
    _load_techniques(snap)
    follow_fields.load(snap)
    return snap


def _load_techniques(snap: Snapshot) -> None:
    prompts = [p for p in snap.definition.prompts() if p.kind == "techniques"]
    if prompts:  # most templates have none: no queries for them
        snap.techniques, snap.uses = technique_answers.load(snap.reflection)
        snap.values.update(technique_answers.values(prompts, snap.techniques, snap.uses))


# --- validation of one submitted value ------------------------------------------------------


def _clean_text(value: str, limit: int) -> tuple[str, str | None]:
    value = value.replace("\r\n", "\n")
    if "\x00" in value:
        return value, NUL_MESSAGE
    if len(value) > limit:
        return value, (
            f"This answer is {len(value):,} characters long; Debrief keeps up to {limit:,} here. "
            "Shorten it, or move part of it to Additional notes."
        )
    return value, None


def _clean_rating(value: str, prompt: Prompt) -> tuple[str, str | None]:
    value = value.strip()
    if value == "":
        return value, None
    try:
        score = int(value) if value.isascii() else None
    except ValueError:
        score = None
    if score is None or score not in prompt.scale:
        return value, f"Choose a score from {prompt.scale_min} to {prompt.scale_max}."
    return str(score), None


def _clean_due(value: str) -> tuple[str, str | None]:
    value = value.strip()
    if value == "":
        return value, None
    try:
        due = date.fromisoformat(value)
    except ValueError:
        return value, "Enter a real date for the due date, or leave it empty."
    if not EARLIEST <= due <= LATEST:
        return value, "Enter a due date between 1900 and 2100."
    return due.isoformat(), None


def _field_kind(snap: Snapshot, name: str) -> tuple[str, Any]:
    """What a submitted field name refers to, or ("", None) for a name we do not know."""
    if name.startswith("p-"):
        key = name[2:]
        if key.endswith("-rating"):
            prompt = snap.definition.by_key.get(key[: -len("-rating")])
            return ("rating", prompt) if prompt and prompt.kind == "rating" else ("", None)
        prompt = snap.definition.by_key.get(key)
        if prompt and (prompt.is_written or prompt.kind == "rating"):
            return "text", prompt
        if prompt and prompt.kind in kinds.VALUE_KINDS:
            return "value", prompt
        return "", None
    if name.startswith("t-"):
        return _technique_kind(snap, name)
    if name.startswith("a-"):
        code, _, part = name[2:].rpartition("-")
        if part in ("text", "due", "status"):
            return f"action-{part}", code
    return follow_fields.kind_of(name)


def _technique_kind(snap: Snapshot, name: str) -> tuple[str, Any]:
    ref = technique_answers.parse_name(name)
    if ref is None or ref.code not in snap.techniques:
        return "", None
    prompt = snap.definition.by_key.get(ref.prompt_key)
    if prompt is None or prompt.kind != "techniques":
        return "", None
    return f"technique-{ref.part}", ref


def clean_value(snap: Snapshot, name: str, raw: str) -> tuple[str, str | None]:
    kind, target = _field_kind(snap, name)
    if kind == "text":
        return _clean_text(raw, target.max_length)
    if kind == "value":
        return kinds.clean(target, raw)
    if kind == "technique-used":
        return technique_answers.clean_used(raw)
    if kind == "technique-rating":
        return technique_answers.clean_rating(raw)
    if kind == "technique-note":
        return _clean_text(raw.strip(), SHORT_TEXT_LIMIT)
    if kind == "rating":
        return _clean_rating(raw, target)
    if kind == "action-text":
        return _clean_text(raw.strip(), SHORT_TEXT_LIMIT)
    if kind == "action-due":
        return _clean_due(raw)
    if kind == "action-status":
        value = raw.strip()
        return value, None if value in ACTION_STATUSES else "Choose open, done or dropped."
    if kind in follow_fields.KINDS:
        return follow_fields.clean(kind, raw, _clean_text)
    return raw, None


def label_for(snap: Snapshot, name: str) -> str:
    kind, target = _field_kind(snap, name)
    if kind in ("text", "rating", "value"):
        return str(target.text)
    if kind.startswith("technique-"):
        technique = snap.techniques[target.code].name
        part = {"used": "used", "rating": "how effective", "note": "note"}[target.part]
        return f"{technique} ({part})"
    if kind.startswith("action-"):
        action = snap.actions.get(target)
        return f"Action: {action.text}" if action else "Action item"
    if kind in follow_fields.KINDS:
        return follow_fields.label(snap, kind, target)
    return name


def _missing(snap: Snapshot, kind: str, target: Any) -> str | None:
    """Why a field refers to something no longer there, or None when it is there."""
    if kind.startswith("action-") and target not in snap.actions:
        return (
            "This action item was removed in another window. Reload the page to see "
            "the current list."
        )
    if kind in follow_fields.KINDS:
        return follow_fields.missing(snap, kind, target)
    return None


# --- writing --------------------------------------------------------------------------------


def _write(snap: Snapshot, name: str, value: str) -> None:
    kind, target = _field_kind(snap, name)
    if kind in follow_fields.KINDS:
        follow_fields.write(snap, kind, target, name, value)
        return
    if kind in ("text", "rating"):
        answer = snap.answers.get(target.key)
        if answer is None:
            answer = Answer(reflection=snap.reflection, prompt_key=target.key)
            snap.answers[target.key] = answer
        if kind == "text":
            answer.text = value
        else:
            answer.rating = int(value) if value else None
        answer.save()
    elif kind == "value":
        answer = snap.answers.get(target.key)
        if answer is None:
            answer = Answer(reflection=snap.reflection, prompt_key=target.key)
            snap.answers[target.key] = answer
        kinds.write(target, answer, value)
        answer.save()
    elif kind.startswith("technique-"):
        technique = snap.techniques[target.code]
        stored = technique_answers.write(snap.reflection, snap.uses, technique, target, value)
        snap.values.update(stored)
        return
    else:
        action = snap.actions[target]
        part = kind.removeprefix("action-")
        if part == "text":
            action.text = value
        elif part == "due":
            action.due = date.fromisoformat(value) if value else None
        else:
            action.set_status(value)
        action.save()
    snap.values[name] = value


def _create_actions(snap: Snapshot, data: QueryDict, result: SaveResult) -> None:
    for prompt in snap.definition.prompts():
        if prompt.kind != "actions":
            continue
        text_name, due_name = f"new-{prompt.key}-text", f"new-{prompt.key}-due"
        text, error = _clean_text(data.get(text_name, "").strip(), SHORT_TEXT_LIMIT)
        if not text:
            continue
        due, due_error = _clean_due(data.get(due_name, ""))
        if error or due_error:
            result.errors[text_name if error else due_name] = str(error or due_error)
            continue
        session = snap.reflection.session
        action = ActionItem.objects.create(
            coach_id=snap.reflection.coach_id,
            coachee_id=session.coachee_id,
            session=session,
            owner=prompt.owner,
            text=text,
            due=date.fromisoformat(due) if due else None,
        )
        snap.actions[str(action.code)] = action
        snap.values.update(_action_values(action))
        result.actions_changed.add(prompt.key)
        result.saved.append(text_name)


def _remove_emptied_actions(snap: Snapshot, result: SaveResult) -> None:
    """An existing action whose text was cleared is deleted: that is how a coach removes one."""
    for code, action in list(snap.actions.items()):
        if action.text == "":
            action.delete()
            del snap.actions[code]
            for suffix in ("text", "due", "status"):
                snap.values.pop(f"a-{code}-{suffix}", None)
            result.actions_changed.add(_owner_prompt(snap, action.owner))


def _owner_prompt(snap: Snapshot, owner: str) -> str:
    for prompt in snap.definition.prompts():
        if prompt.kind == "actions" and prompt.owner == owner:
            return prompt.key
    return ""


def _has_post_content(snap: Snapshot) -> bool:
    """Whether anything written after the session (not just the plan) is stored."""
    phase_of = snap.definition.phase_of
    if any(
        phase_of.get(key) == "post" and (answer.text or answer.rating is not None)
        for key, answer in snap.answers.items()
    ):
        return True
    if any(phase_of.get(_owner_prompt(snap, a.owner)) == "post" for a in snap.actions.values()):
        return True
    if any(phase_of.get(key) == "post" for key, _ in snap.uses):
        return True
    goal_prompt = snap.goal_prompt()
    return bool(snap.progress) and goal_prompt is not None and phase_of[goal_prompt.key] == "post"


def _update_status(snap: Snapshot) -> None:
    if snap.reflection.status == Reflection.Status.PLANNED and _has_post_content(snap):
        _mark_draft(snap.reflection)


def _mark_draft(reflection: Reflection) -> None:
    reflection.status = Reflection.Status.DRAFT
    reflection.save(update_fields=["status", "updated"])


def save_fields(reflection: Reflection, data: QueryDict) -> SaveResult:
    """Apply the submitted fields to the stored reflection; see the module docstring."""
    result = SaveResult()
    in_sync: list[str] = []
    with transaction.atomic():
        # Lock the reflection row so two saves of the same reflection run one after the other.
        Reflection.objects.select_for_update().filter(pk=reflection.pk).first()
        snap = snapshot(reflection, for_update=True)
        for name in data:
            if name.startswith("base:") or name.startswith("new-"):
                continue
            kind, target = _field_kind(snap, name)
            if not kind:
                continue
            if missing := _missing(snap, kind, target):
                result.errors[name] = missing
                continue
            raw = kinds.submitted(data, name, target if kind == "value" else None)
            value, error = clean_value(snap, name, raw)
            if error:
                result.errors[name] = error
                continue
            stored = snap.values.get(name, "")
            base = data.get(f"base:{name}", field_hash(""))
            if value == stored:
                in_sync.append(name)
                continue
            if field_hash(value) == base:
                continue  # not touched on this page since it loaded: leave the stored value
            if base != field_hash(stored):
                result.conflicts.append(Conflict(name, label_for(snap, name), value, stored))
                continue
            _write(snap, name, value)
            result.saved.append(name)
            in_sync.append(name)
            if kind.startswith("action-"):
                result.actions_changed.add(_owner_prompt(snap, snap.actions[target].owner))
        _create_actions(snap, data, result)
        _remove_emptied_actions(snap, result)
        if result.saved:
            _update_status(snap)
            Reflection.objects.filter(pk=reflection.pk).update(updated=timezone.now())
    # Only fields this page now shows as stored get a new base: a field changed elsewhere
    # keeps its old base, so a later edit of it here is still caught as a conflict.
    result.hashes = {n: field_hash(snap.values[n]) for n in in_sync if n in snap.values}
    return result


def _is_answered(snap: Snapshot, prompt: Prompt) -> bool:
    if prompt.kind == "actions":
        return bool(snap.actions_for(prompt))
    if prompt.kind == "techniques":
        return any(key == prompt.key for key, _ in snap.uses)
    if prompt.kind == "rating":
        return bool(snap.values.get(f"p-{prompt.key}-rating"))
    return bool(snap.values.get(f"p-{prompt.key}", "").strip())


def missing_required(snap: Snapshot) -> list[Prompt]:
    """Required prompts still unanswered: a reflection cannot be marked complete without them.

    Goal progress is answered per goal elsewhere, so it is never held up here.
    """
    return [
        p
        for p in snap.definition.prompts()
        if p.required and p.kind not in ("session", "goal_progress") and not _is_answered(snap, p)
    ]
