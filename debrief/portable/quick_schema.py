"""A JSON Schema compiled into plain Python checks: is a value valid, yes or no, quickly.

jsonschema walks a 3,000-session journal in about 4 s of CPU (most of an import's checking),
re-entering its keyword machinery for every value. The journal's schemas use a small set of
keywords, each compiled here once into a closure, which answers in a few hundred
milliseconds. It only says whether the file is valid: when it is not, jsonschema itself runs
to say where and why (so the messages are jsonschema's, and a mistake here can only cost
time, never let a bad file through unnoticed by the tests that compare the two). A keyword
this module does not know makes ``compile_schema`` fail loudly rather than skip it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Check = Callable[[Any], bool]

# Annotations, and "format", which the journal check leaves to its own clearer date checks.
_IGNORED = {"$schema", "$id", "title", "description", "format", "$defs"}
_OBJECT_KEYS = {"properties", "required", "additionalProperties"}


def _is_integer(v: Any) -> bool:
    if isinstance(v, bool):
        return False
    return isinstance(v, int) or (isinstance(v, float) and v.is_integer())


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


_TYPES: dict[str, Check] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": _is_integer,
    "number": _is_number,
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def _same(a: Any, b: Any) -> bool:
    """JSON equality: true is not 1, and 1 is 1.0."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if _is_number(a) and _is_number(b):
        return bool(a == b)
    return type(a) is type(b) and a == b


def _type(names: str | list[str]) -> Check:
    tests = [_TYPES[n] for n in ([names] if isinstance(names, str) else names)]
    if len(tests) == 1:
        return tests[0]
    return lambda v: any(t(v) for t in tests)


def _object(node: dict[str, Any]) -> Check:
    props = {k: compile_schema(v) for k, v in node.get("properties", {}).items()}
    required = list(node.get("required", []))
    extra = node.get("additionalProperties", True)
    if extra not in (True, False):
        raise ValueError("additionalProperties other than true or false is not compiled")
    closed = extra is False

    def check(v: Any) -> bool:
        if not isinstance(v, dict):
            return True
        for key in required:
            if key not in v:
                return False
        for key, item in v.items():
            test = props.get(key)
            if test is None:
                if closed:
                    return False
            elif not test(item):
                return False
        return True

    return check


def _items(node: dict[str, Any]) -> Check:
    test = compile_schema(node["items"]) if "items" in node else None
    most = node.get("maxItems")
    least = node.get("minItems")

    def check(v: Any) -> bool:
        if not isinstance(v, list):
            return True
        if most is not None and len(v) > most:
            return False
        if least is not None and len(v) < least:
            return False
        return test is None or all(test(item) for item in v)

    return check


def _string(node: dict[str, Any]) -> Check:
    most, least = node.get("maxLength"), node.get("minLength")
    pattern = re.compile(node["pattern"]) if "pattern" in node else None

    def check(v: Any) -> bool:
        if not isinstance(v, str):
            return True
        if most is not None and len(v) > most:
            return False
        if least is not None and len(v) < least:
            return False
        return pattern is None or pattern.search(v) is not None

    return check


def _bounds(node: dict[str, Any]) -> Check:
    low, high = node.get("minimum"), node.get("maximum")

    def check(v: Any) -> bool:
        if not _is_number(v):
            return True
        return (low is None or v >= low) and (high is None or v <= high)

    return check


def _enum(values: list[Any]) -> Check:
    return lambda v: any(_same(v, allowed) for allowed in values)


def compile_schema(node: Any) -> Check:
    """A check for ``node``, a schema whose ``$ref`` have been replaced by what they name."""
    if node is True:
        return lambda v: True
    if not isinstance(node, dict):
        raise ValueError(f"a schema of {type(node).__name__} is not compiled")
    unknown = set(node) - _IGNORED - _OBJECT_KEYS - {
        "type", "items", "maxItems", "minItems", "maxLength", "minLength", "pattern",
        "minimum", "maximum", "enum", "const",
    }  # fmt: skip
    if unknown:
        raise ValueError(f"schema keywords not compiled: {sorted(unknown)}")
    checks: list[Check] = []
    if "type" in node:
        checks.append(_type(node["type"]))
    if "const" in node:
        const = node["const"]
        checks.append(lambda v: _same(v, const))
    if "enum" in node:
        checks.append(_enum(node["enum"]))
    if _OBJECT_KEYS & set(node):
        checks.append(_object(node))
    if {"items", "maxItems", "minItems"} & set(node):
        checks.append(_items(node))
    if {"maxLength", "minLength", "pattern"} & set(node):
        checks.append(_string(node))
    if {"minimum", "maximum"} & set(node):
        checks.append(_bounds(node))
    if len(checks) == 1:
        return checks[0]
    return lambda v: all(c(v) for c in checks)
