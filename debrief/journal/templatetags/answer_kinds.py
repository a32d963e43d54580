"""Template filters that reach an answer kind by its name."""

from __future__ import annotations

from django import template

from debrief.journal.answers.base import AnswerKind
from debrief.prompts import kinds

register = template.Library()


@register.filter
def export_template(kind_name: str) -> str:
    """The template a prompt of this kind is shown with in the readable coachee export."""
    kind = kinds.find(kind_name)
    return kind.export_template if isinstance(kind, AnswerKind) else "answers/export.html"
