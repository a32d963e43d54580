"""The insights pages' long tables and lists, written in Python, are what its template loops wrote.

Each loop below is the template text ``debrief/insights/tables.py`` replaced, kept here as the
reference: the same rows, rendered both ways, must give the same HTML byte for byte. The
coachee names carry markup, so escaping is compared too. The page itself is then read after
an edit: its tables show the new figures.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
import time_machine
from django import forms
from django.template import Context, Template
from django.test import Client
from django.urls import reverse

from debrief.accounts.models import User
from debrief.insights import tables
from debrief.insights.progress import CoacheeRow
from debrief.insights.ratings import Point
from debrief.insights.rhythm import Month
from debrief.insights.themes import Theme
from debrief.lib.forms import LongSelect
from tests.conftest import make_coachee
from tests.test_insights import TODAY, _sessions

MONTHS = (
    '{% load insights_figures %}{% for m in rhythm.months %}<tr><th scope="row">{{ m.label }}'
    "</th><td>{{ m.sessions }}</td><td>{{ m.hours|figure:1 }}</td><td>{% if m.habit_percent "
    'is None %}<span class="muted">none due</span>{% else %}{{ m.habit_percent }}% '
    "({{ m.on_time }} of {{ m.counted }}){% endif %}</td><td>{{ m.active_coachees }}</td></tr>"
    "{% endfor %}"
)
POINTS = (
    "{% load insights_figures %}{% for p in trend.points %}"
    '<tr><td>{{ p.label }}</td><td>{{ p.value|figure:"-2" }}'
    '{% if p.count > 1 %} <span class="muted">({{ p.count }} sessions)</span>{% endif %}'
    "</td></tr>{% endfor %}"
)
PROGRESS = """{% load insights_figures %}{% for row in progress_rows %}
    <tr>
      <th scope="row"><a href="?coachee={{ row.coachee.code }}">{{ row.coachee.display_name }}</a></th>
      <td>{{ row.sessions }}</td>
      <td>{{ row.goals }}</td>
      <td>{% if row.change is None %}<span class="muted">not enough scores</span>{% elif row.change > 0 %}up {{ row.change|figure:1 }} on average{% elif row.change < 0 %}down {{ row.change|figure:1|cut:"-" }} on average{% else %}no change{% endif %}</td>
      <td>{% if row.engagement is None %}<span class="muted">not rated</span>{% else %}{{ row.engagement|figure:1 }}{% endif %}</td>
    </tr>
    {% endfor %}"""  # noqa: E501 - the template's lines as they were
LINKS = (
    '{% for row in progress_rows %}<a href="?coachee={{ row.coachee.code }}#themes">'
    "{{ row.coachee.display_name }}</a>{% if not forloop.last %}, {% endif %}{% endfor %}"
)

THEME_SESSIONS = (
    "{% for code, label in theme.sessions %}<a href=\"{% url 'reflection_view' code %}\">"
    "{{ label }}</a>{% if not forloop.last %}, {% endif %}{% endfor %}"
)


def _template(text: str, **ctx: object) -> str:
    return Template(text).render(Context(ctx))


def test_month_rows_are_what_the_template_wrote() -> None:
    months = [
        Month(date(2025, 1, 1)),  # a quiet month: nought, none due
        Month(date(2025, 2, 1), 3, 150, 3, 2, 2),
        Month(date(2025, 3, 1), 999, 61_000, 900, 899, 120),  # 1,016.7 hours: floatformat's
        Month(date(2025, 4, 1), 1, 45, 1, 0, 1),
    ]
    expected = _template(MONTHS, rhythm=SimpleNamespace(months=months))
    assert tables.month_rows(months) == expected
    assert "none due" in expected and "1016.7" in expected  # the cases the rows cover


def test_point_rows_are_what_the_template_wrote() -> None:
    points = [Point("3 Mar", 4, 1), Point("Mar 2025", 3.75, 4), Point("<b>", 2.5, 2)]
    points += [Point(f"{d} Apr", v / 4, 1 + d % 3) for d, v in enumerate(range(4, 21))]
    assert tables.point_rows(points) == _template(POINTS, trend=SimpleNamespace(points=points))


@pytest.mark.django_db
def test_progress_rows_and_links_are_what_the_template_wrote(alice: User) -> None:
    names = ['Zoë <b>& "O\'Brien"', "Ann", "Bea", "Cy", "Di"]
    people = [make_coachee(alice, name) for name in names]
    changes = [None, 1.5, -2.0, 0.0, 10.0]
    engagement = [None, 4.2, 3.0, 1000.0, 2.5]
    rows = [
        CoacheeRow(c, n, n % 3, change, avg)
        for n, (c, change, avg) in enumerate(zip(people, changes, engagement, strict=True))
    ]
    assert tables.progress_rows(rows) == _template(PROGRESS, progress_rows=rows)
    assert tables.coachee_links(rows) == _template(LINKS, progress_rows=rows)
    assert "&lt;b&gt;&amp;" in tables.coachee_links(rows)


def test_theme_sessions_are_what_the_template_wrote() -> None:
    sessions = [
        ("5a1f0c7e-2b1d-4c3e-9f00-0123456789ab", "3 Mar 2025"),
        ("00000000-0000-0000-0000-00000000000f", '<b>& "x"</b>'),  # escaped, as a label
        ("9d0f6a2c-8e4b-4f7a-a1b2-c3d4e5f60718", "1 Apr"),
    ]
    for chosen in ([], sessions[:1], sessions):
        theme = Theme("listening", chosen, 0.5, 0.1)
        assert tables.theme_sessions(theme) == _template(THEME_SESSIONS, theme=theme)
    assert "&lt;b&gt;&amp;" in tables.theme_sessions(theme)
    assert tables.theme_sessions(theme).count('<a href="/sessions/') == 3


def test_a_long_select_writes_what_djangos_select_writes() -> None:
    choices = [("", "All coachees"), ("a&b", 'O\'Brien <x> & "q"'), (3, "three")]
    for value in ["", "a&b", 3, "missing"]:
        attrs = {"id": "id_coachee", "required": True, "disabled": False}
        django = forms.Select(choices=choices).render("coachee", value, attrs)
        assert LongSelect(choices=choices).render("coachee", value, attrs) == django
    grouped = [("Active", [("1", "One")]), ("Paused", [("2", "Two")])]
    assert LongSelect(choices=grouped).render("c", "2") == forms.Select(choices=grouped).render(
        "c", "2"
    )


@pytest.mark.django_db
def test_the_page_tables_show_the_figures_after_an_edit(alice_client: Client, alice: User) -> None:
    priya = make_coachee(alice, "Priya <Shah>")
    with time_machine.travel(TODAY, tick=False):
        _sessions(priya, [35, 34])  # two sessions in January 2026
        page = alice_client.get(reverse("insights")).content.decode()
        assert '<tr><th scope="row">Jan 2026</th><td>2</td><td>2.0</td>' in page
        assert ">Priya &lt;Shah&gt;</a></th>\n      <td>2</td>" in page
        _sessions(priya, [33], start=3)  # and one more
        page = alice_client.get(reverse("insights")).content.decode()
    assert '<tr><th scope="row">Jan 2026</th><td>3</td><td>3.0</td>' in page
    assert ">Priya &lt;Shah&gt;</a></th>\n      <td>3</td>" in page
    assert f'<option value="{priya.code}">Priya &lt;Shah&gt;</option>' in page
