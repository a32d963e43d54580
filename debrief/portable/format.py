"""The journal file's name, versions and bounds, in one place (docs/journal-format.md)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

FORMAT = "debrief-journal"
VERSION = 2  # the version this installation writes and the newest it reads
OLDEST_READ = 1

MAX_BYTES = 200 * 1024 * 1024  # a 3,000-session journal is about 15 MB, certificates aside
MAX_DEPTH = 40  # JSON nesting; a template definition needs about 8

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
SCHEMA_PATH = SCHEMA_DIR / f"journal.v{VERSION}.schema.json"


def schema_path(version: int = VERSION) -> Path:
    return SCHEMA_DIR / f"journal.v{version}.schema.json"


@cache
def schema(version: int = VERSION) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(schema_path(version).read_text(encoding="utf-8"))
    return loaded
