"""Personal access tokens: made on the page, shown once, hashed, scoped, expiring, revocable."""

from __future__ import annotations

import hashlib
import logging
import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from debrief.accounts.models import User
from debrief.api.models import ApiToken
from debrief.audit.models import AuditEvent
from debrief.coachees.models import Coachee
from tests.api_helpers import Api, make_token
from tests.test_export import reauthenticate

pytestmark = pytest.mark.django_db

CANARY = "Canary-Aubergine-7731"
TOKEN_RE = re.compile(r'value="(dbr_[A-Za-z0-9_-]{43})"')


def _make_on_page(client: Client, **fields: str) -> str:
    data = {"name": "Hours spreadsheet", "scope": "read", "days": "30", **fields}
    response = client.post(reverse("api_tokens"), data)
    assert response.status_code == 200
    found = TOKEN_RE.search(response.content.decode())
    assert found, "the new token is shown on the page"
    return found.group(1)


def test_the_page_asks_for_the_password_before_making_a_token(alice_client: Client) -> None:
    response = alice_client.post(reverse("api_tokens"), {"name": "x", "scope": "read", "days": "7"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not ApiToken.objects.exists()


def test_a_token_made_on_the_page_is_shown_once_and_stored_hashed(
    alice_client: Client, alice: User
) -> None:
    reauthenticate(alice_client)
    token = _make_on_page(alice_client, scope="write", days="90")
    row = ApiToken.objects.get()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert (row.coach, row.name, row.scope) == (alice, "Hours spreadsheet", "write")
    assert token not in str(list(ApiToken.objects.values()))
    assert timedelta(days=89) < row.expires - timezone.now() <= timedelta(days=90)
    # Shown once: not on the page again, not in the session.
    page = alice_client.get(reverse("api_tokens")).content.decode()
    assert token not in page and "Hours spreadsheet" in page and row.prefix in page
    assert token not in str(dict(alice_client.session))
    assert AuditEvent.objects.filter(
        coach=alice, action=AuditEvent.Action.API_TOKEN_MADE, subject=str(row.code)
    ).exists()
    assert Api(token).get("/coachees").status_code == 200


def test_the_page_response_with_a_token_is_not_cached(alice_client: Client) -> None:
    reauthenticate(alice_client)
    data = {"name": "x", "scope": "read", "days": "7"}
    response = alice_client.post(reverse("api_tokens"), data)
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    "fields, error",
    [
        ({"name": ""}, "Give the token a name"),
        ({"scope": "admin"}, "Choose read only, or read and write"),
        ({"days": "3650"}, "Choose one of the listed periods"),
        ({"name": "a\x00b"}, "NUL"),
    ],
)
def test_the_page_refuses_a_bad_form(
    alice_client: Client, fields: dict[str, str], error: str
) -> None:
    reauthenticate(alice_client)
    data = {"name": "Script", "scope": "read", "days": "30", **fields}
    response = alice_client.post(reverse("api_tokens"), data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoking_on_the_page_closes_the_api(alice_client: Client, alice: User) -> None:
    token = make_token(alice, "read")
    row = ApiToken.objects.get()
    response = alice_client.post(reverse("api_token_revoke", args=[row.code]))
    assert response.status_code == 302
    assert Api(token).get("/coachees").status_code == 401
    assert AuditEvent.objects.filter(action=AuditEvent.Action.API_TOKEN_REVOKED).count() == 1
    refused = AuditEvent.objects.get(action=AuditEvent.Action.API_TOKEN_REFUSED)
    assert refused.detail == {"reason": "revoked"}
    assert "Revoked" in alice_client.get(reverse("api_tokens")).content.decode()


def test_an_expired_token_is_refused_and_noted(alice: User) -> None:
    token = make_token(alice, "write", days=7)
    assert Api(token).get("/coachees").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=7, seconds=1)):
        response = Api(token).get("/coachees")
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}
    refused = AuditEvent.objects.get(action=AuditEvent.Action.API_TOKEN_REFUSED)
    assert (refused.coach, refused.detail) == (alice, {"reason": "expired"})


def test_a_read_token_cannot_write(alice: User) -> None:
    api = Api(make_token(alice, "read"))
    assert api.get("/coachees").status_code == 200
    response = api.post("/coachees", {"name": "Priya Shah"})
    assert response.status_code == 403
    assert "read-only" in response.json()["detail"]
    assert not Coachee.objects.exists()


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer ", "Basic YWxpY2U6cHc=", "Bearer dbr_unknown", "Token dbr_x"],
)
def test_no_or_a_wrong_token_is_a_401(alice: User, header: str | None) -> None:
    client = Client()
    headers = {"Authorization": header} if header is not None else {}
    response = client.get("/api/v1/coachees", headers=headers)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")


def test_a_deactivated_coachs_token_is_refused(alice: User) -> None:
    token = make_token(alice)
    User.objects.filter(pk=alice.pk).update(is_active=False)
    assert Api(token).get("/coachees").status_code == 401


def test_wrong_tokens_are_rate_limited_per_address(alice: User) -> None:
    good = make_token(alice)
    wrong = Client(REMOTE_ADDR="203.0.113.9")
    statuses = [
        wrong.get("/api/v1/coachees", headers={"Authorization": f"Bearer dbr_guess{i}"}).status_code
        for i in range(22)
    ]
    assert statuses[:20] == [401] * 20
    assert statuses[20:] == [429, 429]
    # Even the right token is refused from that address until the window passes...
    limited = wrong.get("/api/v1/coachees", headers={"Authorization": f"Bearer {good}"})
    assert limited.status_code == 429
    # ...but not from another address, and a right token never counts against its own.
    assert Api(good).get("/coachees").status_code == 200


def test_tokens_and_coachee_content_never_reach_the_logs(
    alice: User, caplog: pytest.LogCaptureFixture, settings: object
) -> None:
    token = make_token(alice, "read")
    revoked = make_token(alice, "read")
    ApiToken.objects.filter(token_hash=hashlib.sha256(revoked.encode()).hexdigest()).update(
        revoked=timezone.now()
    )
    settings.DEBUG = True  # type: ignore[attr-defined]  # ninja logs odd headers in DEBUG
    with caplog.at_level(logging.DEBUG):
        writer = Api(make_token(alice, "write"))
        made = writer.post("/coachees", {"name": CANARY, "background": CANARY}).json()
        writer.post("/coachees", {"name": CANARY, "email": CANARY})  # refused: 422
        writer.patch(f"/coachees/{made['code']}", {"status": CANARY})  # off the schema: 422
        Api(token).get("/coachees")
        Api(token).post("/coachees", {"name": CANARY})  # read-only: 403
        Api(revoked).get("/coachees")
        Client().get("/api/v1/coachees", headers={"Authorization": f"Token {token}"})
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert logged, "nothing was logged: the test would prove nothing"
    assert token not in logged and revoked not in logged
    assert token[4:12] not in logged
    assert CANARY not in logged
