"""Reading and saving a reflection's answers, field by field, without losing a word.

Every editable value on the reflection page is a named *field* (see ``fields``: ``p-<key>``
for a prompt's answer, ``t-``, ``a-``, ``new-``, ``r-``, ``lt-`` and ``g-`` for the rest).
A ``Snapshot`` is the stored state of a reflection, read by each answer kind present in its
template, with every field's stored value as a string.

The page sends, beside each field, ``base:<field>``: a short hash of the value it was
showing when the coach began editing. A save writes a field only if the stored value
still has that hash; otherwise another tab changed it and the save is refused as a
conflict carrying both versions. A field whose value still matches its base was not
touched, so it is skipped: a page sending every field (no JavaScript) cannot overwrite
what another tab saved.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.http import QueryDict
from django.utils import timezone

from debrief.followup import carry
from debrief.followup.answers import ActionsKind
from debrief.followup.models import ActionItem, ActionReview, Goal, GoalProgress
from debrief.journal import fields, follow_fields
from debrief.journal.answers.base import by_kind, kind_of
from debrief.journal.fields import Conflict, field_hash
from debrief.journal.models import Answer, CoachingSession, Reflection
from debrief.prompts.definition import Definition, Prompt
from debrief.techniques.models import Technique, TechniqueUse

__all__ = ["Conflict", "SaveResult", "Snapshot", "field_hash", "save_fields", "snapshot"]


@dataclass
class SaveResult:
    saved: list[str] = field(default_factory=list)
    hashes: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)
    actions_changed: set[str] = field(default_factory=set)
    in_sync: list[str] = field(default_factory=list)  # fields the page now shows as stored

    @property
    def ok(self) -> bool:
        return not self.errors and not self.conflicts


@dataclass
class Snapshot:
    """The stored state of a reflection (a ``Record`` for the kinds), with every field's value."""

    reflection: Reflection
    definition: Definition
    answers: dict[str, Answer]
    values: dict[str, str] = field(default_factory=dict)  # field name -> stored value
    actions: dict[str, ActionItem] = field(default_factory=dict)  # by code
    carried: dict[str, ActionItem] = field(default_factory=dict)  # from earlier sessions
    reviews: dict[str, ActionReview] = field(default_factory=dict)  # by action code
    last_time: list[carry.LastTime] = field(default_factory=list)
    goals: dict[str, Goal] = field(default_factory=dict)
    progress: dict[str, GoalProgress] = field(default_factory=dict)  # by goal code
    previous_scores: dict[str, int] = field(default_factory=dict)  # latest earlier, by goal code
    techniques: dict[str, Technique] = field(default_factory=dict)  # by code
    uses: dict[tuple[str, str], TechniqueUse] = field(default_factory=dict)  # (key, code)

    @property
    def session(self) -> CoachingSession:
        return self.reflection.session

    def actions_prompt(self, owner: str) -> Prompt | None:
        """The prompt whose list shows the actions of ``owner``."""
        return ActionsKind.prompt_for(self.definition, owner)


def snapshot(reflection: Reflection, *, for_update: bool = False) -> Snapshot:
    definition = reflection.template_version.parsed
    answers = {a.prompt_key: a for a in reflection.answers.all()}
    snap = Snapshot(reflection, definition, answers)
    for kind, prompts in by_kind(definition.prompts()).items():
        kind.load(snap, prompts, for_update=for_update)
    follow_fields.load(snap)
    return snap


# --- what is stored ---------------------------------------------------------------------------


def _stored_after_session(snap: Snapshot) -> bool:
    """Whether anything written after the session (not just the plan) is stored."""
    phase_of = snap.definition.phase_of
    for prompt in snap.definition.prompts():
        kind = kind_of(prompt)
        post = kind.asks and phase_of[prompt.key] == "post"
        if post and not kind.is_empty(prompt, kind.value(prompt, snap)):
            return True
    return False


def missing_required(snap: Snapshot) -> list[Prompt]:
    """Required prompts still unanswered: a reflection cannot be marked complete without them."""
    return [
        p
        for p in snap.definition.prompts()
        if p.required
        and (kind := kind_of(p)).requirable
        and not kind.is_answered(p, kind.value(p, snap))
    ]


# --- saving -----------------------------------------------------------------------------------


def _remove_emptied_actions(snap: Snapshot, result: SaveResult) -> None:
    """An existing action whose text was cleared is deleted: that is how a coach removes one."""
    for code, action in list(snap.actions.items()):
        if action.text == "":
            action.delete()
            del snap.actions[code]
            for suffix in ("text", "due", "status"):
                snap.values.pop(f"a-{code}-{suffix}", None)
            prompt = snap.actions_prompt(action.owner)
            result.actions_changed.add(prompt.key if prompt else "")


def _update_status(snap: Snapshot) -> None:
    reflection = snap.reflection
    if reflection.status == Reflection.Status.PLANNED and _stored_after_session(snap):
        reflection.status = Reflection.Status.DRAFT
        reflection.save(update_fields=["status", "updated"])


def save_fields(reflection: Reflection, data: QueryDict) -> SaveResult:
    """Apply the submitted fields to the stored reflection; see the module docstring."""
    result = SaveResult()
    with transaction.atomic():
        # Lock the reflection row so two saves of the same reflection run one after the other.
        Reflection.objects.select_for_update().filter(pk=reflection.pk).first()
        snap = snapshot(reflection, for_update=True)
        for name in data:
            found = fields.parse(snap, name)
            if found is not None:
                found.save(snap, data, result)
        _remove_emptied_actions(snap, result)
        if result.saved:
            _update_status(snap)
            Reflection.objects.filter(pk=reflection.pk).update(updated=timezone.now())
    # Only fields this page now shows as stored get a new base: a field changed elsewhere
    # keeps its old base, so a later edit of it here is still caught as a conflict.
    result.hashes = {n: field_hash(snap.values[n]) for n in result.in_sync if n in snap.values}
    return result
