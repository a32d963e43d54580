"""The ownership choke points for reflection templates."""

from __future__ import annotations

from uuid import UUID

from django.http import Http404

from debrief.audit.denied import get_owned_or_404
from debrief.lib.http import AuthedRequest
from debrief.prompts.models import ReflectionTemplate


def get_template_for_user(request: AuthedRequest, code: UUID) -> ReflectionTemplate:
    """A built-in template or one of the coach's own; another coach's is a 404."""
    qs = ReflectionTemplate.objects.for_coach(request.user)
    return get_owned_or_404(request, qs, ReflectionTemplate, code)


def get_own_template(request: AuthedRequest, code: UUID) -> ReflectionTemplate:
    """A template the coach may change: their own (built-in ones are copied, never edited)."""
    template = get_template_for_user(request, code)
    if template.is_builtin:
        raise Http404
    return template
