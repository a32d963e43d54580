"""Security headers on every response, and no caching of pages with coachee data."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from debrief.journal.models import CoachingSession


def test_pages_carry_a_strict_content_security_policy(client: Client, db: None) -> None:
    response = client.get(reverse("account_login"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_signed_in_pages_are_never_cached(alice_client: Client, session: CoachingSession) -> None:
    for url in (
        reverse("home"),
        reverse("reflection_edit", args=[session.code]),
        reverse("reflection_view", args=[session.code]),
    ):
        assert alice_client.get(url)["Cache-Control"] == "no-store", url


def test_session_cookie_is_http_only_and_same_site(alice_client: Client) -> None:
    from django.conf import settings

    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.CSRF_COOKIE_SAMESITE == "Lax"


def test_static_files_keep_their_caching(client: Client) -> None:
    response = client.get("/static/debrief/debrief.css")
    assert response.status_code == 200
    assert response.get("Cache-Control") != "no-store"


def test_sign_in_page_is_not_cached_either(client: Client, db: None) -> None:
    assert client.get(reverse("account_login"))["Cache-Control"] == "no-store"
