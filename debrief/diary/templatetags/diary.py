"""The home page's note of calendar events waiting for the coach's review."""

from __future__ import annotations

from typing import Any

from django import template

from debrief.diary.review import to_review

register = template.Library()


@register.inclusion_tag("diary/_to_review.html", takes_context=True)
def calendar_to_review(context: dict[str, Any]) -> dict[str, Any]:
    request = context["request"]
    return {"count": to_review(request.user).count()}
