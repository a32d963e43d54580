"""The ``techniques`` answer kind: which techniques were used, how well they worked.

Each technique offered is three fields: ``t-<key>-<code>-used`` (ticked: "yes"),
``-rating`` (effectiveness 1-5) and ``-note``; ``<code>`` is the technique's UUID. A
``TechniqueUse`` row exists exactly while the technique is ticked: a rating or a note ticks it,
unticking removes the row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from debrief.journal.answers.base import (
    AnswerKind,
    Cleaned,
    FieldRow,
    Page,
    PromptView,
    Record,
    clean_text,
    register,
)
from debrief.journal.models import Reflection
from debrief.lib import markdown
from debrief.privacy.fields import SHORT_TEXT_LIMIT
from debrief.prompts.definition import Prompt
from debrief.techniques.models import Technique, TechniqueUse

if TYPE_CHECKING:
    from debrief.journal.fields import Conflict
    from debrief.journal.reflection import Snapshot

PARTS = ("used", "rating", "note")
PART_LABELS = {"used": "used", "rating": "how effective", "note": "note"}
EFFECTIVENESS = range(1, 6)
EFFECTIVENESS_LABELS = {1: "Not effective", 5: "Very effective"}
_UUID_LENGTH = 36


@dataclass(frozen=True)
class FieldRef:
    prompt_key: str
    code: str
    part: str


def field_name(prompt_key: str, code: object, part: str) -> str:
    return f"t-{prompt_key}-{code}-{part}"


def parse_name(name: str) -> FieldRef | None:
    """The parts of a ``t-`` field name, or None; a UUID holds dashes, so count from the end."""
    rest, _, part = name[2:].rpartition("-")
    if part not in PARTS or len(rest) < _UUID_LENGTH + 2 or rest[-_UUID_LENGTH - 1] != "-":
        return None
    return FieldRef(rest[: -_UUID_LENGTH - 1], rest[-_UUID_LENGTH:], part)


def load(
    reflection: Reflection,
) -> tuple[dict[str, Technique], dict[tuple[str, str], TechniqueUse]]:
    """The techniques the coach can tick here, by code, and this reflection's uses.

    Saving holds the reflection's row lock, so the uses need no lock of their own.
    """
    uses_qs = TechniqueUse.objects.filter(reflection=reflection).select_related("technique")
    uses = {(u.prompt_key, str(u.technique.code)): u for u in uses_qs}
    techniques = {
        str(t.code): t
        for t in Technique.objects.available_to(reflection.coach_id).filter(retired=False)
    }
    for use in uses.values():  # a retired technique still shows where it was used
        techniques.setdefault(str(use.technique.code), use.technique)
    return techniques, uses


def use_values(prompt_key: str, code: str, use: TechniqueUse | None) -> dict[str, str]:
    rating = use.effectiveness if use else None
    return {
        field_name(prompt_key, code, "used"): "yes" if use else "",
        field_name(prompt_key, code, "rating"): "" if rating is None else str(rating),
        field_name(prompt_key, code, "note"): use.note if use else "",
    }


@dataclass
class TechniqueRow(FieldRow):
    """One technique offered by a ``techniques`` prompt: ticked, how effective, a note."""

    technique: Technique

    @property
    def used(self) -> bool:
        return bool(self.fields["used"].value)


@dataclass
class TechniquesView(PromptView):
    techniques: list[TechniqueRow] = field(default_factory=list)

    @property
    def used_techniques(self) -> list[TechniqueRow]:
        return [t for t in self.techniques if t.used]

    @property
    def is_empty(self) -> bool:
        return not self.used_techniques

    @property
    def conflicts(self) -> list[Conflict]:
        return [c for row in self.techniques for c in row.conflicts]


@register
class TechniquesKind(AnswerKind):
    name = "techniques"
    anchor = "techniques-{key}"
    label = "Techniques used (ticked and rated 1-5)"
    tag = "Techniques used, rated 1-5"
    menu_order = 80
    parts = ()
    preview_template = "answers/techniques/preview.html"
    edit_template = "answers/techniques/edit.html"
    read_template = "answers/techniques/read.html"
    export_template = "answers/techniques/export.html"
    print_template = "answers/techniques/print.html"
    self_assessment = True

    # --- the page -----------------------------------------------------------------------------

    def load(self, snap: Snapshot, prompts: list[Prompt], *, for_update: bool) -> None:
        snap.techniques, snap.uses = load(snap.reflection)
        for prompt in prompts:
            for code in snap.techniques:
                snap.values.update(use_values(prompt.key, code, snap.uses.get((prompt.key, code))))

    @staticmethod
    def clean_part(part: str, raw: str) -> Cleaned:
        if part == "used":
            # A ticked box sends "yes" (or a browser's default "on"); anything else ticks too.
            return ("yes" if raw.strip() else ""), None
        if part == "note":
            return clean_text(raw.strip(), SHORT_TEXT_LIMIT)
        value = raw.strip()
        if value == "":
            return value, None
        if not value.isascii() or not value.isdigit() or int(value) not in EFFECTIVENESS:
            return value, "Choose how effective it was, from 1 to 5."
        return str(int(value)), None

    @staticmethod
    def write_part(snap: Snapshot, ref: FieldRef, value: str) -> dict[str, str]:
        """Store one field; the new stored values of the technique's three fields."""
        key = (ref.prompt_key, ref.code)
        use = snap.uses.get(key)
        if ref.part == "used" and not value:
            if use is not None:
                use.delete()
                del snap.uses[key]
            return use_values(ref.prompt_key, ref.code, None)
        if use is None:
            use = TechniqueUse(
                coach_id=snap.reflection.coach_id,
                reflection=snap.reflection,
                technique=snap.techniques[ref.code],
                prompt_key=ref.prompt_key,
            )
            snap.uses[key] = use
        if ref.part == "rating":
            use.effectiveness = int(value) if value else None
        elif ref.part == "note":
            use.note = value
        use.save()
        return use_values(ref.prompt_key, ref.code, use)

    @staticmethod
    def shown_part(part: str, value: str) -> str:
        if part == "used":
            return "Used" if value else "Not used"
        if part == "rating":
            return f"{value} of 5" if value else "Not rated"
        return value

    def view(self, prompt: Prompt, page: Page) -> TechniquesView:
        techniques = sorted(page.snap.techniques.items(), key=lambda t: t[1].name.casefold())
        rows = [
            TechniqueRow(
                {part: page.field(field_name(prompt.key, code, part)) for part in PARTS}, technique
            )
            for code, technique in techniques
        ]
        return TechniquesView(prompt, self, rows)

    # --- the stored answer ----------------------------------------------------------------------

    def value(self, prompt: Prompt, record: Record) -> list[TechniqueUse]:
        uses = [use for (key, _), use in record.uses.items() if key == prompt.key]
        return sorted(uses, key=lambda u: u.technique.name.casefold())

    def as_data(self, prompt: Prompt, value: list[TechniqueUse]) -> dict[str, Any]:
        return {
            "techniques": [
                {
                    "technique": use.technique.name,
                    "technique_slug": use.technique.slug,
                    "effectiveness": use.effectiveness,
                    "note": use.note,
                }
                for use in value
            ]
        }

    def _line(self, use: TechniqueUse, name: str, note: str) -> str:
        line = name
        if use.effectiveness is not None:
            line += f": {use.effectiveness} of 5 for effectiveness"
        return f"{line} ({note})" if note else line

    def as_text(self, prompt: Prompt, value: list[TechniqueUse]) -> str:
        return "\n".join(f"- {self._line(u, u.technique.name, u.note)}" for u in value)

    def as_markdown(self, prompt: Prompt, value: list[TechniqueUse]) -> str:
        return markdown.bullets(
            [
                self._line(u, f"**{markdown.escape(u.technique.name)}**", markdown.escape(u.note))
                for u in value
            ]
        )

    def front_matter(self, prompt: Prompt, value: list[TechniqueUse]) -> tuple[str, Any] | None:
        if not value:
            return None
        items = [{"technique": u.technique.name, "effectiveness": u.effectiveness} for u in value]
        return "techniques", items
