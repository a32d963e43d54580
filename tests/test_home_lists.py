"""The home page's lists, written in Python, are what their template loops wrote.

Each loop below is the template text ``debrief/journal/home_html.py`` replaced, kept here as
the reference: the same rows rendered both ways must give the same HTML byte for byte. Names
and actions carry markup, so escaping is compared too. Then the page itself. (The calendar's
note, whose count the view now reads, is read on the page by ``test_calendar_import.py``.)
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString

from debrief.accounts.models import User
from debrief.journal import home_html
from debrief.journal.home import Row
from debrief.journal.waiting import WaitingRow
from tests.conftest import make_coachee, make_session

_ROW = """  <ul class="session-list">
    {{% for {v} in rows %}}
    <li class="session-row">
      <a class="session-link" href="{{{{ {v}.url }}}}">
{body}
    </li>
    {{% endfor %}}
  </ul>
"""
TODAY = _ROW.format(
    v="t",
    body="""        <span class="session-who"><bdi>{{ t.who }}</bdi></span>
        <span class="session-meta">{{ t.meta }}</span>
      </a>
      {% if t.state == "complete" %}<span class="badge badge-complete">Complete</span>{% elif t.state == "reflect" %}<a class="button button-small" href="{{ t.url }}">Reflect</a>{% else %}<a class="button button-small button-secondary" href="{{ t.url }}">Prepare</a>{% endif %}""",  # noqa: E501 - the template's line as it was
)
PENDING = _ROW.format(
    v="r",
    body="""        <span class="session-who">{{ r.who }}</span>
        <span class="session-meta">{{ r.meta }}</span>
      </a>
      <span class="badge badge-{{ r.status }}">{{ r.status_label }}</span>""",
)
OVERDUE = _ROW.format(
    v="a",
    body="""        <span class="session-who">{{ a.text }}</span>
        <span class="session-meta">For <bdi>{{ a.who }}</bdi> · {{ a.meta }}</span>
      </a>
      <span class="badge badge-overdue">Overdue</span>""",
)
UPCOMING = _ROW.format(
    v="s",
    body="""        <span class="session-who"><bdi>{{ s.who }}</bdi></span>
        <span class="session-meta">{{ s.meta }}</span>
      </a>
      <a class="button button-small button-secondary" href="{{ s.url }}">Prepare<span class="visually-hidden"> session {{ s.number }} with <bdi>{{ s.who }}</bdi></span></a>""",  # noqa: E501 - the template's line as it was
)
RECENT = _ROW.format(
    v="r",
    body="""        <span class="session-who"><bdi>{{ r.who }}</bdi></span>
        <span class="session-meta">{{ r.meta }}</span>
      </a>
      <span class="badge badge-complete">Complete</span>""",
)
NEW = """  <ul class="session-list">
    {{ items }}
  </ul>
"""
NAMES = ['Zoë <b>& "O\'Brien"', "Ann", "بشرى"]


def _template(text: str, **ctx: object) -> str:
    return Template(text).render(Context(ctx))


def _rows() -> list[Row]:
    states = ["complete", "reflect", "prepare"]
    return [
        Row(f"/x/{n}/?a=1&b=<2>", who, f"Session {n} · <meta>", n, states[n], f"Act <{n}> & go")
        for n, who in enumerate(NAMES)
    ]


@pytest.mark.parametrize(
    ("loop", "write"),
    [
        (TODAY, home_html.today_items),
        (OVERDUE, home_html.overdue_items),
        (UPCOMING, home_html.upcoming_items),
        (RECENT, home_html.recent_items),
    ],
)
def test_each_list_is_what_the_template_wrote(
    loop: str, write: Callable[[list[Row]], SafeString]
) -> None:
    rows = _rows()
    expected = _template(loop, rows=rows)
    assert _template(NEW, items=write(rows)) == expected
    assert "&lt;b&gt;&amp; &quot;O&#x27;Brien&quot;" in expected  # the cases the rows cover
    assert write([]) == ""


def test_the_waiting_list_is_what_the_template_wrote() -> None:
    rows = [
        WaitingRow(f"/r/{n}/&", who, f"Session {n} · <today>", "draft", f"Draft <{n}>")
        for n, who in enumerate(NAMES)
    ]
    expected = _template(PENDING, rows=rows)
    assert _template(NEW, items=home_html.waiting_items(rows)) == expected


@pytest.mark.django_db
def test_the_page_lists_an_upcoming_session(alice: User, alice_client: Client) -> None:
    session = make_session(make_coachee(alice, "Priya <Shah>"), number=3, date=_in(days=2))
    page = alice_client.get(reverse("home")).content.decode()
    prepare = reverse("session_prepare", args=[session.code])
    assert f'<a class="button button-small button-secondary" href="{prepare}">Prepare' in page
    assert '<span class="visually-hidden"> session 3 with <bdi>Priya &lt;Shah&gt;</bdi>' in page


def _in(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)
