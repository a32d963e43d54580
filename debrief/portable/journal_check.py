"""Reading a journal file and checking it, before anything is written (docs/journal-format.md).

Three layers, each with messages that say where the problem is: the bytes (size, encoding,
JSON, nesting, repeated keys), the published JSON Schema (types, required fields, bounds),
and what a schema cannot say (codes used twice, references to objects the file does not
hold, template definitions that do not parse, dates that do not exist).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from debrief.portable.format import FORMAT, MAX_BYTES, MAX_DEPTH, OLDEST_READ, VERSION, schema
from debrief.portable.practice_part import EMPTY, check_opening, check_practice, practice_codes
from debrief.portable.quick_schema import Check, compile_schema
from debrief.prompts.definition import DefinitionError, parse
from debrief.prompts.models import ReflectionTemplate, TemplateVersion
from debrief.techniques.models import Technique

MAX_SHOWN = 10  # problems listed to the coach; the count says how many there were


class JournalFileError(ValueError):
    """The file cannot be imported; ``problems`` says why, each with where."""

    def __init__(self, summary: str, problems: list[str] | None = None, total: int = 0) -> None:
        super().__init__(summary)
        self.summary = summary
        self.problems = problems or []
        self.total = total or len(self.problems)


def _no_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise JournalFileError(f"The key “{key[:40]}” appears twice in one object.")
        found[key] = value
    return found


def _depth(value: Any, limit: int) -> int:
    """How deep the value nests, stopping as soon as it passes ``limit``."""
    stack = [(value, 1)]
    deepest = 0
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if deepest > limit:
            return deepest
        if isinstance(item, dict):
            stack.extend((v, level + 1) for v in item.values() if isinstance(v, dict | list))
        elif isinstance(item, list):
            stack.extend((v, level + 1) for v in item if isinstance(v, dict | list))
    return deepest


def load(raw: bytes) -> dict[str, Any]:
    """The file's JSON, or JournalFileError about its bytes."""
    if len(raw) > MAX_BYTES:
        raise JournalFileError(
            f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB, more than any journal "
            "Debrief writes. Check that it is a Debrief journal file."
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise JournalFileError(
            f"The file is not UTF-8 text (byte {error.start}). A Debrief journal file is "
            "UTF-8 JSON: choose the .json file Debrief made."
        ) from None
    try:
        data = json.loads(text, object_pairs_hook=_no_repeats)
    except RecursionError:
        raise JournalFileError("The file nests too deeply to be a Debrief journal.") from None
    except json.JSONDecodeError as error:
        raise JournalFileError(
            f"The file is not valid JSON (line {error.lineno}, column {error.colno}: "
            f"{error.msg}). It may be cut short: export it again."
        ) from None
    if _depth(data, MAX_DEPTH) > MAX_DEPTH:
        raise JournalFileError(f"The file nests more than {MAX_DEPTH} levels deep.")
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise JournalFileError(
            "This is not a Debrief journal file (it has no “format”: “debrief-journal”)."
        )
    _check_version(data.get("version"))
    return data


def _check_version(version: Any) -> None:
    if not isinstance(version, int) or isinstance(version, bool):
        raise JournalFileError("The file does not say which version of the format it uses.")
    if version > VERSION:
        raise JournalFileError(
            f"This file uses version {version} of the journal format, written by a newer "
            f"Debrief; this installation reads versions {OLDEST_READ} to {VERSION}. Nothing "
            "was imported: update Debrief on this installation, then import the file again."
        )
    if version < OLDEST_READ:
        raise JournalFileError(f"Version {version} of the journal format is no longer read.")


def _where(path: Any) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "the file"


def _schema_message(error: ValidationError) -> str:
    message = error.message
    if len(message) > 200:  # an enormous value is quoted whole in jsonschema's message
        message = message[:120] + "… " + error.validator + " " + str(error.validator_value)[:40]
    return f"{_where(error.absolute_path)}: {message}"


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    """The schema with each ``$ref`` replaced by what it names (the schema has no cycles):
    following references is most of jsonschema's time on a large file."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            return _inline(defs[ref.removeprefix("#/$defs/")], defs)
        return {k: _inline(v, defs) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [_inline(v, defs) for v in node]
    return node


@cache
def _inlined(version: int) -> dict[str, Any]:
    published = schema(version)
    inlined: dict[str, Any] = _inline(published, published["$defs"])
    return inlined


@cache
def _validator(version: int) -> Draft202012Validator:
    return Draft202012Validator(_inlined(version))


@cache
def _quick(version: int) -> Check:
    return compile_schema(_inlined(version))


def check_schema(data: dict[str, Any]) -> None:
    """Against the schema of the file's own version (``load`` has checked it is one we read)."""
    # Formats are not checked here (dates and moments are parsed in check_references, with
    # clearer messages), which also keeps a 3,000-session file quick to check.
    if _quick(data["version"])(data):
        return  # valid: jsonschema runs only to say where a file is not
    validator = _validator(data["version"])
    problems: list[str] = []
    total = 0
    for error in validator.iter_errors(data):
        total += 1
        if len(problems) < MAX_SHOWN:
            problems.append(_schema_message(error))
    if total:
        raise JournalFileError(
            "The file does not follow the journal format, so nothing was imported.",
            problems,
            total,
        )


@dataclass
class _Seen:
    problems: list[str] = field(default_factory=list)
    total: int = 0
    codes: set[str] = field(default_factory=set)

    def add(self, message: str) -> None:
        self.total += 1
        if len(self.problems) < MAX_SHOWN:
            self.problems.append(message)

    def code(self, value: str, where: str) -> None:
        if value in self.codes:
            self.add(f"{where}: the code {value} is used twice in the file.")
        self.codes.add(value)

    def day(self, value: str | None, where: str) -> None:
        if value is None:
            return
        try:
            date.fromisoformat(value)
        except ValueError:
            self.add(f"{where}: {value} is not a date.")

    def moment(self, value: str | None, where: str) -> None:
        if value is None:
            return
        try:
            datetime.fromisoformat(value)
        except ValueError:
            self.add(f"{where}: {value} is not a date and time.")


def available_versions(data: dict[str, Any]) -> set[tuple[str, int]]:
    """Template versions a reflection may point at: the file's own and this installation's
    built-in ones."""
    found = {(t["slug"], v["number"]) for t in data["templates"] for v in t["versions"]}
    built_in = TemplateVersion.objects.filter(template__owner__isnull=True)
    found |= set(built_in.values_list("template__slug", "number"))
    return found


def _templates(data: dict[str, Any], seen: _Seen) -> None:
    slugs: set[str] = set()
    for i, t in enumerate(data["templates"]):
        where = f"templates[{i}]"
        if t["slug"] in slugs:
            seen.add(f"{where}: the template “{t['slug']}” appears twice.")
        slugs.add(t["slug"])
        numbers = [v["number"] for v in t["versions"]]
        if len(set(numbers)) != len(numbers):
            seen.add(f"{where}: a version number appears twice.")
        for j, v in enumerate(t["versions"]):
            try:
                parse(v["definition"])
            except DefinitionError as error:
                seen.add(f"{where}.versions[{j}].definition: {error}")
    built_in = set(
        ReflectionTemplate.objects.filter(owner__isnull=True).values_list("slug", flat=True)
    )
    known = slugs | built_in
    refs = [("coach.default_template", data["coach"]["default_template"])]
    refs += [
        (f"coachees[{i}].default_template", c["default_template"])
        for i, c in enumerate(data["coachees"])
    ]
    for where, ref in refs:
        if ref is not None and ref["slug"] not in known:
            seen.add(f"{where}: there is no template “{ref['slug']}” in the file or here.")


def _techniques(data: dict[str, Any], seen: _Seen) -> set[str]:
    slugs: set[str] = set()
    for i, t in enumerate(data["techniques"]):
        if t["slug"] in slugs:
            seen.add(f"techniques[{i}]: the technique “{t['slug']}” appears twice.")
        slugs.add(t["slug"])
    built_in = Technique.objects.filter(coach__isnull=True).values_list("slug", flat=True)
    return slugs | set(built_in)


def _sessions(
    c: dict[str, Any], where: str, seen: _Seen, versions: set[tuple[str, int]], techniques: set[str]
) -> None:
    goals = {g["code"] for g in c["goals"]}
    actions = {a["code"] for s in c["sessions"] for a in s["actions"]}
    numbers: set[int] = set()
    for j, s in enumerate(c["sessions"]):
        at = f"{where}.sessions[{j}]"
        seen.code(s["code"], at)
        seen.day(s["date"], f"{at}.date")
        if s["number"] in numbers:
            seen.add(f"{at}: session number {s['number']} appears twice for this coachee.")
        numbers.add(s["number"])
        for k, a in enumerate(s["actions"]):
            seen.code(a["code"], f"{at}.actions[{k}]")
            seen.day(a["due"], f"{at}.actions[{k}].due")
            seen.moment(a["closed_at"], f"{at}.actions[{k}].closed_at")
        _pairs(s["action_reviews"], "action", actions, f"{at}.action_reviews", "action", seen)
        _pairs(s["goal_progress"], "goal", goals, f"{at}.goal_progress", "goal", seen)
        _reflection(s["reflection"], f"{at}.reflection", seen, versions, techniques)


def _pairs(
    rows: list[dict[str, Any]], key: str, known: set[str], where: str, noun: str, seen: _Seen
) -> None:
    used: set[str] = set()
    for k, row in enumerate(rows):
        if row[key] not in known:
            seen.add(f"{where}[{k}]: no {noun} {row[key]} belongs to this coachee in the file.")
        if row[key] in used:
            seen.add(f"{where}[{k}]: the {noun} {row[key]} appears twice in this session.")
        used.add(row[key])


def _reflection(
    r: dict[str, Any] | None,
    where: str,
    seen: _Seen,
    versions: set[tuple[str, int]],
    techniques: set[str],
) -> None:
    if r is None:
        return
    seen.code(r["code"], where)
    seen.moment(r["completed_at"], f"{where}.completed_at")
    ref = (r["template"]["slug"], r["template"]["version"])
    if ref not in versions:
        seen.add(f"{where}.template: there is no template “{ref[0]}” version {ref[1]}.")
    prompts = [a["prompt"] for a in r["answers"]]
    if len(set(prompts)) != len(prompts):
        seen.add(f"{where}.answers: a prompt is answered twice.")
    uses = [(u["prompt"], u["technique"]) for u in r["techniques"]]
    if len(set(uses)) != len(uses):
        seen.add(f"{where}.techniques: a technique is ticked twice for one prompt.")
    for k, u in enumerate(r["techniques"]):
        if u["technique"] not in techniques:
            seen.add(f"{where}.techniques[{k}]: there is no technique “{u['technique']}”.")


def _coachees(data: dict[str, Any], seen: _Seen, techniques: set[str]) -> int:
    versions = available_versions(data)
    sessions = 0
    for i, c in enumerate(data["coachees"]):
        where = f"coachees[{i}]"
        seen.code(c["code"], where)
        seen.day(c["engagement_start"], f"{where}.engagement_start")
        seen.day(c["notes_consent_on"], f"{where}.notes_consent_on")
        for k, g in enumerate(c["goals"]):
            seen.code(g["code"], f"{where}.goals[{k}]")
            seen.day(g["target_date"], f"{where}.goals[{k}].target_date")
        _sessions(c, where, seen, versions, techniques)
        sessions += len(c["sessions"])
    return sessions


def upgrade(data: dict[str, Any]) -> dict[str, Any]:
    """A checked file of an older version in the shape of the newest (docs/journal-format.md)."""
    if data["version"] == 1:
        balance = data.pop("opening_balance")
        rows = []
        if balance is not None:  # one balance for the coach: clients not listed by name
            rows.append(
                {
                    "client": "",
                    "contact": "",
                    "group": False,
                    "group_size": None,
                    "first": None,
                    "last": None,
                    **balance,
                }
            )
        data["opening_balances"] = rows
        data["practice"] = copy.deepcopy(EMPTY)
        data["version"] = 2
    return data


def check_references(data: dict[str, Any]) -> None:
    seen = _Seen()
    _templates(data, seen)
    techniques = _techniques(data, seen)
    sessions = _coachees(data, seen, techniques)
    check_opening(data, seen)
    check_practice(data, seen)
    counts = data["counts"]
    if counts != {"coachees": len(data["coachees"]), "sessions": sessions}:
        seen.add(
            f"counts: the file says {counts['coachees']} coachees and {counts['sessions']} "
            f"sessions but holds {len(data['coachees'])} and {sessions}: it may be cut short."
        )
    if seen.total:
        raise JournalFileError(
            "The file does not hang together, so nothing was imported.", seen.problems, seen.total
        )


def read_journal(raw: bytes) -> dict[str, Any]:
    """A checked journal, ready to import, or JournalFileError saying what is wrong."""
    data = load(raw)
    check_schema(data)
    data = upgrade(data)
    check_references(data)
    return data


def iter_codes(data: dict[str, Any]) -> Iterator[str]:
    for c in data["coachees"]:
        yield c["code"]
        yield from (g["code"] for g in c["goals"])
        for s in c["sessions"]:
            yield s["code"]
            yield from (a["code"] for a in s["actions"])
            if s["reflection"] is not None:
                yield s["reflection"]["code"]
    yield from practice_codes(data)
