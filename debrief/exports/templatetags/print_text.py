"""Filters for the PDF templates: a coach's text as paragraphs, each running its own way."""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from debrief.lib.bidi import direction

register = template.Library()


@register.filter
def text_dir(value: object) -> str:
    """``rtl`` or ``ltr`` for a ``dir`` attribute (the first strong letter decides)."""
    return direction(str(value))


def _dir(text: str) -> str:
    # Left to right is every page's own direction: only the other way needs saying.
    return ' dir="rtl"' if direction(text) == "rtl" else ""


@register.filter
def paragraphs(value: object) -> SafeString:
    """Like ``linebreaks``, each paragraph in its own direction: Arabic reads right to left."""
    text = str(value).replace("\r\n", "\n").strip()
    parts = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    html = "".join(f"<p{_dir(p)}>{escape(p).replace(chr(10), '<br>')}</p>" for p in parts)
    return mark_safe(html)  # noqa: S308 - every part escaped above
