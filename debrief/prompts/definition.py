"""A reflection template's definition: sections of grouped prompts, parsed from stored data.

A template version's definition is immutable once saved, so parsed definitions are cached
by version id. The answer kinds:

- ``session``: a fact of the session itself (date, coachee, number, duration), shown, not asked.
- ``long_text`` / ``short_text``: a written answer.
- ``rating``: a score on a scale (1-5 or 1-10, labels for the ends) plus an optional comment.
- ``yes_no``: yes or no.
- ``number``: a number (whole or decimal).
- ``single_choice`` / ``multiple_choice``: one, or any, of the prompt's ``options``.
- ``techniques``: the techniques used, each rated 1-5 for effectiveness with a note.
- ``actions``: a list of action items owned by the coachee or the coach.
- ``goal_progress``: a 0-10 score and a note for each of the coachee's active goals.

The same parser checks a template file a coach imports, so every error names where it is:
``DefinitionError.path`` is the path to the offending value (``("sections", 1, "title")``),
which the importer turns into a line number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from debrief.privacy.fields import LONG_TEXT_LIMIT, SHORT_TEXT_LIMIT

KINDS = (
    "session",
    "long_text",
    "short_text",
    "rating",
    "yes_no",
    "number",
    "single_choice",
    "multiple_choice",
    "techniques",
    "actions",
    "goal_progress",
)
SESSION_FACTS = ("date", "coachee", "number", "duration")
ACTION_OWNERS = ("coachee", "coach")
PHASES = ("info", "pre", "post")
CHOICE_KINDS = ("single_choice", "multiple_choice")
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
TEXT_LIMIT = 500  # prompt wording, help, titles
OPTION_LIMIT = 120
MAX_OPTIONS = 30
MAX_PROMPTS = 200
MAX_SECTIONS = 40

_PROMPT_FIELDS = {
    "key",
    "text",
    "kind",
    "help",
    "required",
    "fact",
    "owner",
    "scale_min",
    "scale_max",
    "low_label",
    "high_label",
    "options",
}
_GROUP_FIELDS = {"title", "prompts"}
_SECTION_FIELDS = {"key", "title", "phase", "intro", "groups"}
_TOP_FIELDS = {"title", "sections"}

Path = tuple[str | int, ...]


class DefinitionError(ValueError):
    """A template definition is malformed; ``path`` says where."""

    def __init__(self, message: str, path: Path = ()) -> None:
        super().__init__(message)
        self.path = path


@dataclass(frozen=True)
class Prompt:
    key: str
    text: str
    kind: str
    help: str = ""
    required: bool = False
    fact: str = ""  # for kind "session"
    owner: str = ""  # for kind "actions"
    scale_min: int = 1
    scale_max: int = 5
    low_label: str = ""
    high_label: str = ""
    options: tuple[str, ...] = ()  # for the choice kinds

    @property
    def is_written(self) -> bool:
        return self.kind in ("long_text", "short_text")

    @property
    def max_length(self) -> int:
        return SHORT_TEXT_LIMIT if self.kind == "short_text" else LONG_TEXT_LIMIT

    @property
    def scale(self) -> range:
        return range(self.scale_min, self.scale_max + 1)

    def as_data(self) -> dict[str, Any]:
        """The prompt as stored: only the attributes that differ from their defaults."""
        data: dict[str, Any] = {"key": self.key, "text": self.text, "kind": self.kind}
        if self.help:
            data["help"] = self.help
        if self.required:
            data["required"] = True
        if self.kind == "session":
            data["fact"] = self.fact
        if self.kind == "actions":
            data["owner"] = self.owner
        if self.kind == "rating":
            data["scale_min"], data["scale_max"] = self.scale_min, self.scale_max
            if self.low_label:
                data["low_label"] = self.low_label
            if self.high_label:
                data["high_label"] = self.high_label
        if self.kind in CHOICE_KINDS:
            data["options"] = list(self.options)
        return data


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

    def as_data(self) -> dict[str, Any]:
        """The definition as stored JSON: parse(d.as_data()) == d."""
        return {
            "title": self.title,
            "sections": [
                {
                    "key": s.key,
                    "title": s.title,
                    "phase": s.phase,
                    **({"intro": s.intro} if s.intro else {}),
                    "groups": [
                        {"title": g.title, "prompts": [p.as_data() for p in g.prompts]}
                        for g in s.groups
                    ],
                }
                for s in self.sections
            ],
        }


# --- checking one value ---------------------------------------------------------------------


def _fail(where: str, message: str, path: Path) -> DefinitionError:
    return DefinitionError(f"{where}: {message}", path)


def _mapping(value: Any, where: str, path: Path, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _fail(where, "expected a set of named fields here.", path)
    for name in value:
        if name not in allowed:
            known = ", ".join(sorted(allowed))
            raise _fail(where, f"unknown field '{name}' (known fields: {known}).", (*path, name))
    return value


def _list(data: dict[str, Any], name: str, where: str, path: Path) -> list[Any]:
    value = _require(data, name, where, path)
    if not isinstance(value, list):
        raise _fail(where, f"'{name}' must be a list.", (*path, name))
    if not value:
        raise _fail(where, f"'{name}' is empty; add at least one.", (*path, name))
    return value


def _require(data: dict[str, Any], name: str, where: str, path: Path) -> Any:
    if name not in data:
        raise _fail(where, f"missing '{name}'.", path)
    return data[name]


def _text(
    data: dict[str, Any], name: str, where: str, path: Path, *, required: bool = False
) -> str:
    value = _require(data, name, where, path) if required else data.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise _fail(where, f"'{name}' must be text.", (*path, name))
    text = str(value).strip()
    if required and not text:
        raise _fail(where, f"'{name}' is empty; write something here.", (*path, name))
    if len(text) > TEXT_LIMIT:
        raise _fail(where, f"'{name}' is longer than {TEXT_LIMIT} characters.", (*path, name))
    if "\x00" in text:
        raise _fail(where, f"'{name}' contains a null character.", (*path, name))
    return text


def _integer(data: dict[str, Any], name: str, default: int, where: str, path: Path) -> int:
    value = data.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(where, f"'{name}' must be a whole number.", (*path, name))
    return value


def _options(data: dict[str, Any], where: str, path: Path) -> tuple[str, ...]:
    raw = _require(data, "options", where, path)
    if not isinstance(raw, list):
        raise _fail(where, "'options' must be a list.", (*path, "options"))
    options = []
    for index, value in enumerate(raw):
        spot = (*path, "options", index)
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise _fail(where, f"option {index + 1} must be text.", spot)
        text = str(value).strip()
        if not text or "\n" in text or len(text) > OPTION_LIMIT:
            limit = f"one line of up to {OPTION_LIMIT} characters"
            raise _fail(where, f"option {index + 1} must be {limit}.", spot)
        if text in options:
            raise _fail(where, f"the option '{text}' is listed twice.", spot)
        options.append(text)
    if not 2 <= len(options) <= MAX_OPTIONS:
        raise _fail(where, f"give between 2 and {MAX_OPTIONS} options.", (*path, "options"))
    return tuple(options)


# --- parsing --------------------------------------------------------------------------------


def _check_kind_fields(prompt: Prompt, where: str, path: Path) -> None:
    if prompt.kind == "session" and prompt.fact not in SESSION_FACTS:
        facts = ", ".join(SESSION_FACTS)
        raise _fail(where, f"'fact' must be one of {facts}.", (*path, "fact"))
    if prompt.kind == "actions" and prompt.owner not in ACTION_OWNERS:
        raise _fail(where, "'owner' must be coachee or coach.", (*path, "owner"))
    if prompt.kind == "rating":
        if prompt.scale_min not in (0, 1):
            raise _fail(where, "'scale_min' must be 0 or 1.", (*path, "scale_min"))
        if not prompt.scale_min < prompt.scale_max <= 10:
            raise _fail(where, "the rating scale is empty or longer than 10.", (*path, "scale_max"))


def _parse_prompt(data: Any, where: str, path: Path) -> Prompt:
    data = _mapping(data, where, path, _PROMPT_FIELDS)
    key = str(_require(data, "key", where, path))
    if not KEY_PATTERN.match(key):
        raise _fail(
            where,
            f"the key '{key}' must start with a small letter and hold only small letters, "
            "digits and underscores (at most 64).",
            (*path, "key"),
        )
    where = f"{where} ({key})"
    kind = str(_require(data, "kind", where, path))
    if kind not in KINDS:
        raise _fail(where, f"unknown kind '{kind}' (known: {', '.join(KINDS)}).", (*path, "kind"))
    required = data.get("required", False)
    if not isinstance(required, bool):
        raise _fail(where, "'required' must be true or false.", (*path, "required"))
    prompt = Prompt(
        key=key,
        text=_text(data, "text", where, path, required=True),
        kind=kind,
        help=_text(data, "help", where, path),
        required=required,
        fact=_text(data, "fact", where, path),
        owner=_text(data, "owner", where, path),
        scale_min=_integer(data, "scale_min", 1, where, path),
        scale_max=_integer(data, "scale_max", 5, where, path),
        low_label=_text(data, "low_label", where, path),
        high_label=_text(data, "high_label", where, path),
        options=_options(data, where, path) if kind in CHOICE_KINDS else (),
    )
    _check_kind_fields(prompt, where, path)
    return prompt


def _parse_groups(
    s_data: dict[str, Any],
    where: str,
    path: Path,
    phase: str,
    by_key: dict[str, Prompt],
    phase_of: dict[str, str],
) -> list[Group]:
    groups = []
    for g_index, g_raw in enumerate(_list(s_data, "groups", where, path)):
        g_where, g_path = f"{where}, group {g_index + 1}", (*path, "groups", g_index)
        g_data = _mapping(g_raw, g_where, g_path, _GROUP_FIELDS)
        prompts = []
        for p_index, p_raw in enumerate(_list(g_data, "prompts", g_where, g_path)):
            p_path = (*g_path, "prompts", p_index)
            prompt = _parse_prompt(p_raw, f"{g_where}, prompt {p_index + 1}", p_path)
            if prompt.key in by_key:
                raise _fail(where, f"the key '{prompt.key}' is used twice.", (*p_path, "key"))
            if len(by_key) >= MAX_PROMPTS:
                raise _fail(where, f"a template holds at most {MAX_PROMPTS} prompts.", p_path)
            by_key[prompt.key] = prompt
            phase_of[prompt.key] = phase
            prompts.append(prompt)
        title = _text(g_data, "title", g_where, g_path)
        groups.append(Group(title=title, prompts=tuple(prompts)))
    return groups


def parse(data: Any) -> Definition:
    data = _mapping(data, "template", (), _TOP_FIELDS)
    sections = []
    by_key: dict[str, Prompt] = {}
    phase_of: dict[str, str] = {}
    section_keys: set[str] = set()
    raw_sections = _list(data, "sections", "template", ())
    if len(raw_sections) > MAX_SECTIONS:
        raise _fail("template", f"a template holds at most {MAX_SECTIONS} sections.", ("sections",))
    for s_index, s_raw in enumerate(raw_sections):
        where, path = f"section {s_index + 1}", ("sections", s_index)
        s_data = _mapping(s_raw, where, path, _SECTION_FIELDS)
        phase = str(s_data.get("phase", "post"))
        if phase not in PHASES:
            raise _fail(where, f"phase must be one of {', '.join(PHASES)}.", (*path, "phase"))
        key = _text(s_data, "key", where, path, required=True)
        if key in section_keys:
            raise _fail(where, f"the section key '{key}' is used twice.", (*path, "key"))
        section_keys.add(key)
        groups = _parse_groups(s_data, where, path, phase, by_key, phase_of)
        sections.append(
            Section(
                key=key,
                title=_text(s_data, "title", where, path, required=True),
                phase=phase,
                groups=tuple(groups),
                intro=_text(s_data, "intro", where, path),
            )
        )
    return Definition(
        title=_text(data, "title", "template", ()),
        sections=tuple(sections),
        by_key=by_key,
        phase_of=phase_of,
    )
