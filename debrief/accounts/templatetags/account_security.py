from __future__ import annotations

from django import template

from debrief.accounts.browsers import describe_browser

register = template.Library()


@register.filter
def browser(user_agent: str) -> str:
    return describe_browser(user_agent or "")


@register.filter
def in_fours(secret: str) -> str:
    """A long key in groups of four characters, easier to type into an app."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
