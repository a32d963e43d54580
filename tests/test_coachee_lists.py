"""The coachee page's timeline, open actions and goal figures, written in Python, are what
their template loops wrote.

Each loop below is the template text ``debrief/coachees/lists.py`` and the goals'
``figure_rows`` replaced, kept here as the reference: the same rows rendered both ways must
give the same HTML byte for byte. The texts carry markup, so escaping is compared too. Then
the page itself: a new action shows on it with its form.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils.safestring import mark_safe

from debrief.accounts.models import User
from debrief.coachees.lists import ActionRow, TimelineRow, actions_html, timeline_html
from debrief.followup.models import ActionItem, Goal
from debrief.followup.progress import GoalTrack, Point
from tests.conftest import make_coachee, make_session

TIMELINE = """  <ol class="timeline-list" reversed>
    {% for s in sessions %}
    <li class="timeline-item">
      <a class="session-link" href="{{ s.url }}">
        <span class="session-who">Session {{ s.number }}</span>
        <span class="session-meta">{{ s.when }} · {{ s.meta }}</span>
      </a>
      <span class="badge badge-{{ s.status }}">{{ s.status_label }}</span>
    </li>
    {% endfor %}
  </ol>
"""
NEW_TIMELINE = """  <ol class="timeline-list" reversed>
    {{ timeline }}
  </ol>
"""
ACTIONS = """<ul class="open-actions">
  {% for a in items %}
  <li class="open-action{% if a.overdue %} overdue{% endif %}">
    <span class="open-action-text">{{ a.text }}</span>
    <span class="muted">From <a href="{{ a.session_url }}">session {{ a.session_number }}</a>{% if a.due %} · {% if a.overdue %}<strong>overdue</strong>, was {% endif %}due {{ a.due }}{% endif %}</span>
    <form method="post" action="{{ a.status_url }}" class="inline-form">
      {{ csrf_input }}
      <input type="hidden" name="next" value="{{ request.path }}">
      <button type="submit" class="button button-small button-secondary" name="status" value="done">Mark done<span class="visually-hidden">: {{ a.text }}</span></button>
    </form>
  </li>
  {% endfor %}
</ul>
"""  # noqa: E501 - the template's lines as they were
FIGURES = (
    '<tbody>{% for pt in t.recent_points %}<tr><td><a href="{{ pt.url }}">{{ pt.session_number }}'
    "</a></td><td>{{ pt.when }}</td><td>{{ pt.score }} / 10</td></tr>{% endfor %}</tbody>"
)
CSRF = mark_safe('<input type="hidden" name="csrfmiddlewaretoken" value="t0ken">')


def _template(text: str, **ctx: object) -> str:
    return Template(text).render(Context(ctx))


def test_the_timeline_is_what_the_template_wrote() -> None:
    rows = [
        TimelineRow("12", "/s/1/", "Tue 3 Mar 2026, 09:30", "60 min · Video", "draft", "Draft"),
        TimelineRow("11", '/s/"2"/', "Mon 2 Mar 2026", "45 min · In person · Pro bono", "x", "<b>"),
        TimelineRow("1", "/s/3/&", "Sun 1 Mar 2026", "Group of 4 · Cancelled", "complete", "Done"),
    ]
    expected = _template(TIMELINE, sessions=rows)
    assert _template(NEW_TIMELINE, timeline=timeline_html(rows)) == expected
    assert "&lt;b&gt;" in expected and "&quot;2&quot;" in expected  # the cases the rows cover
    assert timeline_html([]) == ""


def test_the_open_actions_are_what_the_template_wrote() -> None:
    rows = [
        ActionRow('Email <Sam> & "Jo"', "/a/1/", "/s/1/", "3", "2 Mar", overdue=True),
        ActionRow("Read the brief", "/a/2/", "/s/2/", "4", "9 Mar", overdue=False),
        ActionRow("No date", "/a/3/", "/s/3/", "5", "", overdue=False),
    ]
    path = "/coachees/x/?a=<b>&c"
    request = type("Request", (), {"path": path})()
    expected = _template(ACTIONS, items=rows, csrf_input=CSRF, request=request)
    written = actions_html(rows, CSRF, path)
    assert _template('<ul class="open-actions">\n  {{ items }}\n</ul>\n', items=written) == expected
    assert "Email &lt;Sam&gt; &amp; &quot;Jo&quot;" in expected and "overdue" in expected


def test_the_goal_figures_are_what_the_template_wrote() -> None:
    points = [Point(n, date(2026, 1, n), UUID(int=n), n % 11) for n in range(1, 16)]
    track = GoalTrack(Goal(title="Speak up"), points)  # more scores than the table lists
    expected = _template(FIGURES, t=track)
    assert _template("<tbody>{{ t.figure_rows }}</tbody>", t=track) == expected
    assert track.figure_rows.count("<tr>") == 12


@pytest.mark.django_db
def test_an_open_action_shows_on_the_page_with_its_form(alice: User, alice_client: Client) -> None:
    priya = make_coachee(alice, "Priya <Shah>")
    session = make_session(priya, number=7)
    ActionItem.objects.create(
        coach=alice,
        coachee=priya,
        session=session,
        owner=ActionItem.Owner.COACHEE,
        text="Ask <Sam> about the board",
    )
    url = reverse("coachee_detail", args=[priya.code])
    page = alice_client.get(url).content.decode()
    assert '<span class="open-action-text">Ask &lt;Sam&gt; about the board</span>' in page
    assert f'<input type="hidden" name="next" value="{url}">' in page
    assert f'href="{reverse("reflection_edit", args=[session.code])}"' in page  # its timeline row
