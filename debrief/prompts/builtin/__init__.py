"""The built-in templates, as versioned files that never change once released.

A change to a built-in template is a new file (``<slug>.v<n>.json``) listed here and a data
migration that calls ``seed``: reflections keep the version they were written with. Only flags
that change no answer (``carry``, ``plan_text``) were added to released files, by a data
migration that updates the stored versions too (prompts 0005).
"""

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
    "versions": {
        1: "coaching-session-reflection.v1.json",
        2: "coaching-session-reflection.v2.json",
    },
}

BUILTINS: tuple[dict[str, Any], ...] = (
    BRIEF,
    {
        "slug": "grow",
        "name": "GROW",
        "description": (
            "For sessions shaped around a clear goal: follow the conversation from what the "
            "coachee wants, through where they are now and what they could do, to what they "
            "will do."
        ),
        "versions": {1: "grow.v1.json"},
    },
    {
        "slug": "gibbs-reflective-cycle",
        "name": "Gibbs' reflective cycle",
        "description": (
            "When something in a session stirred you or did not go to plan: walk slowly "
            "through what happened, how it felt, what made sense of it and what you would do "
            "next time."
        ),
        "versions": {1: "gibbs-reflective-cycle.v1.json"},
    },
    {
        "slug": "what-so-what-now-what",
        "name": "What? So what? Now what?",
        "description": (
            "Driscoll's three plain questions. Good for any session when you want some depth "
            "without a long form."
        ),
        "versions": {1: "what-so-what-now-what.v1.json"},
    },
    {
        "slug": "kolb-learning-cycle",
        "name": "Kolb's learning cycle",
        "description": (
            "When one moment of practice deserves to become learning: recall it, look back on "
            "it, make sense of it and choose something to try next."
        ),
        "versions": {1: "kolb-learning-cycle.v1.json"},
    },
    {
        "slug": "five-minute-reflection",
        "name": "Five-minute reflection",
        "description": (
            "For busy days: the essentials in five minutes, so nothing important is lost and "
            "the session is still reflected on."
        ),
        "versions": {1: "five-minute-reflection.v1.json"},
    },
)


def definition_of(slug: str, number: int) -> dict[str, Any]:
    spec = next(b for b in BUILTINS if b["slug"] == slug)
    data: dict[str, Any] = json.loads((HERE / spec["versions"][number]).read_text())
    return data


def seed(template_model: Any, version_model: Any) -> None:
    """Create the built-in templates and their versions if missing (migrations, self-repair).

    Uses only the fields of the first schema, so every data migration can call it.
    """
    for spec in BUILTINS:
        template, _ = template_model.objects.get_or_create(
            slug=spec["slug"],
            defaults={"name": spec["name"], "description": spec["description"]},
        )
        for number in spec["versions"]:
            version_model.objects.get_or_create(
                template=template,
                number=number,
                defaults={"definition": definition_of(spec["slug"], number)},
            )
