"""Helpers for the follow-through tests: a template with goal progress, and saving fields."""

from __future__ import annotations

import copy
import json
from typing import Any

from django.test import Client
from django.urls import reverse

from debrief.journal.models import CoachingSession, Reflection
from debrief.journal.reflection import field_hash, snapshot
from debrief.prompts.builtin import HERE
from debrief.prompts.models import ReflectionTemplate, TemplateVersion


def goal_template_version() -> TemplateVersion:
    """The brief's template with a goal progress prompt in the session overview."""
    definition: dict[str, Any] = json.loads(
        (HERE / "coaching-session-reflection.v1.json").read_text()
    )
    definition = copy.deepcopy(definition)
    overview = next(s for s in definition["sections"] if s["key"] == "session-overview")
    overview["groups"][1]["prompts"].append(
        {"key": "goal_progress", "text": "How far has each goal come?", "kind": "goal_progress"}
    )
    template, _ = ReflectionTemplate.objects.get_or_create(
        slug="with-goals", defaults={"name": "With goals"}
    )
    version, _ = TemplateVersion.objects.get_or_create(
        template=template, number=1, defaults={"definition": definition}
    )
    return version


def use_template(session: CoachingSession, version: TemplateVersion) -> None:
    Reflection.objects.filter(session=session).update(template_version=version)


def save(client: Client, session: CoachingSession, **fields: str) -> Any:
    """Post fields as autosave does, each with the hash of the value stored now."""
    reflection = Reflection.objects.get(session=session)
    stored = snapshot(reflection).values
    data: dict[str, str] = {}
    for name, value in fields.items():
        data[name] = value
        data[f"base:{name}"] = field_hash(stored.get(name, ""))
    return client.post(
        reverse("reflection_edit", args=[session.code]), data, HTTP_ACCEPT="application/json"
    )
