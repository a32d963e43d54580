"""``figure``: Django's ``floatformat``, without its cost for the plain numbers insights show.

The whole-practice page shows thousands of figures (each month's hours, each point of each
rating chart's table, each coachee's engagement): ``floatformat`` costs about 10 microseconds
a figure (a Decimal, localisation), a fifth of the page's template time at 10,000 sessions.
A figure that needs no rounding at the precision asked for (insights round theirs before the
page sees them), under 1,000 and not zero, is written here with the same digits; anything else
goes to ``floatformat`` itself. ``tests/test_insights_figures.py`` compares the two over every
value with two decimals from -200 to 200.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import floatformat
from django.utils.formats import get_format

register = template.Library()


@register.filter
def figure(value: Any, arg: int | str = -1) -> str:
    places = int(arg)
    digits = abs(places)
    if type(value) in (int, float) and 0 < abs(value) < 1000 and value == round(value, digits):
        whole = places < 0 and value == int(value)  # "-2": no decimals for a whole number
        text = f"{value:.0f}" if whole else f"{value:.{digits}f}"
        return text.replace(".", get_format("DECIMAL_SEPARATOR"))
    return floatformat(value, arg)
