"""Filters for the PDF templates: a coach's text as paragraphs, each running its own way."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.utils.html import conditional_escape, escape
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
def dir_attr(value: object) -> SafeString:
    """`` dir="rtl"`` for text that runs right to left, else nothing (the page's own way)."""
    return mark_safe(_dir(str(value)))  # noqa: S308 - a constant


@register.simple_tag(name="question")
def question_line(text: object) -> SafeString:
    """A question on a line of its own, above a list or paragraphs that answer it."""
    asked = str(text)
    return mark_safe(f'<p class="q"{_dir(asked)}><strong>{escape(asked)}</strong></p>')  # noqa: S308


def _parts(value: object) -> list[str]:
    text = str(value).replace("\r\n", "\n").strip()
    return [p for p in re.split(r"\n\s*\n", text) if p.strip()]


def _lines(part: str) -> str:
    return escape(part).replace(chr(10), "<br>")


@register.filter
def paragraphs(value: object) -> SafeString:
    """Like ``linebreaks``, each paragraph in its own direction: Arabic reads right to left."""
    html = "".join(f"<p{_dir(p)}>{_lines(p)}</p>" for p in _parts(value))
    return mark_safe(html)  # noqa: S308 - every part escaped above


@register.filter
def in_own_dir(value: object, around: object = "") -> SafeString:
    """The text, escaped; in a ``<span dir>`` only when it runs the other way from ``around``.

    ``around`` is the text of the paragraph it sits in (none: the page's left to right). A span
    that says nothing new is one more inline box for WeasyPrint to lay out on every line it
    touches, and a dossier has hundreds of them: an English action in an English list needs none.
    """
    text = str(value)
    own = direction(text)
    if own == direction(str(around)):
        return escape(text)
    return mark_safe(f'<span dir="{own}">{escape(text)}</span>')  # noqa: S308 - escaped


@register.filter
def score_of(value: Any, prompt: Any) -> str:
    """A rating's score out of its scale ("4 / 5"), set in the question's bold by ``run_in``."""
    return f"{value.score} / {prompt.scale_max}"


@register.filter
def scale_ends(prompt: Any) -> SafeString:
    """What a rating scale's ends mean, when they are named; else nothing."""
    if not (prompt.low_label or prompt.high_label):
        return mark_safe("")
    low = f"{prompt.scale_min} {prompt.low_label}".strip()
    high = f"{prompt.scale_max} {prompt.high_label}".strip()
    return mark_safe(f'<span class="scale-ends">({escape(low)} to {escape(high)})</span>')  # noqa: S308


@register.simple_tag
def run_in(question: object, text: object = "", lead: Any = "", score: object = "") -> SafeString:
    """A question in bold with its answer after it on the same line, then any more paragraphs.

    ``score`` (plain text, a rating's "4 / 5") is set inside the question's bold: the score
    was bold in the question's colour anyway, and one inline box fewer per rating is less for
    WeasyPrint to lay out. ``lead`` (HTML, escaped unless safe) comes first after the question:
    a scale's named ends, a short value. A dossier is mostly one- or two-line answers, so each
    one set on its question's line saves a line, and WeasyPrint's time goes with the lines.
    When the answer's first paragraph runs the other way from the question (an Arabic answer
    to an English prompt), it starts a paragraph of its own, in its own direction, as every
    further paragraph does.
    """
    asked = str(question)
    head = escape(asked) + (f" {escape(score)}" if score else "")
    parts = _parts(text)
    bits = [str(conditional_escape(lead))] if lead else []
    if parts and direction(parts[0]) == direction(asked):
        bits.append(_lines(parts.pop(0)))
    if not bits and not score:
        return mark_safe(question_line(asked) + paragraphs(text))  # noqa: S308 - escaped in both
    after = f" {' '.join(bits)}" if bits else ""
    line = f'<p class="qa"{_dir(asked)}><strong class="q">{head}</strong>{after}</p>'
    rest = "".join(f"<p{_dir(p)}>{_lines(p)}</p>" for p in parts)
    return mark_safe(line + rest)  # noqa: S308 - every part escaped above
