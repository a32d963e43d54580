"""Every page's signed-in menu, drawn once per roles and page (accounts/templatetags/site_menu.py),
is what base.html's template wrote, byte for byte.

``MENU`` is the template text the tag replaced, kept here as the reference: for each set of
roles, on pages the menu marks as current and on others, both are rendered for the same
request and compared, the CSRF token aside (each rendering masks it afresh). Then the page
itself: the email is escaped, and the sign-out form's token signs out.
"""

from __future__ import annotations

import re

import pytest
from django.template import RequestContext, Template
from django.test import Client, RequestFactory
from django.urls import resolve, reverse

from debrief.accounts.models import User
from debrief.firm.models import Membership
from tests.conftest import make_coach

MENU = """      {% if user.is_authenticated %}
      <button type="button" class="menu-toggle button button-small button-secondary" aria-expanded="false" aria-controls="site-menu" hidden>Menu</button>
      <div class="site-menu" id="site-menu">
      <nav class="mainnav" aria-label="Main">
        {% if firm_roles.coach %}
        <a href="{% url 'home' %}"{% if request.resolver_match.url_name == 'home' %} aria-current="page"{% endif %}>Home</a>
        <a href="{% url 'coachee_list' %}"{% if request.resolver_match.url_name == 'coachee_list' %} aria-current="page"{% endif %}>Coachees</a>
        <a href="{% url 'practice' %}"{% if request.resolver_match.url_name == 'practice' or request.resolver_match.url_name == 'icf_log' %} aria-current="page"{% endif %}>Practice</a>
        <a href="{% url 'template_library' %}"{% if request.resolver_match.url_name == 'template_library' %} aria-current="page"{% endif %}>Templates</a>
        <a href="{% url 'insights' %}"{% if request.resolver_match.url_name == 'insights' %} aria-current="page"{% endif %}>Insights</a>
        <a href="{% url 'calendar' %}"{% if request.resolver_match.url_name == 'calendar' %} aria-current="page"{% endif %}>Calendar</a>
        {% endif %}
        {% if firm_roles.administrator and not firm_roles.coach %}<a href="{% url 'firm_people' %}"{% if request.path|slice:":6" == "/firm/" %} aria-current="page"{% endif %}>Firm</a>{% endif %}
        {% if firm_roles.supervisor %}<a href="{% url 'supervise_home' %}"{% if request.path|slice:":11" == "/supervise/" %} aria-current="page"{% endif %}>Shared with you</a>{% endif %}
        {% if firm_roles.coach %}<a class="button button-small" href="{% url 'session_new' %}">New session</a>{% endif %}
      </nav>
      {% if firm_roles.coach and request.resolver_match.url_name != "search" %}<form class="site-search" method="get" action="{% url 'search' %}" role="search"><label class="visually-hidden" for="site-search">Search your notes</label><input type="search" dir="auto" id="site-search" name="q" placeholder="Search notes" maxlength="300"><button type="submit" class="button button-small button-secondary">Search</button></form>{% endif %}
      <details class="account-menu">
        <summary>Account</summary>
        <div class="account-menu-panel">
          <span class="account-email muted">Signed in as {{ user.email }}</span>
          {% if firm_roles.administrator and firm_roles.coach %}<a href="{% url 'firm_people' %}">Firm: people and reports</a>{% endif %}
          <a href="{% url 'account_security' %}">Security and sign-in</a>
          <a href="{% url 'audit_trail' %}">Security activity</a>
          {% if firm_roles.coach %}
          <a href="{% url 'retention' %}">How long you keep notes</a>
          <a href="{% url 'backup' %}">Backups and your master key</a>
          <a href="{% url 'journal_move' %}">Move your journal</a>
          <a href="{% url 'exports' %}">Exports and supervision packs</a>
          <a href="{% url 'shares' %}">Share with a supervisor</a>
          <a href="{% url 'reminders' %}">Reminders</a>
          {% endif %}
          <form method="post" action="{% url 'account_logout' %}">{% csrf_token %}<button type="submit" class="link-button">Sign out</button></form>
        </div>
      </details>
      </div>
      {% endif %}
"""  # noqa: E501 - the template's lines as they were
NEW = (
    "{% load site_menu %}      {% if user.is_authenticated %}\n"
    "      {% site_menu %}\n      {% endif %}\n"
)
ROLES = [("coach",), ("administrator",), ("administrator", "coach"), ("supervisor",)]
ROLES += [("coach", "supervisor"), ()]
ALL_ROLES = ("coach", "administrator", "supervisor")
PAGES = ["home", "coachee_list", "practice", "icf_log", "search", "insights", "firm_people"]
PAGES += ["supervise_home", "account_security", "calendar"]
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _rendered(text: str, user: User, path: str) -> str:
    request = RequestFactory().get(path)
    request.user = user
    request.resolver_match = resolve(path)
    return Template(text).render(RequestContext(request))


@pytest.mark.django_db
@pytest.mark.parametrize("roles", ROLES)
def test_the_menu_is_what_the_template_wrote(roles: tuple[str, ...]) -> None:
    user = make_coach("o'brien+<x>@example.com")
    Membership.objects.filter(user=user).update(**{r: r in roles for r in ALL_ROLES})
    current = 0
    for name in PAGES:
        path = reverse(name)
        expected = _rendered(MENU, user, path)
        drawn = _rendered(NEW, user, path)
        assert _TOKEN.sub("", drawn) == _TOKEN.sub("", expected), (roles, name)
        assert len(_TOKEN.findall(drawn)) == 1
        current += 'aria-current="page"' in drawn
    assert current >= (6 if "coach" in roles else len(roles))  # pages it marks as current
    assert "o&#x27;brien+&lt;x&gt;@example.com" in expected


@pytest.mark.django_db
def test_the_menus_sign_out_form_signs_out(alice: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    page = client.get(reverse("coachee_list")).content.decode()
    assert f'<a href="{reverse("coachee_list")}" aria-current="page">Coachees</a>' in page
    assert f"Signed in as {alice.email}</span>" in page
    logout = reverse("account_logout")
    token = re.search(rf'action="{logout}"><input type="hidden" {_TOKEN.pattern}', page)
    assert token is not None
    drawn = re.search(r'value="([^"]+)"', token.group(0))
    assert drawn is not None
    client.post(logout, {"csrfmiddlewaretoken": drawn.group(1)})
    assert client.get(reverse("home")).status_code == 302  # signed out: to the sign-in page
