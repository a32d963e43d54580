"""What a coach does with templates: copy, save a new version, retire, delete, switch a draft.

Versions are immutable: saving a changed template adds a version, and every reflection keeps
the version it was written with. A template that any reflection uses cannot be deleted,
only retired (hidden from the choices for new reflections).
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.text import slugify

from debrief.prompts.definition import Definition, parse
from debrief.prompts.models import ReflectionTemplate, TemplateVersion

if TYPE_CHECKING:
    from debrief.accounts.models import User
    from debrief.journal.models import Reflection


def _slug(name: str) -> str:
    return f"{slugify(name)[:40] or 'template'}-{uuid.uuid4().hex[:10]}"


def create(owner: User, name: str, description: str, definition: Definition) -> ReflectionTemplate:
    with transaction.atomic():
        template = ReflectionTemplate.objects.create(
            owner=owner, slug=_slug(name), name=name, description=description
        )
        TemplateVersion.objects.create(template=template, number=1, definition=definition.as_data())
    return template


def free_name(owner: User, name: str, limit: int = 120) -> str:
    """``name``, or "name (2)", "name (3)"... if the coach already has a template so called.

    Names are compared case-blind among the coach's own templates, so a file imported twice
    does not make two templates no one can tell apart.
    """
    own = ReflectionTemplate.objects.filter(owner=owner).values_list("name", flat=True)
    taken = {n.casefold() for n in own}
    if name.casefold() not in taken:
        return name
    number = 2
    while True:
        suffix = f" ({number})"
        candidate = f"{name[: limit - len(suffix)]}{suffix}"
        if candidate.casefold() not in taken:
            return candidate
        number += 1


def copy_template(source: ReflectionTemplate, owner: User) -> ReflectionTemplate:
    latest = source.latest_version()
    name = f"{source.name} (my copy)"[:120]
    definition = parse({**latest.definition, "title": name})
    return create(owner, name, source.description, definition)


def save_version(
    template: ReflectionTemplate, name: str, description: str, definition: Definition
) -> TemplateVersion | None:
    """Save the edits: a new version if the prompts changed; None if they did not."""
    with transaction.atomic():
        template = ReflectionTemplate.objects.select_for_update().get(pk=template.pk)
        template.name, template.description = name, description
        template.save(update_fields=["name", "description"])
        latest = template.latest_version()
        if parse(latest.definition) == definition:
            return None
        return TemplateVersion.objects.create(
            template=template, number=latest.number + 1, definition=definition.as_data()
        )


def delete(template: ReflectionTemplate) -> bool:
    """Delete a template no reflection uses; False (nothing changed) if one does."""
    with transaction.atomic():
        if template.in_use():
            return False
        template.versions.all().delete()
        template.delete()
    return True


def kept_answers(reflection: Reflection, target: Definition) -> tuple[list[str], list[str]]:
    """The prompts (texts) whose answers show in ``target``, and those that would not.

    An answer shows when the new template has a prompt with the same key and the same kind,
    or another written kind (each kind says: ``Kind.shows_in``). Nothing is deleted: answers
    that do not show stay stored (and exported) and come back if the coach switches back.
    """
    current = reflection.template_version.parsed
    answered = set(reflection.answers.values_list("prompt_key", flat=True))
    answered |= set(reflection.technique_uses.values_list("prompt_key", flat=True))
    owners = set(reflection.session.action_items.values_list("owner", flat=True))
    kept: list[str] = []
    hidden: list[str] = []
    for prompt in current.prompts():
        kind = prompt.answer_kind
        if kind.has_stored(prompt, answered, owners):
            (kept if kind.shows_in(prompt, target) else hidden).append(prompt.text)
    return kept, hidden
