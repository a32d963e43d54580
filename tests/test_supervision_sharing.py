"""Supervision inside the firm (issue 13 point 2): a coach shares a pack or chosen reflections
with a named supervisor for a period, revokes it at any time; the supervisor sees exactly that
(pseudonymised by default) and nothing else; every view is in the coach's trail; a supervisor
records a session that counts in the coach's supervision hours.

The people are made by the pages: the first account signs up, invites a coach and supervisors
by mail, and they sign up through the links (``firm`` below).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from debrief.accounts.models import User
from debrief.audit.models import AuditEvent
from debrief.coachees.models import Coachee
from debrief.exchange.erasure import erase_coachee
from debrief.exports.models import SupervisionPack
from debrief.firm.models import Membership
from debrief.journal.models import Answer, CoachingSession
from debrief.practice.bodies import EMCC
from debrief.practice.gather import gather
from debrief.practice.models import SupervisionEntry
from debrief.supervision.models import Share
from tests.conftest import make_coachee, make_session, sealed_v3
from tests.test_access import MATRIX, _url, make_world

LINK = re.compile(r"https?://\S+(/firm/join/[\w-]+/)")
PASSWORD = "a quiet river at dawn"
NAME, OTHER = "Imogen Castellane", "Thaddeus Wrexford"
FORBIDDEN = ("imogen", "castellane", "thaddeus", "wrexford")
ZONE = ZoneInfo(settings.TIME_ZONE)
TODAY = date(2026, 12, 1)
BAD_INPUTS: list[str] = []  # counted in the note


def _sign_up(client: Client, email: str) -> None:
    response = client.post(
        reverse("account_signup"), {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302, response.content.decode()[:500]


def _invite_and_join(admin: Client, email: str, *roles: str) -> Client:
    mail.outbox.clear()
    response = admin.post(reverse("firm_invite"), {"email": email, "roles": list(roles)})
    assert response.status_code == 200
    found = LINK.search(str(mail.outbox[-1].body))
    assert found is not None
    client = Client()
    assert client.get(found.group(1)).status_code == 302
    _sign_up(client, email)
    return client


@dataclass
class Firm:
    admin: Client
    coach: Client  # cora: a coach
    supervisor: Client  # sid: a supervisor only
    other_supervisor: Client  # sue: a supervisor only
    other_coach: Client  # bob: a coach
    cora: User
    sid: User
    sue: User
    bob: User
    coachee: Coachee
    sessions: list[CoachingSession]


def _write(session: CoachingSession, text: str) -> None:
    Answer.objects.create(reflection=session.reflection, prompt_key="main_topics", text=text)


@pytest.fixture
def firm(db: None) -> Firm:
    admin = Client()
    _sign_up(admin, "owner@example.com")
    coach = _invite_and_join(admin, "cora@example.com", "coach")
    supervisor = _invite_and_join(admin, "sid@example.com", "supervisor")
    other_supervisor = _invite_and_join(admin, "sue@example.com", "supervisor")
    other_coach = _invite_and_join(admin, "bob@example.com", "coach")
    cora = User.objects.get(email="cora@example.com")
    coachee = make_coachee(cora, name=NAME, email="imogen@castellane.example")
    other = make_coachee(cora, name=OTHER)
    sessions = [make_session(coachee, n, date=date(2026, 11, n)) for n in (1, 2)]
    _write(sessions[0], f"{NAME} asked about the restructure; Imogen felt unheard.")
    _write(sessions[1], f"CASTELLANE again. {OTHER} came up: Thaddeus is her manager.")
    _write(make_session(other, 1, date=date(2026, 11, 3)), f"{OTHER} only, never shared")
    return Firm(
        admin=admin,
        coach=coach,
        supervisor=supervisor,
        other_supervisor=other_supervisor,
        other_coach=other_coach,
        cora=cora,
        sid=User.objects.get(email="sid@example.com"),
        sue=User.objects.get(email="sue@example.com"),
        bob=User.objects.get(email="bob@example.com"),
        coachee=coachee,
        sessions=sessions,
    )


def _member(user: User) -> str:
    return str(Membership.objects.get(user=user).code)


def _pack(firm: Firm) -> SupervisionPack:
    before = set(SupervisionPack.objects.values_list("pk", flat=True))
    response = firm.coach.post(reverse("supervision_packs"), {"coachee": str(firm.coachee.code)})
    assert response.status_code == 302
    return SupervisionPack.objects.exclude(pk__in=before).get()


def _share_form(firm: Firm, **extra: Any) -> dict[str, Any]:
    today = timezone.localdate()
    data: dict[str, Any] = {
        "supervisor": _member(firm.sid),
        "what": "reflections",
        "sessions": [str(s.code) for s in firm.sessions],
        "starts": today.isoformat(),
        "ends": (today + timedelta(days=14)).isoformat(),
    }
    data.update(extra)
    return data


def _share(firm: Firm, **extra: Any) -> Share:
    before = set(Share.objects.values_list("pk", flat=True))
    response = firm.coach.post(reverse("shares"), _share_form(firm, **extra))
    assert response.status_code == 302, response.content.decode()[:2000]
    return Share.objects.exclude(pk__in=before).get()


def _read(client: Client, share: Share) -> Any:
    return client.get(reverse("supervise_share", args=[share.code]))


def _no_names(body: str) -> None:
    folded = body.casefold()
    for word in FORBIDDEN:
        assert word not in folded, word


# --- the whole round, through the pages ---------------------------------------------------------


def test_share_a_pack_view_it_record_a_session_and_revoke(firm: Firm) -> None:
    pack = _pack(firm)
    share = _share(firm, what="pack", pack=str(pack.code), sessions=[])
    assert share.pack == pack and share.supervisor == firm.sid
    assert AuditEvent.objects.filter(coach=firm.cora, action="share_made").count() == 1

    listed = firm.supervisor.get(reverse("supervise_home"))
    assert listed.status_code == 200
    assert reverse("supervise_share", args=[share.code]) in listed.content.decode()
    _no_names(listed.content.decode())

    page = _read(firm.supervisor, share)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Client A" in body and "asked about the restructure" in body
    assert "Client B" in body  # the other coachee, named in a shared text, is hidden too
    assert "never shared" not in body
    _no_names(body)

    views = AuditEvent.objects.filter(coach=firm.cora, action="share_viewed")
    assert views.count() == 1
    event = views.get()
    assert event.subject == str(share.code)
    assert event.detail == {"supervisor": firm.sid.pk, "sessions": 2}
    shares_page = firm.coach.get(reverse("shares")).content.decode()
    assert "Viewed 1 time," in shares_page

    recorded = firm.supervisor.post(
        reverse("supervise_record", args=[share.code]),
        {
            "date": "2026-11-20",
            "hours": "1.5",
            "mode": "individual",
            "themes": "Contracting with the sponsor; Client A",
            "sign_off": "on",
        },
    )
    assert recorded.status_code == 302
    entry = SupervisionEntry.objects.for_coach(firm.cora).get()
    assert entry.recorded_by == firm.sid and entry.signed_off_at is not None
    assert entry.hours == Decimal("1.5") and entry.supervisor == "sid@example.com"
    assert set(entry.sessions.all()) == set(firm.sessions)

    revoked = firm.coach.post(reverse("share_revoke", args=[share.code]))
    assert revoked.status_code == 302
    assert _read(firm.supervisor, share).status_code == 404
    refused = AuditEvent.objects.filter(coach=firm.sid, action="access_denied").get()
    assert refused.subject == str(share.code) and refused.detail["kind"] == "share"
    assert reverse("supervise_share", args=[share.code]) not in (
        firm.supervisor.get(reverse("supervise_home")).content.decode()
    )
    assert "Revoked" in firm.coach.get(reverse("shares")).content.decode()
    trail = firm.coach.get(reverse("audit_trail")).content.decode()
    for label in (
        "Shared with a supervisor",
        "viewed by the supervisor",
        "Share with a supervisor revoked",
    ):
        assert label in trail


def test_a_supervisor_only_account_lands_on_what_is_shared(firm: Firm) -> None:
    response = firm.supervisor.get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("supervise_home")
    page = response.content.decode()
    assert "Shared with you" in page and 'href="/coachees/"' not in page


# --- what the supervisor sees ---------------------------------------------------------------


def test_reflections_are_pseudonymised_unless_the_coach_shows_names(firm: Firm) -> None:
    hidden = _share(firm)
    body = _read(firm.supervisor, hidden).content.decode()
    assert "Client A" in body and "restructure" in body
    _no_names(body)
    shown = _share(firm, show_names="on")
    body = _read(firm.supervisor, shown).content.decode()
    assert NAME in body


def test_a_pack_is_pseudonymised_even_if_show_names_is_posted(firm: Firm) -> None:
    pack = _pack(firm)
    share = _share(firm, what="pack", pack=str(pack.code), show_names="on")
    assert not share.show_names
    _no_names(_read(firm.supervisor, share).content.decode())


def test_only_the_chosen_reflections_are_shown(firm: Firm) -> None:
    share = _share(firm, sessions=[str(firm.sessions[0].code)])
    body = _read(firm.supervisor, share).content.decode()
    assert "restructure" in body and "again" not in body


def test_the_coach_redactions_of_a_pack_are_applied(firm: Firm) -> None:
    pack = _pack(firm)
    firm.coach.post(reverse("supervision_pack", args=[pack.code]), {"more": "restructure"})
    share = _share(firm, what="pack", pack=str(pack.code))
    body = _read(firm.supervisor, share).content.decode()
    assert "restructure" not in body and "[redacted]" in body


# --- nobody else, nothing else ---------------------------------------------------------------


def test_another_supervisor_a_coach_and_an_outsider_get_404(firm: Firm) -> None:
    share = _share(firm)
    urls = [
        reverse("supervise_share", args=[share.code]),
        reverse("supervise_record", args=[share.code]),
    ]
    for client in (firm.other_supervisor, firm.other_coach, firm.admin):
        for url in urls:
            response = client.get(url)
            assert response.status_code == 404
            _no_names(response.content.decode())
    assert firm.other_coach.get(reverse("supervise_home")).status_code == 404
    # Codes of other things are not share codes.
    pack = _pack(firm)
    for code in (pack.code, firm.sessions[0].code, firm.coachee.code, uuid4()):
        assert firm.supervisor.get(reverse("supervise_share", args=[code])).status_code == 404
    assert firm.supervisor.get("/supervise/not-a-code/").status_code == 404


def test_the_supervisor_gets_404_from_every_journal_page_of_the_coach(firm: Firm) -> None:
    world = make_world(firm.cora, firm.bob)
    _share(firm)
    shown = 0
    for name, route in sorted(MATRIX.items()):
        if name.startswith(("firm_", "supervise_")) or name in {
            "account_security",
            "audit_trail",
            "mfa_view_recovery_codes",
            "mfa_download_recovery_codes",
        }:
            continue
        url = _url(name, world)
        for method in ("get", "post"):
            if getattr(route, method) is None:
                continue
            response = getattr(firm.supervisor, method)(url, dict(route.post_data))
            body = response.content.decode(errors="replace")
            assert "Canary-Aubergine" not in body, name
            _no_names(body)
            if name == "home":
                assert response.status_code == 302
            else:
                assert response.status_code == 404, (name, method, response.status_code)
            shown += 1
    assert shown > 100


def test_a_coach_who_is_also_a_supervisor_sees_only_what_is_shared_with_them(firm: Firm) -> None:
    Membership.objects.filter(user=firm.bob).update(supervisor=True)
    share = _share(firm, supervisor=_member(firm.bob))
    assert _read(firm.other_coach, share).status_code == 200
    assert (
        firm.other_coach.get(reverse("coachee_detail", args=[firm.coachee.code])).status_code == 404
    )
    assert _read(firm.supervisor, share).status_code == 404


def test_another_coach_cannot_revoke_or_list_the_share(firm: Firm) -> None:
    share = _share(firm)
    assert firm.other_coach.post(reverse("share_revoke", args=[share.code])).status_code == 404
    assert Share.objects.get(pk=share.pk).revoked_at is None
    assert str(share.code) not in firm.other_coach.get(reverse("shares")).content.decode()
    refused = AuditEvent.objects.filter(coach=firm.bob, action="access_denied").get()
    assert refused.subject == str(share.code)


# --- the period ---------------------------------------------------------------------------------


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE)


def _as(user: User) -> Client:
    """A fresh sign-in (a journey of days would outlast the idle expiry of the fixture's)."""
    client = Client()
    client.force_login(user)
    return client


def test_the_period_includes_both_days_and_not_a_minute_more(firm: Firm) -> None:
    starts, ends = date(2026, 12, 10), date(2026, 12, 12)
    with time_machine.travel(_at(TODAY, 9), tick=False):
        share = _share(firm, starts=starts.isoformat(), ends=ends.isoformat())
        assert _read(_as(firm.sid), share).status_code == 404  # not started
        assert "Not started yet" in _as(firm.cora).get(reverse("shares")).content.decode()
    for moment, status in (
        (_at(starts - timedelta(days=1), 23, 59), 404),
        (_at(starts, 0, 0), 200),
        (_at(ends, 23, 59), 200),
        (_at(ends + timedelta(days=1), 0, 0), 404),
    ):
        with time_machine.travel(moment, tick=False):
            reader = _as(firm.sid)
            assert _read(reader, share).status_code == status, moment
            listed = reader.get(reverse("supervise_home")).content.decode()
            assert (str(share.code) in listed) == (status == 200), moment
    with time_machine.travel(_at(ends + timedelta(days=1), 9), tick=False):
        page = _as(firm.cora).get(reverse("shares")).content.decode()
        assert "Ended" in page
        assert reverse("share_revoke", args=[share.code]) not in page


def test_a_revoke_is_seen_by_the_very_next_request(firm: Firm) -> None:
    share = _share(firm)
    assert _read(firm.supervisor, share).status_code == 200
    # Another process revoking is the same database row: nothing is kept in memory.
    Share.objects.filter(pk=share.pk).update(revoked_at=timezone.now())
    assert _read(firm.supervisor, share).status_code == 404


def test_revoking_twice_says_so_and_keeps_the_first_time(firm: Firm) -> None:
    share = _share(firm)
    firm.coach.post(reverse("share_revoke", args=[share.code]))
    first = Share.objects.get(pk=share.pk).revoked_at
    response = firm.coach.post(reverse("share_revoke", args=[share.code]), follow=True)
    assert "already revoked" in response.content.decode()
    assert Share.objects.get(pk=share.pk).revoked_at == first
    assert AuditEvent.objects.filter(action="share_revoked").count() == 1


# --- people leaving -----------------------------------------------------------------------------


def test_deactivating_the_coach_or_removing_a_role_ends_access(firm: Firm) -> None:
    share = _share(firm)
    assert _read(firm.supervisor, share).status_code == 200
    User.objects.filter(pk=firm.cora.pk).update(is_active=False)
    assert _read(firm.supervisor, share).status_code == 404
    User.objects.filter(pk=firm.cora.pk).update(is_active=True)
    Membership.objects.filter(user=firm.cora).update(coach=False)
    assert _read(firm.supervisor, share).status_code == 404
    Membership.objects.filter(user=firm.cora).update(coach=True)
    assert _read(firm.supervisor, share).status_code == 200
    Membership.objects.filter(user=firm.sid).update(supervisor=False)
    assert _read(firm.supervisor, share).status_code == 404
    assert firm.supervisor.get(reverse("supervise_home")).status_code == 404


def test_a_deactivated_supervisor_is_not_offered_and_is_signed_out(firm: Firm) -> None:
    response = firm.admin.post(
        reverse("firm_person_deactivate", args=[Membership.objects.get(user=firm.sid).code])
    )
    assert response.status_code == 302
    page = firm.coach.get(reverse("shares")).content.decode()
    assert "sid@example.com" not in page and "sue@example.com" in page
    assert firm.supervisor.get(reverse("supervise_home")).status_code == 302  # to sign in


def test_erasing_a_coachee_shrinks_and_then_closes_the_share(firm: Firm) -> None:
    third = CoachingSession.objects.for_coach(firm.cora).exclude(coachee=firm.coachee).get()
    other = third.coachee
    share = _share(firm, sessions=[str(s.code) for s in [*firm.sessions, third]])
    pack = _pack(firm)
    pack_share = _share(firm, what="pack", pack=str(pack.code))
    erase_coachee(firm.coachee)
    assert list(Share.objects.get(pk=share.pk).sessions.all()) == [third]
    body = _read(firm.supervisor, share).content.decode()
    assert "never shared" in body and "restructure" not in body
    # The pack held only the erased coachee's sessions: nothing left to see.
    assert SupervisionPack.objects.get(pk=pack.pk).sessions.count() == 0
    assert _read(firm.supervisor, pack_share).status_code == 404
    record_url = reverse("supervise_record", args=[pack_share.code])
    assert firm.supervisor.get(record_url).status_code == 404
    listed = firm.supervisor.get(reverse("supervise_home")).content.decode()
    assert str(pack_share.code) not in listed and str(share.code) in listed
    erase_coachee(other)
    assert _read(firm.supervisor, share).status_code == 404


def test_the_erase_page_says_which_packs_and_shares_lose_the_coachee(firm: Firm) -> None:
    url = reverse("coachee_erase", args=[firm.coachee.code])
    firm.coach.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    body = firm.coach.get(url).content.decode()
    assert "Their sessions in" not in body
    _share(firm)
    pack = _pack(firm)
    _share(firm, what="pack", pack=str(pack.code))
    revoked = _share(firm)
    firm.coach.post(reverse("share_revoke", args=[revoked.code]))
    body = firm.coach.get(url).content.decode()
    assert "Their sessions in 1 of your supervision packs" not in body  # "pack", not "packs"
    assert "Their sessions in 1 of your supervision pack:" in body
    # The revoked share is over: two open shares hold them.
    assert "Their sessions in 2 shares with a supervisor" in body
    # Another coachee's page counts only what holds that coachee.
    third = CoachingSession.objects.for_coach(firm.cora).exclude(coachee=firm.coachee).get()
    other_url = reverse("coachee_erase", args=[third.coachee.code])
    assert "Their sessions in" not in firm.coach.get(other_url).content.decode()


def test_deleting_the_pack_ends_its_share(firm: Firm) -> None:
    pack = _pack(firm)
    share = _share(firm, what="pack", pack=str(pack.code))
    firm.coach.post(reverse("supervision_pack_delete", args=[pack.code]))
    assert not Share.objects.filter(pk=share.pk).exists()
    assert _read(firm.supervisor, share).status_code == 404


# --- the trail ----------------------------------------------------------------------------------


def test_every_view_is_in_the_coachs_trail_with_ids_and_counts_only(
    firm: Firm, caplog: pytest.LogCaptureFixture
) -> None:
    share = _share(firm)
    with caplog.at_level(logging.DEBUG):
        for _ in range(3):
            assert _read(firm.supervisor, share).status_code == 200
    events = AuditEvent.objects.filter(coach=firm.cora, action="share_viewed")
    assert events.count() == 3
    assert not AuditEvent.objects.filter(coach=firm.sid, action="share_viewed").exists()
    page = firm.coach.get(reverse("shares")).content.decode()
    assert "Viewed 3 times, last" in page
    every = list(AuditEvent.objects.values_list("subject", "detail"))
    _no_names(repr(every))
    _no_names(caplog.text)
    assert "restructure" not in repr(every) + caplog.text


# --- the session a supervisor records -----------------------------------------------------------


def _record(firm: Firm, share: Share, **extra: str) -> Any:
    data = {"date": "2026-10-14", "hours": "2", "mode": "individual", "themes": "Boundaries"}
    data.update(extra)
    return firm.supervisor.post(reverse("supervise_record", args=[share.code]), data)


def test_a_recorded_session_counts_in_the_coachs_supervision_hours(firm: Firm) -> None:
    share = _share(firm)
    before = gather(firm.cora, TODAY)
    assert EMCC.quarters_with_supervision(before) == 0
    assert _record(firm, share, hours="1.25", date="2026-09-14").status_code == 302
    after = gather(firm.cora, TODAY)
    assert sum(e.hours for e in after.supervision) == Decimal("1.25")
    assert EMCC.quarters_with_supervision(after) == 1  # July to September, now with an hour
    practice = firm.coach.get(reverse("practice")).content.decode()
    assert "recorded by sid@example.com" in practice
    assert "signed off" not in practice.split("Supervision</h2>")[1].split("</section>")[0]


def test_the_coach_cannot_change_what_the_supervisor_recorded(firm: Firm) -> None:
    share = _share(firm)
    _record(firm, share, sign_off="on")
    entry = SupervisionEntry.objects.for_coach(firm.cora).get()
    url = reverse("entry_edit_supervision", args=[entry.code])
    page = firm.coach.get(url).content.decode()
    assert "Recorded by your supervisor, sid@example.com, and signed off" in page
    assert "Boundaries" in page
    response = firm.coach.post(
        url, {"date": "2020-01-01", "hours": "99", "supervisor": "Me", "learning": "Hold the frame"}
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.date, entry.hours, entry.supervisor) == (
        date(2026, 10, 14),
        Decimal(2),
        "sid@example.com",
    )
    assert entry.learning == "Hold the frame" and entry.signed_off_at is not None


def test_the_themes_are_sealed(firm: Firm) -> None:
    share = _share(firm)
    _record(firm, share, themes="Parallel process with Client A")
    with connection.cursor() as cursor:
        cursor.execute("SELECT themes FROM practice_supervisionentry")
        (raw,) = cursor.fetchone()
    assert b"Parallel" not in bytes(raw) and sealed_v3(raw)


def test_signing_off_later_once(firm: Firm) -> None:
    share = _share(firm)
    _record(firm, share)
    entry = SupervisionEntry.objects.get()
    assert entry.signed_off_at is None
    url = reverse("supervise_sign_off", args=[entry.code])
    assert firm.other_supervisor.post(url).status_code == 404
    assert firm.coach.post(url).status_code == 404
    assert firm.supervisor.post(url).status_code == 302
    again = firm.supervisor.post(url, follow=True).content.decode()
    assert "already signed off" in again
    assert AuditEvent.objects.filter(coach=firm.cora, action="supervision_signed_off").count() == 1
    assert SupervisionEntry.objects.get().signed_off_at is not None


def test_recording_needs_an_open_share(firm: Firm) -> None:
    share = _share(firm)
    firm.coach.post(reverse("share_revoke", args=[share.code]))
    assert _record(firm, share).status_code == 404
    assert not SupervisionEntry.objects.exists()


# --- bad input ----------------------------------------------------------------------------------

SHARE_BAD: dict[str, tuple[dict[str, Any], str]] = {
    "dates reversed": ({"starts": "in-20-days", "ends": "in-10-days"}, "before the start"),
    "end in the past": ({"starts": "30-days-ago", "ends": "yesterday"}, "already over"),
    "longer than a year": ({"ends": "in-400-days"}, "at most a year"),
    "not a date": ({"ends": "soon"}, "Enter a real date"),
    "no end": ({"ends": ""}, "Enter the date"),
    "no supervisor": ({"supervisor": ""}, "Choose the supervisor"),
    "a coach, not a supervisor": ({"supervisor": "bob"}, "Choose one of the firm"),
    "the coach themself": ({"supervisor": "cora"}, "Choose one of the firm"),
    "a made-up member": ({"supervisor": str(uuid4())}, "Choose one of the firm"),
    "another coach's pack": ({"what": "pack", "pack": "bobs-pack"}, "your own packs"),
    "no pack chosen": ({"what": "pack", "pack": ""}, "Choose the pack"),
    "another coach's session": ({"sessions": ["bobs-session"]}, "your own reflections"),
    "no reflection ticked": ({"sessions": []}, "at least one reflection"),
    "neither pack nor reflections": ({"what": "everything"}, "Choose a pack or reflections"),
}


@pytest.mark.parametrize("case", sorted(SHARE_BAD))
def test_a_bad_share_is_refused_with_a_reason(case: str, firm: Firm) -> None:
    BAD_INPUTS.append(f"share: {case}")
    changes, message = SHARE_BAD[case]
    bobs = make_coachee(firm.bob, name="Bob's coachee")
    bobs_session = make_session(bobs)
    bobs_pack = SupervisionPack.objects.create(coach=firm.bob, letters={})
    today = timezone.localdate()
    stand_ins = {
        "in-20-days": (today + timedelta(days=20)).isoformat(),
        "in-10-days": (today + timedelta(days=10)).isoformat(),
        "30-days-ago": (today - timedelta(days=30)).isoformat(),
        "yesterday": (today - timedelta(days=1)).isoformat(),
        "in-400-days": (today + timedelta(days=400)).isoformat(),
        "bob": _member(firm.bob),
        "cora": _member(firm.cora),
        "bobs-pack": str(bobs_pack.code),
        "bobs-session": str(bobs_session.code),
    }
    if case == "the coach themself":  # even holding the supervisor role too
        Membership.objects.filter(user=firm.cora).update(supervisor=True)
    data = _share_form(firm)
    for key, value in changes.items():
        if isinstance(value, list):
            value = [stand_ins.get(v, v) for v in value]
        data[key] = stand_ins.get(value, value) if isinstance(value, str) else value
    response = firm.coach.post(reverse("shares"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Share.objects.exists()


def test_an_inactive_supervisor_is_refused(firm: Firm) -> None:
    BAD_INPUTS.append("share: a deactivated supervisor")
    User.objects.filter(pk=firm.sid.pk).update(is_active=False)
    response = firm.coach.post(reverse("shares"), _share_form(firm))
    assert response.status_code == 400 and not Share.objects.exists()


RECORD_BAD: dict[str, tuple[dict[str, str], str]] = {
    "a future date": ({"date": "tomorrow"}, "in the future"),
    "not a date": ({"date": "last week"}, "Enter a real date"),
    "no hours": ({"hours": ""}, "Enter the hours"),
    "zero hours": ({"hours": "0"}, "more than 0 hours"),
    "words for hours": ({"hours": "two"}, "as a number"),
    "too many hours": ({"hours": "5000"}, "more hours than one entry"),
    "no themes": ({"themes": "  "}, "Write the themes"),
    "a NUL in the themes": ({"themes": "a\x00b"}, "invisible NUL"),
    "an unknown mode": ({"mode": "telepathy"}, "one to one or group"),
}


@pytest.mark.parametrize("case", sorted(RECORD_BAD))
def test_a_bad_session_record_is_refused_and_nothing_saved(case: str, firm: Firm) -> None:
    BAD_INPUTS.append(f"record: {case}")
    share = _share(firm)
    changes, message = RECORD_BAD[case]
    if changes.get("date") == "tomorrow":
        changes = {"date": (timezone.localdate() + timedelta(days=1)).isoformat()}
    response = _record(firm, share, **changes)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert not SupervisionEntry.objects.exists()
