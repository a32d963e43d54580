"""The template editor's working copy: a definition as a flat form, and the edits on it.

The editor keeps no state on the server between requests: the page posts every field of
the working copy with an ``op`` (move a prompt up, add a group, save...), and the server
rebuilds the copy from the form, applies the op and shows the page again. That is how
reordering works by keyboard and without JavaScript. Field names follow the structure:
``s<i>-title``, ``s<i>-g<j>-title``, ``s<i>-g<j>-p<k>-text``...

Prompt keys are kept from version to version (answers are stored by key); a new prompt
gets a fresh key, so a reworded prompt keeps its answers and a new one never inherits any.
"""

from __future__ import annotations

import copy
import re
import uuid
from typing import Any

from django.http import QueryDict

from debrief.prompts import kinds
from debrief.prompts.definition import DefinitionError

Data = dict[str, Any]


def kind_choices() -> list[tuple[str, str]]:
    """The kinds a coach can choose, as (name, label), in the order the editor lists them."""
    return [(kind.name, kind.label) for kind in kinds.menu()]


PHASE_CHOICES = (
    ("post", "After the session"),
    ("pre", "Before the session (the plan)"),
    ("info", "Session information"),
)
SCALES = ("5", "10")
SELECT_TEMPLATE = kinds.Kind.answer_field_template
_OP = re.compile(
    r"^(up|down|remove|add-prompt|add-group|add-section):?((?:s\d+)(?:-g\d+)?(?:-p\d+)?)?$"
)
_PATH = re.compile(r"s(\d+)(?:-g(\d+))?(?:-p(\d+))?$")


def new_key(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:8]}"


def blank_prompt() -> Data:
    return {"key": new_key("q"), "text": "", "kind": "long_text"}


def blank_group() -> Data:
    return {"title": "", "prompts": [blank_prompt()]}


def blank_section() -> Data:
    return {"key": new_key("section"), "title": "", "phase": "post", "groups": [blank_group()]}


# --- form -> working copy -------------------------------------------------------------------


def _prompt_from(data: QueryDict, prefix: str) -> Data:
    get = lambda name: data.get(f"{prefix}-{name}", "").strip()  # noqa: E731
    prompt: Data = {"key": get("key"), "text": get("text"), "kind": get("kind") or "long_text"}
    if get("help"):
        prompt["help"] = get("help")
    if data.get(f"{prefix}-required"):
        prompt["required"] = True
    if data.get(f"{prefix}-carry"):
        prompt["carry"] = True
    if get("plan_text"):
        prompt["plan_text"] = get("plan_text")
    kind = kinds.find(prompt["kind"])  # an unknown kind is refused when the copy is parsed
    if kind is not None:
        prompt.update(kind.settings_from_form(get, data, prefix))
    return prompt


def from_form(data: QueryDict) -> Data:
    """The working copy the page posted: {"name", "description", "sections"}."""
    sections = []
    i = 0
    while f"s{i}-key" in data:
        groups = []
        j = 0
        while f"s{i}-g{j}-title" in data:
            prompts = []
            k = 0
            while f"s{i}-g{j}-p{k}-key" in data:
                prompts.append(_prompt_from(data, f"s{i}-g{j}-p{k}"))
                k += 1
            groups.append({"title": data.get(f"s{i}-g{j}-title", "").strip(), "prompts": prompts})
            j += 1
        section: Data = {
            "key": data.get(f"s{i}-key", "").strip(),
            "title": data.get(f"s{i}-title", "").strip(),
            "phase": data.get(f"s{i}-phase", "post"),
            "groups": groups,
        }
        if data.get(f"s{i}-intro", "").strip():
            section["intro"] = data.get(f"s{i}-intro", "").strip()
        sections.append(section)
        i += 1
    return {
        "name": data.get("name", "").strip(),
        "description": data.get("description", "").strip(),
        "sections": sections,
    }


def definition_of(working: Data) -> Data:
    return {"title": working["name"], "sections": working["sections"]}


# --- ops ------------------------------------------------------------------------------------


def _swap(items: list[Any], index: int, step: int) -> None:
    other = index + step
    if 0 <= index < len(items) and 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]


def _move_prompt(sections: list[Data], i: int, j: int, k: int, step: int) -> str:
    """Up/down within the group; at its edge, into the neighbouring group of the section.

    Returns where the prompt is now, so the page can keep the keyboard focus on it.
    """
    groups = sections[i]["groups"]
    prompts = groups[j]["prompts"]
    if 0 <= k + step < len(prompts):
        _swap(prompts, k, step)
        return f"s{i}-g{j}-p{k + step}"
    if 0 <= j + step < len(groups):
        prompt = prompts.pop(k)
        target = groups[j + step]["prompts"]
        target.insert(len(target) if step < 0 else 0, prompt)
        return f"s{i}-g{j + step}-p{len(target) - 1 if step < 0 else 0}"
    return f"s{i}-g{j}-p{k}"


def apply(working: Data, op: str) -> tuple[Data, str]:
    """The working copy after ``op``, and the anchor of the element to show next."""
    match = _OP.match(op)
    if not match:
        return working, ""
    verb, where = match.group(1), match.group(2) or ""
    original, working = working, copy.deepcopy(working)
    sections: list[Data] = working["sections"]
    if verb == "add-section":
        sections.append(blank_section())
        return working, f"s{len(sections) - 1}"
    found = _PATH.match(where)
    if not found:
        return working, ""
    i, j, k = (int(x) if x is not None else None for x in found.groups())
    try:
        anchor = _apply_at(sections, verb, i, j, k)
    except (IndexError, TypeError, KeyError):  # a stale or hand-made page: change nothing
        return original, ""
    return working, anchor


def _apply_at(sections: list[Data], verb: str, i: Any, j: Any, k: Any) -> str:
    step = -1 if verb == "up" else 1
    if verb == "add-group":
        sections[i]["groups"].append(blank_group())
        return f"s{i}-g{len(sections[i]['groups']) - 1}"
    if verb == "add-prompt":
        prompts = sections[i]["groups"][j]["prompts"]
        prompts.append(blank_prompt())
        return f"s{i}-g{j}-p{len(prompts) - 1}"
    if k is not None:
        if verb == "remove":
            sections[i]["groups"][j]["prompts"].pop(k)
            return f"s{i}-g{j}"
        return _move_prompt(sections, i, j, k, step)
    if j is not None:
        groups = sections[i]["groups"]
        if verb == "remove":
            groups.pop(j)
            return f"s{i}"
        _swap(groups, j, step)
        return f"s{i}-g{max(0, min(len(groups) - 1, j + step))}"
    if verb == "remove":
        sections.pop(i)
        return ""
    _swap(sections, i, step)
    return f"s{max(0, min(len(sections) - 1, i + step))}"


def field_for(error: DefinitionError) -> str:
    """The editor's field name an error points at, e.g. ``s1-g0-p2-text``."""
    path = list(error.path)
    parts = []
    for marker, prefix in (("sections", "s"), ("groups", "g"), ("prompts", "p")):
        if len(path) >= 2 and path[0] == marker and isinstance(path[1], int):
            parts.append(f"{prefix}{path[1]}")
            path = path[2:]
    if not parts:
        return "name"
    name = "-".join(parts)
    if path and isinstance(path[0], str):
        name += f"-{path[0]}"
    return name


def _prompt_row(prefix: str, prompt: Data) -> Data:
    kind = kinds.find(str(prompt.get("kind", "")))
    return {
        "prefix": prefix,
        "prompt": prompt,
        "kind": kind,
        "answer_field_template": kind.answer_field_template if kind else SELECT_TEMPLATE,
        "options_text": "\n".join(prompt.get("options", [])),
    }


def rows(working: Data) -> list[Data]:
    """The working copy with each element's field prefix, for the editor's template."""
    return [
        {
            "prefix": f"s{i}",
            "number": i + 1,
            "section": section,
            "groups": [
                {
                    "prefix": f"s{i}-g{j}",
                    "number": j + 1,
                    "group": group,
                    "prompts": [
                        _prompt_row(f"s{i}-g{j}-p{k}", prompt)
                        for k, prompt in enumerate(group.get("prompts", []))
                    ],
                }
                for j, group in enumerate(section.get("groups", []))
            ],
        }
        for i, section in enumerate(working["sections"])
    ]
