"""Templates as readable YAML files, to share between installations or with colleagues.

A file holds the template's name, description and sections; nothing about any coachee.
Reading uses ``yaml.safe_load`` only (no Python objects), and a bad file gets one precise
message naming the line and the field, so the coach can fix it and try again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from debrief.prompts.definition import Definition, DefinitionError, parse

FORMAT = "debrief-template"
FORMAT_VERSION = 1
MAX_BYTES = 200_000
NAME_LIMIT = 120
DESCRIPTION_LIMIT = 1_000
# A template is six levels deep (sections, groups, prompts, options); anything past this is not one.
MAX_DEPTH = 20
_TOP = {"format", "format_version", "name", "description", "sections"}


class ImportProblem(ValueError):
    """A template file that cannot be imported; the message says where and what."""


@dataclass(frozen=True)
class Imported:
    name: str
    description: str
    definition: Definition


def to_yaml(name: str, description: str, definition: Definition) -> str:
    data = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "name": name,
        "description": description,
        "sections": definition.as_data()["sections"],
    }
    header = f"# A Debrief reflection template: {name}\n# Import it from the template library.\n"
    return header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def _line_of(text: str, path: tuple[str | int, ...]) -> int | None:
    """The 1-based line where the value at ``path`` starts, found on the composed node tree."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    line = None
    for step in path:
        if node is None:
            break
        line = node.start_mark.line + 1
        node = _child(node, step)
    if node is not None:
        line = node.start_mark.line + 1
    return line


def _child(node: Any, step: str | int) -> Any:
    if isinstance(node, yaml.MappingNode) and isinstance(step, str):
        for key, value in node.value:
            if key.value == step:
                return value
        return None
    if isinstance(node, yaml.SequenceNode) and isinstance(step, int):
        return node.value[step] if 0 <= step < len(node.value) else None
    return None


def _problem(text: str, path: tuple[str | int, ...], message: str) -> ImportProblem:
    line = _line_of(text, path)
    where = f"Line {line}: " if line else ""
    return ImportProblem(f"{where}{message} Nothing was imported.")


def _check_depth(text: str) -> None:
    """Refuse deep nesting before building anything: PyYAML's composer recurses once per level.

    Reading events is flat (no recursion), so a file of 10,000 ``[`` costs a loop, not a crash.
    """
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    where = f"Line {mark.line + 1}: " if mark else ""
                    raise ImportProblem(
                        f"{where}the file is nested too deeply (more than {MAX_DEPTH} "
                        "levels); a template needs fewer than ten. Nothing was imported."
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return  # safe_load reports it, with its line and column


def _read_yaml(raw: bytes) -> tuple[str, Any]:
    if len(raw) > MAX_BYTES:
        raise ImportProblem(
            f"This file is {len(raw):,} bytes; a template file is at most {MAX_BYTES:,}. "
            "Nothing was imported."
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportProblem(
            f"This file is not UTF-8 text (byte {error.start + 1}). Save it as UTF-8 and try "
            "again. Nothing was imported."
        ) from None
    _check_depth(text)
    try:
        return text, yaml.safe_load(text)
    except ValueError as error:
        # Python refuses to turn more than 4,300 digits into a number (a denial-of-service guard).
        raise ImportProblem(
            f"This file holds a number too long to read ({error}). Nothing was imported."
        ) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or "this is not valid YAML"
        where = f"Line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise ImportProblem(
            f"{where}{problem}. Check the indentation and quotes there. Nothing was imported."
        ) from None


def _top_text(text: str, data: dict[str, Any], name: str, limit: int, required: bool) -> str:
    value = data.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise _problem(text, (name,), f"'{name}' must be text.")
    value = value.strip()
    if required and not value:
        raise _problem(text, (name,), f"'{name}' is missing or empty: give the template a name.")
    if len(value) > limit:
        raise _problem(text, (name,), f"'{name}' is longer than {limit} characters.")
    if "\x00" in value:
        raise _problem(text, (name,), f"'{name}' contains a null character.")
    return value


def read(raw: bytes) -> Imported:
    """The template in ``raw``, or ImportProblem with where and what is wrong."""
    text, data = _read_yaml(raw)
    if not isinstance(data, dict):
        raise ImportProblem(
            "This file does not look like a Debrief template: it should start with "
            "'name:' and hold 'sections:'. Nothing was imported."
        )
    for key in data:
        if key not in _TOP:
            known = ", ".join(sorted(_TOP))
            raise _problem(text, (key,), f"unknown field '{key}' (known fields: {known}).")
    if data.get("format", FORMAT) != FORMAT:
        raise _problem(text, ("format",), f"'format' must be {FORMAT}.")
    if data.get("format_version", FORMAT_VERSION) != FORMAT_VERSION:
        raise _problem(
            text,
            ("format_version",),
            f"this file is format version {data.get('format_version')!r}; this Debrief reads "
            f"version {FORMAT_VERSION}.",
        )
    name = _top_text(text, data, "name", NAME_LIMIT, required=True)
    description = _top_text(text, data, "description", DESCRIPTION_LIMIT, required=False)
    try:
        body = {"title": name} | ({"sections": data["sections"]} if "sections" in data else {})
        definition = parse(body)
    except DefinitionError as error:
        path = error.path or ("sections",)
        raise _problem(text, path, _sentence(str(error))) from None
    return Imported(name=name, description=description, definition=definition)


def _sentence(message: str) -> str:
    message = message[0].upper() + message[1:] if message else message
    return message if message.endswith(".") else message + "."
