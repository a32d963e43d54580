"""A reflection template's definition: sections of grouped prompts, parsed from stored JSON.

A template version's definition is immutable once saved, so parsed definitions are cached
by version id. The answer kinds:

- ``session``: a fact of the session itself (date, coachee, number, duration), shown, not asked.
- ``long_text`` / ``short_text``: a written answer.
- ``rating``: a score on a scale plus an optional comment.
- ``actions``: a list of action items owned by the coachee or the coach.
- ``goal_progress``: a 0-10 score and a note for each of the coachee's active goals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from debrief.privacy.fields import LONG_TEXT_LIMIT, SHORT_TEXT_LIMIT

KINDS = ("session", "long_text", "short_text", "rating", "actions", "goal_progress")
SESSION_FACTS = ("date", "coachee", "number", "duration")
ACTION_OWNERS = ("coachee", "coach")
PHASES = ("info", "pre", "post")


class DefinitionError(ValueError):
    """A template definition is malformed."""


@dataclass(frozen=True)
class Prompt:
    key: str
    text: str
    kind: str
    help: str = ""
    fact: str = ""  # for kind "session"
    owner: str = ""  # for kind "actions"
    scale_min: int = 1
    scale_max: int = 5
    low_label: str = ""
    high_label: str = ""

    @property
    def is_written(self) -> bool:
        return self.kind in ("long_text", "short_text")

    @property
    def max_length(self) -> int:
        return SHORT_TEXT_LIMIT if self.kind == "short_text" else LONG_TEXT_LIMIT

    @property
    def scale(self) -> range:
        return range(self.scale_min, self.scale_max + 1)


@dataclass(frozen=True)
class Group:
    title: str
    prompts: tuple[Prompt, ...]


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    phase: str
    groups: tuple[Group, ...]
    intro: str = ""

    @property
    def prompts(self) -> tuple[Prompt, ...]:
        return tuple(p for g in self.groups for p in g.prompts)


@dataclass(frozen=True)
class Definition:
    title: str
    sections: tuple[Section, ...]
    by_key: dict[str, Prompt] = field(default_factory=dict, compare=False)
    phase_of: dict[str, str] = field(default_factory=dict, compare=False)

    def prompts(self) -> list[Prompt]:
        return [p for s in self.sections for p in s.prompts]


def _require(data: dict[str, Any], name: str, where: str) -> Any:
    if name not in data:
        raise DefinitionError(f"{where}: missing '{name}'.")
    return data[name]


def _parse_prompt(data: dict[str, Any], where: str) -> Prompt:
    key = str(_require(data, "key", where))
    kind = str(_require(data, "kind", where))
    if kind not in KINDS:
        raise DefinitionError(f"{where} ({key}): unknown kind '{kind}'.")
    prompt = Prompt(
        key=key,
        text=str(_require(data, "text", where)),
        kind=kind,
        help=str(data.get("help", "")),
        fact=str(data.get("fact", "")),
        owner=str(data.get("owner", "")),
        scale_min=int(data.get("scale_min", 1)),
        scale_max=int(data.get("scale_max", 5)),
        low_label=str(data.get("low_label", "")),
        high_label=str(data.get("high_label", "")),
    )
    if kind == "session" and prompt.fact not in SESSION_FACTS:
        raise DefinitionError(f"{where} ({key}): 'fact' must be one of {', '.join(SESSION_FACTS)}.")
    if kind == "actions" and prompt.owner not in ACTION_OWNERS:
        raise DefinitionError(f"{where} ({key}): 'owner' must be coachee or coach.")
    if kind == "rating" and not prompt.scale_min < prompt.scale_max:
        raise DefinitionError(f"{where} ({key}): the rating scale is empty.")
    return prompt


def parse(data: dict[str, Any]) -> Definition:
    sections = []
    by_key: dict[str, Prompt] = {}
    phase_of: dict[str, str] = {}
    for s_index, s_data in enumerate(_require(data, "sections", "template")):
        where = f"section {s_index + 1}"
        phase = str(s_data.get("phase", "post"))
        if phase not in PHASES:
            raise DefinitionError(f"{where}: phase must be one of {', '.join(PHASES)}.")
        groups = []
        for g_index, g_data in enumerate(_require(s_data, "groups", where)):
            prompts = []
            for p_index, p_data in enumerate(_require(g_data, "prompts", where)):
                prompt = _parse_prompt(
                    p_data, f"{where}, group {g_index + 1}, prompt {p_index + 1}"
                )
                if prompt.key in by_key:
                    raise DefinitionError(f"{where}: the key '{prompt.key}' is used twice.")
                by_key[prompt.key] = prompt
                phase_of[prompt.key] = phase
                prompts.append(prompt)
            groups.append(Group(title=str(g_data.get("title", "")), prompts=tuple(prompts)))
        sections.append(
            Section(
                key=str(_require(s_data, "key", where)),
                title=str(_require(s_data, "title", where)),
                phase=phase,
                groups=tuple(groups),
                intro=str(s_data.get("intro", "")),
            )
        )
    return Definition(
        title=str(data.get("title", "")),
        sections=tuple(sections),
        by_key=by_key,
        phase_of=phase_of,
    )
