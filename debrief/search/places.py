"""Where a document lives in a reflection: its section, its label and its anchor.

Answers are placed by their prompt in the reflection's own template version (a later version
never re-maps them); action items by the template's actions prompt for their owner; a goal's
progress note by its goal-progress prompt. An action review belongs to no prompt.
"""

from __future__ import annotations

from dataclasses import dataclass

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

    prompts: dict[str, Place]
    actions: dict[str, Place]  # by owner
    goal_progress: Place | None
    sections: tuple[tuple[str, str], ...]  # (key, title) of sections a coach writes in

    def place(self, kind: str, ref: str) -> Place | None:
        if kind in ("answer", "technique"):
            return self.prompts.get(ref.split(":", 1)[0])
        if kind == "action":
            return self.actions.get(ref.split(":", 1)[0])
        if kind == "progress":
            return self.goal_progress
        return None


_layouts: dict[int, Layout] = {}


def _layout(version: TemplateVersion) -> Layout:
    definition = version.parsed
    prompts: dict[str, Place] = {}
    actions: dict[str, Place] = {}
    goal_progress = None
    for section in definition.sections:
        for prompt in section.prompts:
            place = Place(section.key, section.title, prompt.text, f"prompt-{prompt.key}")
            prompts[prompt.key] = place
            if prompt.kind == "actions":
                actions.setdefault(prompt.owner, place)
            elif prompt.kind == "goal_progress" and goal_progress is None:
                goal_progress = place
    sections = tuple((s.key, s.title) for s in definition.sections if s.phase != "info")
    return Layout(prompts, actions, goal_progress, sections)


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
