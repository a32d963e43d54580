"""The journal file's name, version and bounds, in one place (docs/journal-format.md)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

FORMAT = "debrief-journal"
VERSION = 1  # the version this installation writes and the newest it reads
OLDEST_READ = 1

MAX_BYTES = 200 * 1024 * 1024  # a 3,000-session journal is about 10 MB
MAX_DEPTH = 40  # JSON nesting; a template definition needs about 8

SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "journal.v1.schema.json"


@cache
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return loaded
