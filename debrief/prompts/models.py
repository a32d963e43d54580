from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models

from debrief.privacy import memory
from debrief.prompts import builtin
from debrief.prompts.definition import Definition, parse

if TYPE_CHECKING:
    from debrief.accounts.models import User
    from debrief.coachees.models import Coachee

# Versions never change once saved, so a parsed definition can be kept for the process.
_PARSED: dict[tuple[int, str], Definition] = {}
memory.register(
    "prompts.parsed",
    forget_all=_PARSED.clear,
    holds="parsed template versions (a coach's own prompts)",
)
_BUILTIN_ORDER = {spec["slug"]: i for i, spec in enumerate(builtin.BUILTINS)}


class TemplateQuerySet(models.QuerySet["ReflectionTemplate"]):
    def for_coach(self, user: Any) -> TemplateQuerySet:
        """The templates a coach may use: the built-in ones and their own."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(models.Q(owner__isnull=True) | models.Q(owner=user))

    def usable(self) -> TemplateQuerySet:
        return self.filter(retired=False)


class ReflectionTemplate(models.Model):
    """A named reflection template. Built-in templates have no owner and cannot be edited."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE
    )
    retired = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)

    objects = TemplateQuerySet.as_manager()

    def __str__(self) -> str:
        return self.name

    @property
    def is_builtin(self) -> bool:
        return self.owner_id is None

    @property
    def sort_key(self) -> tuple[int, str]:
        return (_BUILTIN_ORDER.get(self.slug, len(_BUILTIN_ORDER)), self.name.casefold())

    def latest_version(self) -> TemplateVersion:
        return self.versions.order_by("-number")[0]

    def in_use(self) -> bool:
        from debrief.journal.models import Reflection

        return Reflection.objects.filter(template_version__template=self).exists()


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


def usable_templates(coach: Any) -> list[ReflectionTemplate]:
    """The templates a coach can start a reflection with: built in, then their own, unretired."""
    found = ReflectionTemplate.objects.for_coach(coach).usable()
    return sorted(found, key=lambda t: t.sort_key)


def brief_template() -> ReflectionTemplate:
    template = ReflectionTemplate.objects.filter(slug=builtin.BRIEF["slug"]).first()
    if template is None:  # a flushed database: put the built-in templates back
        builtin.seed(ReflectionTemplate, TemplateVersion)
        template = ReflectionTemplate.objects.get(slug=builtin.BRIEF["slug"])
    return template


def brief_version(number: int | None = None) -> TemplateVersion:
    """The built-in brief, at ``number`` or its latest version."""
    template = brief_template()
    if number is None:
        return template.latest_version()
    return template.versions.get(number=number)


def default_template_version(
    coach: User | None = None, coachee: Coachee | None = None
) -> TemplateVersion:
    """The template a new reflection starts with: the coachee's default, else the coach's,
    else the built-in brief; always the latest version, and never a retired template."""
    for chosen in (
        getattr(coachee, "default_template", None),
        getattr(coach, "default_template", None),
    ):
        if chosen is not None and not chosen.retired:
            return chosen.latest_version()
    return brief_version()
