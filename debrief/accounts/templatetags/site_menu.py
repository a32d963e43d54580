"""Every page's signed-in menu (base.html), drawn once per process for each set of roles and page.

The menu is the same for everyone with the same roles on the same page, but for two things:
the signed-in person's email address and the sign-out form's CSRF field. Drawing it (about 20
links reversed and 10 "is this the current page" tests) was about a fifth of the home page's
template time (``python -m bench.template_time``). It is drawn here with a gap for each of
the two, and the drawing kept: it holds no coachee text, and nothing of the person (the
email and the token are written into the gaps per request, never kept).
"""

from __future__ import annotations

from functools import lru_cache
from html import escape
from typing import Any

from django import template
from django.conf import settings
from django.template.defaulttags import CsrfTokenNode
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

GAP = "\x00"  # where the email and the CSRF field go: never in markup, and escaping keeps it


@lru_cache(maxsize=256)  # roles (a few sets) x pages linked from the menu or not (a few dozen)
def _drawn(
    prefix: str, urlconf: str, roles: tuple[bool, bool, bool], here: str | None, section: str
) -> tuple[str, str, str]:
    """The menu's markup around its two gaps. ``prefix`` and ``urlconf`` are part of the key
    only: the links are reversed with the script prefix and URLconf of the request."""
    coach, administrator, supervisor = roles
    drawn = render_to_string(
        "includes/_site_menu.html",
        {
            "firm_roles": {
                "coach": coach,
                "administrator": administrator,
                "supervisor": supervisor,
            },
            "here": here,
            "in_firm": section == "/firm/",
            "in_supervise": section == "/supervise/",
            "email": GAP,
            "csrf_input": GAP,
        },
    )
    before, between, after = drawn.removesuffix("\n").split(GAP)  # base.html ends the line
    return before, between, after


def _section(path: str) -> str:
    for section in ("/firm/", "/supervise/"):
        if path.startswith(section):
            return section
    return ""


@register.simple_tag(takes_context=True)
def site_menu(context: Any) -> SafeString:
    """The menu for the signed-in person of ``context`` on the page of its request."""
    request = context.get("request")
    roles = context.get("firm_roles")
    match = request.resolver_match if request is not None else None
    before, between, after = _drawn(
        get_script_prefix(),
        str(get_urlconf() or settings.ROOT_URLCONF),
        (
            bool(roles and roles.coach),
            bool(roles and roles.administrator),
            bool(roles and roles.supervisor),
        ),
        match.url_name if match is not None else None,
        _section(request.path) if request is not None else "",
    )
    email = escape(str(context["user"].email))
    menu = before + email + between + CsrfTokenNode().render(context) + after
    return mark_safe(menu)  # noqa: S308 - the email escaped, the rest drawn by the template
