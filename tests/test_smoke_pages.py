from __future__ import annotations

from django.test import Client
from django.urls import reverse

from debrief.journal.models import CoachingSession


def test_home_lists_a_session_waiting_for_its_reflection(
    alice_client: Client, session: CoachingSession
) -> None:
    response = alice_client.get(reverse("home"))
    assert response.status_code == 200
    assert "Priya Shah" in response.content.decode()
    assert reverse("reflection_edit", args=[session.code]) in response.content.decode()


def test_reflection_edit_page_shows_every_section(
    alice_client: Client, session: CoachingSession
) -> None:
    html = alice_client.get(reverse("reflection_edit", args=[session.code])).content.decode()
    for title in (
        "Session information",
        "Pre-session reflection",
        "Session overview",
        "Coach’s performance",
        "Reflection and learning",
        "Action items and next steps",
        "Additional notes",
    ):
        assert title in html


def test_stylesheet_and_scripts_are_served(client: Client) -> None:
    for path in ("debrief/debrief.css", "debrief/autosave.js", "django_htmx/htmx-2.min.js"):
        response = client.get(f"/static/{path}")
        assert response.status_code == 200, path
