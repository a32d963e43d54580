"""A reflection template's definition: sections of grouped prompts, parsed from stored data.

A template version's definition is immutable once saved, so parsed definitions are cached
by version id. Each prompt has a key, its wording, a ``kind`` (how it is answered), optional
help and a required flag; the kind's own attributes (a rating's scale, a choice's options...)
are parsed and checked by the kind itself, found by name in ``prompts.kinds``. The kinds:
long and short text, rating, yes/no, number, single and multiple choice, techniques, actions,
goal progress and session facts (see docs/architecture.md).

The same parser checks a template file a coach imports, so every error names where it is:
``DefinitionError.path`` is the path to the offending value (``("sections", 1, "title")``),
which the importer turns into a line number.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from debrief.prompts import kinds

PHASES = ("info", "pre", "post")
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
TEXT_LIMIT = 500  # prompt wording, help, titles
MAX_PROMPTS = 200
MAX_SECTIONS = 40

_COMMON_FIELDS = {"key", "text", "kind", "help", "required", "carry", "plan_text"}
_GROUP_FIELDS = {"title", "prompts"}
_SECTION_FIELDS = {"key", "title", "phase", "intro", "groups"}
_TOP_FIELDS = {"title", "sections"}
_NO_SETTINGS: Mapping[str, Any] = MappingProxyType({})

Path = tuple[str | int, ...]


class DefinitionError(ValueError):
    """A template definition is malformed; ``path`` says where."""

    def __init__(self, message: str, path: Path = ()) -> None:
        super().__init__(message)
        self.path = path


@dataclass(frozen=True)
class Prompt:
    """One prompt. The kind's own attributes are in ``settings`` and read as attributes too:
    ``prompt.scale_max`` for a rating, ``prompt.options`` for a choice."""

    key: str
    text: str
    kind: str
    help: str = ""
    required: bool = False
    # Asked about again when the next session is prepared ("last time you planned...").
    carry: bool = False
    # The wording before the session, for a prompt written in the past tense (the plan).
    plan_text: str = ""
    settings: Mapping[str, Any] = field(default_factory=lambda: _NO_SETTINGS, hash=False)

    def __getattr__(self, name: str) -> Any:
        # Only reached for names that are not fields: a kind's own attribute, or nothing.
        if name.startswith("_") or name == "settings":
            raise AttributeError(name)
        try:
            return self.settings[name]
        except KeyError:
            raise AttributeError(f"a {self.kind} prompt has no {name!r}") from None

    @property
    def answer_kind(self) -> kinds.Kind:
        return kinds.get(self.kind)

    @property
    def is_written(self) -> bool:
        """Whether the answer is written text (long or short text)."""
        return self.answer_kind.answer_is_text

    @property
    def kind_tag(self) -> str:
        """How the prompt is answered, in a few words (on a template's page)."""
        return self.answer_kind.describe(self)

    def as_data(self) -> dict[str, Any]:
        """The prompt as stored: only the attributes that differ from their defaults."""
        data: dict[str, Any] = {"key": self.key, "text": self.text, "kind": self.kind}
        if self.help:
            data["help"] = self.help
        if self.required:
            data["required"] = True
        if self.carry:
            data["carry"] = True
        if self.plan_text:
            data["plan_text"] = self.plan_text
        data.update(self.answer_kind.settings_data(self.settings))
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

    def carried(self) -> list[Prompt]:
        """The prompts asked about again when the next session is prepared."""
        return [p for p in self.prompts() if p.carry]

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


def fail(where: str, message: str, path: Path) -> DefinitionError:
    return DefinitionError(f"{where}: {message}", path)


def _mapping(value: Any, where: str, path: Path, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise fail(where, "expected a set of named fields here.", path)
    for name in value:
        if name not in allowed:
            known = ", ".join(sorted(allowed))
            raise fail(where, f"unknown field '{name}' (known fields: {known}).", (*path, name))
    return value


def _list(data: dict[str, Any], name: str, where: str, path: Path) -> list[Any]:
    value = _require(data, name, where, path)
    if not isinstance(value, list):
        raise fail(where, f"'{name}' must be a list.", (*path, name))
    if not value:
        raise fail(where, f"'{name}' is empty; add at least one.", (*path, name))
    return value


def _require(data: Mapping[str, Any], name: str, where: str, path: Path) -> Any:
    if name not in data:
        raise fail(where, f"missing '{name}'.", path)
    return data[name]


def text_value(
    data: Mapping[str, Any], name: str, where: str, path: Path, *, required: bool = False
) -> str:
    value = _require(data, name, where, path) if required else data.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise fail(where, f"'{name}' must be text.", (*path, name))
    text = str(value).strip()
    if required and not text:
        raise fail(where, f"'{name}' is empty; write something here.", (*path, name))
    if len(text) > TEXT_LIMIT:
        raise fail(where, f"'{name}' is longer than {TEXT_LIMIT} characters.", (*path, name))
    if "\x00" in text:
        raise fail(where, f"'{name}' contains a null character.", (*path, name))
    return text


def integer_value(data: Mapping[str, Any], name: str, default: int, where: str, path: Path) -> int:
    value = data.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise fail(where, f"'{name}' must be a whole number.", (*path, name))
    return value


# --- parsing --------------------------------------------------------------------------------


def _kind(data: dict[str, Any], where: str, path: Path) -> kinds.Kind:
    name = str(_require(data, "kind", where, path))
    found = kinds.find(name)
    if found is None:
        known = ", ".join(kinds.names())
        raise fail(where, f"unknown kind '{name}' (known: {known}).", (*path, "kind"))
    return found


def _parse_prompt(data: Any, where: str, path: Path) -> Prompt:
    data = _mapping(data, where, path, _COMMON_FIELDS | kinds.attributes())
    key = str(_require(data, "key", where, path))
    if not KEY_PATTERN.match(key):
        raise fail(
            where,
            f"the key '{key}' must start with a small letter and hold only small letters, "
            "digits and underscores (at most 64).",
            (*path, "key"),
        )
    where = f"{where} ({key})"
    kind = _kind(data, where, path)
    required = data.get("required", False)
    if not isinstance(required, bool):
        raise fail(where, "'required' must be true or false.", (*path, "required"))
    carry = data.get("carry", False)
    if not isinstance(carry, bool):
        raise fail(where, "'carry' must be true or false.", (*path, "carry"))
    if carry and not kind.answer_is_text:
        raise fail(
            where,
            "only a written answer can be asked about next time ('carry'); "
            "actions come back on their own while they are open.",
            (*path, "carry"),
        )
    text = text_value(data, "text", where, path, required=True)
    help_text = text_value(data, "help", where, path)
    plan_text = text_value(data, "plan_text", where, path)
    # Another kind's attributes are allowed (a file may keep them after a kind was changed)
    # and left out: each kind reads only its own.
    settings = kind.parse_settings(data, where, path)
    return Prompt(
        key=key,
        text=text,
        kind=kind.name,
        help=help_text,
        required=required,
        carry=carry,
        plan_text=plan_text,
        settings=MappingProxyType(settings) if settings else _NO_SETTINGS,
    )


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
                raise fail(where, f"the key '{prompt.key}' is used twice.", (*p_path, "key"))
            if len(by_key) >= MAX_PROMPTS:
                raise fail(where, f"a template holds at most {MAX_PROMPTS} prompts.", p_path)
            by_key[prompt.key] = prompt
            phase_of[prompt.key] = phase
            prompts.append(prompt)
        title = text_value(g_data, "title", g_where, g_path)
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
        raise fail("template", f"a template holds at most {MAX_SECTIONS} sections.", ("sections",))
    for s_index, s_raw in enumerate(raw_sections):
        where, path = f"section {s_index + 1}", ("sections", s_index)
        s_data = _mapping(s_raw, where, path, _SECTION_FIELDS)
        phase = str(s_data.get("phase", "post"))
        if phase not in PHASES:
            raise fail(where, f"phase must be one of {', '.join(PHASES)}.", (*path, "phase"))
        key = text_value(s_data, "key", where, path, required=True)
        if key in section_keys:
            raise fail(where, f"the section key '{key}' is used twice.", (*path, "key"))
        section_keys.add(key)
        groups = _parse_groups(s_data, where, path, phase, by_key, phase_of)
        sections.append(
            Section(
                key=key,
                title=text_value(s_data, "title", where, path, required=True),
                phase=phase,
                groups=tuple(groups),
                intro=text_value(s_data, "intro", where, path),
            )
        )
    return Definition(
        title=text_value(data, "title", "template", ()),
        sections=tuple(sections),
        by_key=by_key,
        phase_of=phase_of,
    )
