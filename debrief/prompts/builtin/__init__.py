"""The built-in templates, as versioned files that never change once released."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

BRIEF: dict[str, Any] = {
    "slug": "coaching-session-reflection",
    "name": "Coaching session reflection",
    "description": (
        "The full reflection from the coaching brief: plan before the session, then look "
        "back on the session, your own practice, what you learned and what happens next."
    ),
    "versions": {1: "coaching-session-reflection.v1.json"},
}


def seed(template_model: Any, version_model: Any) -> None:
    """Create the built-in template and its versions if missing (migration and self-repair)."""
    template, _ = template_model.objects.get_or_create(
        slug=BRIEF["slug"],
        defaults={"name": BRIEF["name"], "description": BRIEF["description"]},
    )
    for number, filename in BRIEF["versions"].items():
        version_model.objects.get_or_create(
            template=template,
            number=number,
            defaults={"definition": json.loads((HERE / filename).read_text())},
        )
