"""Where a document lives in a reflection: its section, its label and its anchor.

Answers are placed by their prompt in the reflection's own template version (a later version
never re-maps them); other documents where the prompt's answer kind says they belong
(``search_places``): action items by the actions prompt for their owner, a goal's progress
note by the goal-progress prompt. An action review belongs to no prompt.
"""

from __future__ import annotations

from dataclasses import dataclass

from debrief.journal.answers.base import kind_of
from debrief.privacy import memory
from debrief.prompts.definition import Prompt
from debrief.prompts.models import TemplateVersion


@dataclass(frozen=True)
class Place:
    section: str  # section key, "" when the document is in no section
    section_title: str
    label: str  # the prompt's wording
    anchor: str  # id in the reflection read view, "" for the top of the page


@dataclass(frozen=True)
class Layout:
    """The places of one template version, read once from its definition."""

    prompts: dict[str, tuple[Prompt, Place]]  # by prompt key: answers and technique notes
    others: dict[tuple[str, str], Place]  # (document kind, ref prefix or ""), by the kinds
    sections: tuple[tuple[str, str], ...]  # (key, title) of sections a coach writes in

    def place(self, kind: str, ref: str) -> Place | None:
        key = ref.split(":", 1)[0]
        if kind in ("answer", "technique"):
            found = self.prompts.get(key)
            return found[1] if found else None
        return self.others.get((kind, key)) or self.others.get((kind, ""))

    def answer_text(self, key: str, text: str) -> str:
        """What search finds of an answer's stored text (each kind says)."""
        found = self.prompts.get(key)
        return kind_of(found[0]).search_text(found[0], text) if found else text


_layouts: dict[int, Layout] = {}


def _layout(version: TemplateVersion) -> Layout:
    definition = version.parsed
    prompts: dict[str, tuple[Prompt, Place]] = {}
    others: dict[tuple[str, str], Place] = {}
    for section in definition.sections:
        for prompt in section.prompts:
            place = Place(section.key, section.title, prompt.text, f"prompt-{prompt.key}")
            prompts[prompt.key] = (prompt, place)
            for where in kind_of(prompt).search_places(prompt):
                others.setdefault(where, place)
    sections = tuple((s.key, s.title) for s in definition.sections if s.phase != "info")
    return Layout(prompts, others, sections)


def layouts(version_ids: set[int]) -> dict[int, Layout]:
    """Layouts by template version id (versions never change, so they are kept)."""
    missing = version_ids - set(_layouts)
    if missing:
        for version in TemplateVersion.objects.filter(id__in=missing):
            _layouts[version.id] = _layout(version)
    return {v: _layouts[v] for v in version_ids if v in _layouts}


def section_choices(version_ids: set[int]) -> list[tuple[str, str]]:
    """Every section of the templates the coach wrote with, once each, in template order."""
    seen: dict[str, str] = {}
    for version_id in sorted(version_ids):
        for key, title in layouts({version_id})[version_id].sections:
            seen.setdefault(key, title)
    return list(seen.items())


def forget() -> None:
    _layouts.clear()


memory.register(
    "search.places",
    forget_all=forget,
    holds="the prompts of each template version searched (a coach's own wording)",
)
