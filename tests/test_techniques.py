"""The technique vocabulary: built in, extended by the coach, offered in reflections."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from debrief.accounts.models import User
from debrief.journal.models import CoachingSession
from debrief.techniques.models import Technique


def _edit_page(client: Client, session: CoachingSession) -> str:
    return client.get(reverse("reflection_edit", args=[session.code])).content.decode()


def test_the_built_in_vocabulary_is_listed(alice_client: Client) -> None:
    html = alice_client.get(reverse("technique_list")).content.decode()
    for name in ("Powerful questions", "Active listening", "Reframing", "Scaling questions"):
        assert name in html
    assert Technique.objects.filter(coach=None).count() >= 15


def test_a_coach_adds_a_technique_and_ticks_it_in_a_reflection(
    alice_client: Client, alice: User, session: CoachingSession
) -> None:
    response = alice_client.post(
        reverse("technique_list"), {"name": "Clean language", "description": "Their words only."}
    )
    assert response.status_code == 302
    mine = Technique.objects.get(coach=alice)
    assert (mine.name, mine.slug, mine.description) == (
        "Clean language",
        "clean-language",
        "Their words only.",
    )
    assert "Clean language" in _edit_page(alice_client, session)


def test_a_technique_already_known_is_refused(alice_client: Client, alice: User) -> None:
    response = alice_client.post(reverse("technique_list"), {"name": "silence"})
    assert "“silence” is already in your vocabulary." in response.content.decode()
    assert not Technique.objects.filter(coach=alice).exists()
    response = alice_client.post(reverse("technique_list"), {"name": ""})
    assert "This field is required" in response.content.decode()


def test_another_coachs_technique_is_not_offered(
    alice_client: Client, bob: User, session: CoachingSession
) -> None:
    Technique.objects.create(coach=bob, slug="bobs-method", name="Bob's secret method")
    assert "Bob&#x27;s secret method" not in _edit_page(alice_client, session)
    html = alice_client.get(reverse("technique_list")).content.decode()
    assert "secret method" not in html


def test_a_retired_technique_is_no_longer_offered(
    alice_client: Client, alice: User, session: CoachingSession
) -> None:
    mine = Technique.objects.create(coach=alice, slug="walking", name="Walking coaching")
    alice_client.post(reverse("technique_retire", args=[mine.code]), {"retired": "1"}, follow=True)
    mine.refresh_from_db()
    assert mine.retired
    assert "Walking coaching" not in _edit_page(alice_client, session)
    alice_client.post(reverse("technique_retire", args=[mine.code]), {"retired": "0"}, follow=True)
    assert "Walking coaching" in _edit_page(alice_client, session)


def test_a_built_in_technique_cannot_be_retired(alice_client: Client) -> None:
    silence = Technique.objects.get(coach=None, slug="silence")
    response = alice_client.post(reverse("technique_retire", args=[silence.code]))
    assert response.status_code == 404
    silence.refresh_from_db()
    assert not silence.retired
