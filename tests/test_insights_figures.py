"""The insights pages' ``figure`` filter writes exactly what ``floatformat`` writes."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.template.defaultfilters import floatformat

from debrief.insights.templatetags.insights_figures import figure

ARGS: list[int | str] = [1, 2, "-1", "-2", -2]


@pytest.mark.parametrize("arg", ARGS)
def test_every_value_with_two_decimals_is_written_as_floatformat_writes_it(arg: int | str) -> None:
    values = [k / 100 for k in range(-20000, 20001)] + [round(k / 7, 1) for k in range(-700, 701)]
    different = [v for v in values if figure(v, arg) != floatformat(v, arg)]
    assert different == []


ODD = [0, 0.0, -0.0, 1234.5, 0.25 + 0.05, 2.675, 7, -3, "4.5", None, ""]


@pytest.mark.parametrize("value", ODD)
def test_what_it_does_not_write_itself_goes_to_floatformat(value: object) -> None:
    for arg in ARGS:
        assert figure(value, arg) == floatformat(value, arg)


def test_it_is_a_template_filter() -> None:
    page = Template(
        "{% load insights_figures %}{{ a|figure:1 }} {{ b|figure:'-2' }} {{ c|figure:'-2' }}"
    )
    assert page.render(Context({"a": 3.0, "b": 3.5, "c": 4.0})) == "3.0 3.50 4"
