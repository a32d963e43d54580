"""Helpers for the follow-through tests: a template with goal progress, and saving fields."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from debrief.journal.models import CoachingSession, Reflection
from debrief.journal.reflection import field_hash, snapshot
from debrief.prompts.builtin import BRIEF
from debrief.prompts.models import TemplateVersion


def goal_template_version() -> TemplateVersion:
    """The brief's version 2, which asks for goal progress in the session overview."""
    version = TemplateVersion.objects.get(template__slug=BRIEF["slug"], number=2)
    assert version.parsed.by_key["goal_progress"].kind == "goal_progress"
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
