"""Two-factor authentication: an authenticator app (TOTP) and single-use recovery codes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import struct
import time
from io import StringIO

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.db import connection
from django.test import Client, TestCase
from django.urls import reverse

from debrief.accounts.models import User
from debrief.accounts.secrets import open_secret, seal_secret
from debrief.audit.models import AuditEvent
from debrief.lib.sealing import SealError
from tests.conftest import PASSWORD

KEY_ON_PAGE = re.compile(r'<code class="totp-key" id="totp-key">([A-Z2-7 ]+)</code>')
CODE_ON_PAGE = re.compile(r"<li><code>(\d{8})</code></li>")


def totp_code(secret: str, at: float | None = None) -> str:
    """RFC 6238 with allauth's defaults (SHA-1, 30 seconds, 6 digits), computed independently."""
    counter = int(time.time() if at is None else at) // 30
    digest = hmac.new(
        base64.b32decode(secret.replace(" ", "")), struct.pack(">Q", counter), hashlib.sha1
    ).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def sign_in(client: Client, email: str = "alice@example.com", password: str = PASSWORD) -> str:
    response = client.post(reverse("account_login"), {"login": email, "password": password})
    assert response.status_code == 302, response.content.decode()[:2000]
    return str(response["Location"])


def confirm_password(client: Client) -> None:
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302


def enrol(client: Client) -> str:
    """Set up the authenticator app as a coach would; returns the key shown on the page."""
    confirm_password(client)
    page = client.get(reverse("mfa_activate_totp")).content.decode()
    secret = KEY_ON_PAGE.search(page).group(1).replace(" ", "")  # type: ignore[union-attr]
    # allauth announces the new authenticator when the transaction commits; tests never commit.
    # The clock stands still between computing the code and checking it: on a loaded machine the
    # 30-second step could otherwise turn over in between and the right code be refused.
    with (
        time_machine.travel(time.time(), tick=False),
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    return secret


def recovery_codes(client: Client) -> list[str]:
    return CODE_ON_PAGE.findall(client.get(reverse("mfa_view_recovery_codes")).content.decode())


def next_period() -> time_machine.travel:
    # A code is accepted once per 30-second period: the next sign-in needs the next period.
    return time_machine.travel(time.time() + 31, tick=False)


def test_setting_up_asks_for_the_password_first(alice_client: Client) -> None:
    response = alice_client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    page = alice_client.get(response["Location"]).content.decode()
    assert "Confirm it is you" in page
    assert 'name="password"' in page
    assert 'class="topbar"' in page  # our layout


def test_the_set_up_page_shows_a_qr_code_and_the_key_to_type(alice_client: Client) -> None:
    confirm_password(alice_client)
    page = alice_client.get(reverse("mfa_activate_totp")).content.decode()
    assert "Set up two-factor authentication" in page
    assert 'src="data:image/svg+xml;base64,' in page
    assert KEY_ON_PAGE.search(page)


def test_a_wrong_code_does_not_turn_it_on(alice_client: Client, alice: User) -> None:
    confirm_password(alice_client)
    alice_client.get(reverse("mfa_activate_totp"))
    response = alice_client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert response.status_code == 200
    assert "That code did not work" in response.content.decode()
    assert not Authenticator.objects.filter(user=alice).exists()


def test_a_coach_turns_it_on_and_gets_ten_recovery_codes(alice_client: Client) -> None:
    enrol(alice_client)
    page = alice_client.get(reverse("mfa_view_recovery_codes")).content.decode()
    assert "Keep them somewhere safe outside Debrief" in page
    assert len(CODE_ON_PAGE.findall(page)) == 10
    security = alice_client.get(reverse("account_security")).content.decode()
    assert "Signing in asks for your password and then a 6-digit code" in security
    assert "10 of 10 still unused" in security


def test_the_totp_secret_is_not_stored_in_clear(alice_client: Client, alice: User) -> None:
    secret = enrol(alice_client)
    with connection.cursor() as cursor:
        cursor.execute("SELECT type, data FROM mfa_authenticator WHERE user_id = %s", [alice.pk])
        rows = dict(cursor.fetchall())
    raw_totp, raw_codes = str(rows["totp"]), str(rows["recovery_codes"])
    assert secret not in raw_totp
    assert '"secret": "v2.' in raw_totp
    assert '"seed": "v2.' in raw_codes
    totp = Authenticator.objects.get(user=alice, type="totp")
    assert open_secret(totp.data["secret"]) == secret


def test_a_secret_that_does_not_open_raises_instead_of_passing_through() -> None:
    sealed = seal_secret("JBSWY3DPEHPK3PXP")
    tampered = sealed[:-4] + ("AAAA" if not sealed.endswith("AAAA") else "BBBB")
    with pytest.raises(SealError):
        open_secret(tampered)
    with pytest.raises(SealError):
        open_secret("JBSWY3DPEHPK3PXP")  # a plain secret is refused, not used
    with pytest.raises(SealError):
        open_secret(sealed.replace(sealed.split(".")[1], "0" * 32))  # another key id


def test_signing_in_then_asks_for_the_code(alice: User) -> None:
    client = Client()
    client.force_login(alice)
    secret = enrol(client)
    client.logout()
    with next_period():
        assert sign_in(client) == reverse("mfa_authenticate")
        page = client.get(reverse("mfa_authenticate")).content.decode()
        assert "Enter your code" in page
        assert client.get(reverse("home")).status_code == 302  # not signed in yet
        wrong = client.post(reverse("mfa_authenticate"), {"code": "123456"})
        assert "That code did not work" in wrong.content.decode()
        right = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
        assert right.status_code == 302
        assert client.get(reverse("home")).status_code == 200


def test_a_code_cannot_be_used_twice(alice: User) -> None:
    client = Client()
    client.force_login(alice)
    secret = enrol(client)
    client.logout()
    with next_period():
        code = totp_code(secret)
        sign_in(client)
        client.post(reverse("mfa_authenticate"), {"code": code})
        client.logout()
        sign_in(client)
        again = client.post(reverse("mfa_authenticate"), {"code": code})
        assert again.status_code == 200
        assert "That code did not work" in again.content.decode()


def test_a_recovery_code_works_once(alice: User) -> None:
    client = Client()
    client.force_login(alice)
    enrol(client)
    code = recovery_codes(client)[0]
    client.logout()
    sign_in(client)
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    assert client.get(reverse("home")).status_code == 200
    confirm_password(client)
    remaining = recovery_codes(client)
    assert code not in remaining
    assert len(remaining) == 9
    client.logout()
    sign_in(client)
    again = client.post(reverse("mfa_authenticate"), {"code": code})
    assert again.status_code == 200
    assert "That code did not work" in again.content.decode()


def test_turning_it_off_leaves_the_password_alone(alice_client: Client, alice: User) -> None:
    enrol(alice_client)
    page = alice_client.get(reverse("mfa_deactivate_totp")).content.decode()
    assert "Turn off two-factor authentication?" in page
    response = alice_client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=alice).exists()
    alice_client.logout()
    assert sign_in(alice_client) == reverse("home")


def test_a_new_set_of_recovery_codes_replaces_the_old(alice_client: Client) -> None:
    enrol(alice_client)
    old = recovery_codes(alice_client)
    page = alice_client.get(reverse("mfa_generate_recovery_codes")).content.decode()
    assert "Make a new set of recovery codes?" in page
    assert "The 10 codes you have now will stop working" in page
    with TestCase.captureOnCommitCallbacks(execute=True):
        alice_client.post(reverse("mfa_generate_recovery_codes"))
    new = recovery_codes(alice_client)
    assert len(new) == 10
    assert not set(old) & set(new)


def test_recovery_codes_download_as_text(alice_client: Client) -> None:
    enrol(alice_client)
    codes = recovery_codes(alice_client)
    response = alice_client.get(reverse("mfa_download_recovery_codes"))
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode().split() == codes


def test_the_two_factor_page_is_in_our_layout(alice_client: Client) -> None:
    page = alice_client.get(reverse("mfa_index")).content.decode()
    assert 'class="topbar"' in page
    assert "Set up two-factor authentication" in page


def test_the_command_line_turns_it_off_for_a_coach_who_lost_everything(
    alice_client: Client, alice: User
) -> None:
    enrol(alice_client)
    out = StringIO()
    call_command("turn_off_two_factor", "Alice@Example.com", stdout=out)
    assert "Two-factor authentication is off for alice@example.com" in out.getvalue()
    assert not Authenticator.objects.filter(user=alice).exists()
    event = AuditEvent.objects.for_coach(alice).filter(action="mfa_removed").last()
    assert event is not None
    assert event.detail == {"reason": "turned off from the command line"}


def test_the_command_line_names_an_unknown_address(db: None) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=r"No coach signs in with nobody@example\.com"):
        call_command("turn_off_two_factor", "nobody@example.com")
