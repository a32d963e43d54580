from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models

from debrief.prompts import builtin
from debrief.prompts.definition import Definition, parse

# Versions never change once saved, so a parsed definition can be kept for the process.
_PARSED: dict[tuple[int, str], Definition] = {}


class ReflectionTemplate(models.Model):
    """A named reflection template. Built-in templates have no owner."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE
    )
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name

    def latest_version(self) -> TemplateVersion:
        return self.versions.order_by("-number")[0]


class TemplateVersion(models.Model):
    """One immutable version of a template; a reflection points at the one it was written with."""

    template = models.ForeignKey(
        ReflectionTemplate, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField()
    definition: models.JSONField[Any, Any] = models.JSONField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="unique_template_version")
        ]

    def __str__(self) -> str:
        return f"{self.template.name} v{self.number}"

    @property
    def parsed(self) -> Definition:
        key = (self.pk, self.created.isoformat())
        if key not in _PARSED:
            _PARSED[key] = parse(self.definition)
        return _PARSED[key]


def default_template_version() -> TemplateVersion:
    template = ReflectionTemplate.objects.filter(slug=builtin.BRIEF["slug"]).first()
    if template is None:  # a flushed database: put the built-in template back
        builtin.seed(ReflectionTemplate, TemplateVersion)
        template = ReflectionTemplate.objects.get(slug=builtin.BRIEF["slug"])
    return template.latest_version()
