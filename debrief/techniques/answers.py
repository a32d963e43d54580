"""A ``techniques`` prompt in a reflection: which techniques were used, how well they worked.

Each technique offered is three fields: ``t-<key>-<code>-used`` (ticked: "yes"),
``-rating`` (effectiveness 1-5) and ``-note``; ``<code>`` is the technique's UUID. A
``TechniqueUse`` row exists exactly while the technique is ticked: a rating or a note ticks it,
unticking removes the row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from debrief.journal.models import Reflection
from debrief.prompts.definition import Prompt
from debrief.techniques.models import Technique, TechniqueUse

PARTS = ("used", "rating", "note")
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


def values(
    prompts: Iterable[Prompt],
    techniques: dict[str, Technique],
    uses: dict[tuple[str, str], TechniqueUse],
) -> dict[str, str]:
    found: dict[str, str] = {}
    for prompt in prompts:
        for code in techniques:
            found.update(use_values(prompt.key, code, uses.get((prompt.key, code))))
    return found


def use_values(prompt_key: str, code: str, use: TechniqueUse | None) -> dict[str, str]:
    rating = use.effectiveness if use else None
    return {
        field_name(prompt_key, code, "used"): "yes" if use else "",
        field_name(prompt_key, code, "rating"): "" if rating is None else str(rating),
        field_name(prompt_key, code, "note"): use.note if use else "",
    }


def clean_used(raw: str) -> tuple[str, str | None]:
    # A ticked box sends "yes" (or a browser's default "on"); anything else counts as ticked too.
    return ("yes" if raw.strip() else ""), None


def clean_rating(raw: str) -> tuple[str, str | None]:
    value = raw.strip()
    if value == "":
        return value, None
    if not value.isascii() or not value.isdigit() or int(value) not in EFFECTIVENESS:
        return value, "Choose how effective it was, from 1 to 5."
    return str(int(value)), None


def write(
    reflection: Reflection,
    uses: dict[tuple[str, str], TechniqueUse],
    technique: Technique,
    ref: FieldRef,
    value: str,
) -> dict[str, str]:
    """Store one field; the new stored values of the technique's three fields."""
    key = (ref.prompt_key, ref.code)
    use = uses.get(key)
    if ref.part == "used" and not value:
        if use is not None:
            use.delete()
            del uses[key]
        return use_values(ref.prompt_key, ref.code, None)
    if use is None:
        use = TechniqueUse(
            coach_id=reflection.coach_id,
            reflection=reflection,
            technique=technique,
            prompt_key=ref.prompt_key,
        )
        uses[key] = use
    if ref.part == "rating":
        use.effectiveness = int(value) if value else None
    elif ref.part == "note":
        use.note = value
    use.save()
    return use_values(ref.prompt_key, ref.code, use)
