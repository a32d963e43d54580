"""The access matrix: every route, for an anonymous visitor, the owner and another coach.

A new route without an entry here fails `test_every_route_is_in_the_matrix`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import uuid4

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from debrief.accounts.models import User
from debrief.api import tokens
from debrief.api.models import ApiToken
from debrief.coachees.handover import offer
from debrief.diary.models import CalendarEvent, CalendarSource
from debrief.exports.models import DossierJob
from debrief.exports.pack import make_pack
from debrief.firm import invitations
from debrief.firm.models import Invitation, Membership
from debrief.followup.models import ActionItem, Goal
from debrief.icflog.models import OpeningBalance
from debrief.journal.models import CoachingSession
from debrief.practice import certificates
from debrief.practice.models import ClientFeedback, CPDEntry, MentoringEntry, SupervisionEntry
from debrief.prompts.library import copy_template
from debrief.prompts.models import ReflectionTemplate, brief_template
from debrief.supervision.sharing import make_share
from debrief.techniques.models import Technique
from tests.conftest import make_coach, make_coachee, make_session

CANARY = "Canary-Aubergine-7731"


@dataclass(frozen=True)
class Route:
    target: str | None  # which object the URL names: "session", "goal", "template"... or None
    get: int | None  # owner's status for GET, None if GET is not allowed
    post: int | None  # owner's status for POST, None if POST is not allowed
    post_data: tuple[tuple[str, str], ...] = ()
    args: tuple[str, ...] = ()  # fixed URL arguments of a route without a target


MATRIX: dict[str, Route] = {
    "home": Route(None, get=200, post=None),
    "coachee_list": Route(None, get=200, post=None),
    "coachee_new": Route(None, get=200, post=200),  # empty form: re-rendered with errors
    "coachee_detail": Route("coachee", get=200, post=None),
    "coachee_edit": Route("coachee", get=200, post=200),
    "coachee_status": Route("coachee", get=None, post=302, post_data=(("status", "paused"),)),
    # Hand-over: the form (empty: shown again with errors), the list, and one offer (alice's
    # other coachee, offered to dave: alice may cancel it).
    "coachee_handover": Route("coachee", get=200, post=200),
    "handovers": Route(None, get=200, post=None),
    "handover_detail": Route("handover", get=200, post=302, post_data=(("action", "cancel"),)),
    "session_new": Route(None, get=200, post=200),
    "session_next_number": Route(None, get=404, post=None),  # needs ?coachee=
    "session_edit": Route("session", get=200, post=200),
    "session_delete": Route("session", get=200, post=302),
    "reflection_edit": Route("session", get=200, post=302),
    "reflection_view": Route("session", get=200, post=None),
    "session_prepare": Route("session", get=200, post=None),
    "reflection_status": Route("session", get=None, post=302, post_data=(("status", "draft"),)),
    "action_list": Route(None, get=200, post=None),
    "action_status": Route("action", get=None, post=302, post_data=(("status", "done"),)),
    "goal_new": Route("coachee", get=200, post=200),  # empty form: shown again with errors
    "goal_edit": Route(
        "goal", get=200, post=302, post_data=(("title", "x"), ("status", "dropped"))
    ),
    "audit_trail": Route(None, get=200, post=None),
    "account_security": Route(None, get=200, post=None),
    "icf_log": Route(None, get=200, post=None),
    "insights": Route(None, get=200, post=None),
    "icf_log_csv": Route(None, get=200, post=None),
    "icf_log_xlsx": Route(None, get=200, post=None),
    "icf_opening_balance": Route(None, get=None, post=200),  # empty form: shown again with errors
    "icf_opening_row_delete": Route("opening", get=200, post=302),
    # Recovery codes exist only once two-factor authentication is on.
    "mfa_view_recovery_codes": Route(None, get=404, post=None),
    "mfa_download_recovery_codes": Route(None, get=404, post=None),
    # Export and erasure ask for the password again first (recent re-authentication).
    "coachee_export_json": Route("coachee", get=302, post=None),
    "coachee_export_html": Route("coachee", get=302, post=None),
    "coachee_export_pdf": Route("coachee", get=302, post=None),
    "coachee_copy": Route("coachee", get=200, post=None),
    "coachee_erase": Route("coachee", get=302, post=302, post_data=(("confirm_name", CANARY),)),
    "retention": Route(None, get=200, post=302, post_data=(("years", "1"),)),
    "retention_apply": Route(None, get=None, post=302),
    "backup": Route(None, get=200, post=None),
    "recovery_sheet": Route(None, get=200, post=None),
    # Templates: alice's own copy is the target; built-in ones are shared by every coach.
    "template_library": Route(None, get=200, post=None),
    "template_import": Route(None, get=200, post=200),  # no file: the form again, with why
    "template_defaults": Route(None, get=200, post=302),
    "reflection_template": Route("session", get=200, post=302),  # none chosen: back to choose
    "template_detail": Route("template", get=200, post=None),
    "template_copy": Route("template", get=None, post=302),
    "template_edit": Route("template", get=200, post=200),  # no op: the editor again
    "template_preview": Route("template", get=None, post=200),
    "template_retire": Route("template", get=None, post=302, post_data=(("retired", "1"),)),
    "template_delete": Route("template", get=200, post=302),
    "template_export": Route("template", get=200, post=None),
    "technique_list": Route(None, get=200, post=200),  # no name: the form again, with why
    "technique_retire": Route("technique", get=None, post=302),
    "search": Route(None, get=200, post=None),
    # Calendar: import (no file: the page again, with why), review, feeds, the feed-out link.
    "calendar": Route(None, get=200, post=None),
    "calendar_import": Route(None, get=None, post=200),
    "calendar_review": Route(None, get=200, post=302),
    "calendar_feed_add": Route(None, get=None, post=200),  # no address: the page, with why
    "calendar_feed_fetch": Route("source", get=None, post=302),
    "calendar_feed_remove": Route("source", get=None, post=302),
    "calendar_event_restore": Route("event", get=None, post=302),
    "calendar_feed_out": Route(None, get=200, post=200),  # no choice: the form again
    "reminders": Route(None, get=200, post=200),  # empty form: shown again with errors
    # The practice: supervision, mentor coaching, CPD, feedback, bodies and their logs.
    "practice": Route(None, get=200, post=None),
    "practice_setup": Route(None, get=200, post=302),  # nothing ticked: saved as no bodies
    "practice_clients": Route(None, get=200, post=302),
    "practice_progress": Route(None, get=200, post=None, args=("icf",)),
    "practice_workbook": Route(None, get=200, post=None, args=("emcc",)),
    "practice_portfolio": Route(None, get=200, post=None, args=("ac",)),
    "practice_log": Route(None, get=200, post=None, args=("emcc", "feedback", "csv")),
    "entry_new_supervision": Route(None, get=200, post=200),  # empty form: errors
    "entry_new_mentoring": Route(None, get=200, post=200),
    "entry_new_cpd": Route(None, get=200, post=200),
    "entry_new_feedback": Route(None, get=200, post=200),
    "entry_edit_supervision": Route("supervision", get=200, post=200),
    "entry_edit_mentoring": Route("mentoring", get=200, post=200),
    "entry_edit_cpd": Route("cpd", get=200, post=200),
    "entry_edit_feedback": Route("feedback", get=200, post=200),
    "entry_delete_supervision": Route("supervision", get=None, post=302),
    "entry_delete_mentoring": Route("mentoring", get=None, post=302),
    "entry_delete_cpd": Route("cpd", get=None, post=302),
    "entry_delete_feedback": Route("feedback", get=None, post=302),
    "cpd_certificate": Route("cpd", get=200, post=None),
    # A journal that moves (JSON), and past sessions from a spreadsheet.
    "journal_move": Route(None, get=200, post=None),
    "journal_export": Route(None, get=302, post=None),  # asks for the password again first
    "journal_import": Route(None, get=None, post=200),  # not empty / no file: the page, why
    "past_sessions": Route(None, get=200, post=None),
    "past_sessions_csv": Route(None, get=200, post=None),
    "past_sessions_xlsx": Route(None, get=200, post=None),
    "past_sessions_preview": Route(None, get=None, post=200),  # no file: the page, with why
    "past_sessions_confirm": Route(None, get=None, post=200),  # no preview: the page, why
    # Exports: the choices are pages; every download asks for the password again first.
    "exports": Route(None, get=200, post=None),
    "export_journal_markdown": Route(None, get=302, post=None),
    "export_reflection_pdf": Route("session", get=302, post=None),
    "export_reflection_markdown": Route("session", get=302, post=None),
    "export_coachee": Route("coachee", get=200, post=None),
    "export_coachee_pdf": Route("coachee", get=302, post=None),
    "export_dossier_start": Route("coachee", get=302, post=None),
    "export_dossier_job": Route("dossier_job", get=200, post=None),
    "export_dossier_pdf": Route("dossier_job", get=302, post=None),
    "export_coachee_markdown": Route("coachee", get=302, post=None),
    "supervision_flag": Route("session", get=200, post=302),  # nothing ticked: unmarked
    "supervision_packs": Route(None, get=200, post=302),  # every session: the pack's review
    "supervision_pack": Route("pack", get=200, post=302),  # no redactions: saved as none
    "supervision_pack_pdf": Route("pack", get=302, post=None),
    "supervision_pack_markdown": Route("pack", get=302, post=None),
    "supervision_pack_delete": Route("pack", get=None, post=302),
    # API tokens: making one asks for the password again first (recent re-authentication).
    "api_tokens": Route(None, get=200, post=302),
    "api_token_revoke": Route("api_token", get=None, post=302),
    # The firm's pages: alice, the first account, is the administrator; bob is only a coach.
    "firm_home": Route(None, get=302, post=None),  # an administrator goes on to People
    "firm_people": Route(None, get=200, post=None),
    "firm_person": Route("member", get=200, post=302, post_data=(("roles", "coach"),)),
    "firm_person_deactivate": Route("member", get=None, post=302),
    "firm_person_reactivate": Route("member", get=None, post=302),
    "firm_invite": Route(None, get=200, post=200),  # empty form: shown again with errors
    "firm_invitation_revoke": Route("invitation", get=None, post=302),
    "firm_settings": Route(None, get=200, post=302),
    "firm_reports": Route(None, get=200, post=None),
    "firm_reports_csv": Route(None, get=200, post=None),
    # Supervision inside the firm: alice shares with sven; alice also supervises dave, who
    # shares with her (the supervisor's pages are hers as his supervisor).
    "shares": Route(None, get=200, post=400),  # empty form: shown again with errors
    "share_revoke": Route("share", get=None, post=302),
    "supervise_home": Route(None, get=200, post=None),
    "supervise_share": Route("shared", get=200, post=None),
    "supervise_record": Route("shared", get=200, post=400),  # empty form: errors
    "supervise_sign_off": Route("recorded", get=None, post=302),
}

# Public by design: a calendar app has no sign-in, so the token in the URL is the key
# (tests/test_calendar_feed_out.py: wrong, revoked and another coach's tokens give 404).
PUBLIC = {"calendar_feed_ics"}
# An invitation link is its own key too (tests/test_firm_invitations.py: used, revoked, expired).
PUBLIC |= {"firm_join"}


def _our_route_names(patterns: list[Any] | None = None) -> set[str]:
    names: set[str] = set()
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            names |= _our_route_names(entry.url_patterns)
        elif isinstance(entry, URLPattern) and entry.callback.__module__.startswith("debrief."):
            assert entry.name, f"route {entry.pattern} has no name"
            names.add(entry.name)
    return names


def test_every_route_is_in_the_matrix() -> None:
    assert _our_route_names() == set(MATRIX) | PUBLIC


def test_the_public_feed_route_needs_a_valid_token(world: dict[str, Any]) -> None:
    client = Client()
    url = reverse("calendar_feed_ics", args=["not-a-token"])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 405


@pytest.fixture
def world(alice: User, bob: User) -> dict[str, Any]:
    return make_world(alice, bob)


def make_world(alice: User, bob: User) -> dict[str, Any]:
    """alice's data of every kind, each with the canary in it (tests/test_firm_roles.py too)."""
    coachee = make_coachee(alice, name=CANARY, background=f"{CANARY} background")
    session = make_session(coachee)
    action = ActionItem.objects.create(
        coach=alice, coachee=coachee, session=session, owner="coachee", text=f"{CANARY} action"
    )
    goal = Goal.objects.create(coach=alice, coachee=coachee, title=f"{CANARY} goal")
    bobs = make_coachee(bob, name="Bob's coachee")
    make_session(bobs)
    template = copy_template(brief_template(), alice)
    ReflectionTemplate.objects.filter(pk=template.pk).update(name=f"{CANARY} template")
    technique = Technique.objects.create(coach=alice, slug="canary", name=f"{CANARY} technique")
    source = CalendarSource.objects.create(
        coach=alice, kind=CalendarSource.Kind.FEED, url="https://calendar.invalid/x.ics"
    )
    event = CalendarEvent.objects.create(
        coach=alice,
        source=source,
        key="k" * 64,
        series="s" * 64,
        summary=f"{CANARY} event",
        starts_at=timezone.now() + timedelta(days=3),
        duration_minutes=60,
        seen=timezone.now(),
        state=CalendarEvent.State.SKIPPED,
    )
    day = date(2026, 3, 2)
    supervision = SupervisionEntry.objects.create(
        coach=alice, date=day, supervisor=f"{CANARY} supervisor", hours=1, themes=CANARY
    )
    mentoring = MentoringEntry.objects.create(coach=alice, date=day, mentor=CANARY, hours=1)
    cpd = CPDEntry.objects.create(coach=alice, date=day, title=CANARY, provider="P", hours=2)
    certificates.store(cpd.code, b"%PDF-1.4 " + CANARY.encode())
    CPDEntry.objects.filter(pk=cpd.pk).update(certificate_type="pdf", certificate_size=30)
    feedback = ClientFeedback.objects.create(
        coach=alice, coachee=coachee, date=day, text=f"{CANARY} feedback"
    )
    pack = make_pack(alice, [session])
    dossier_job = DossierJob.objects.create(coach=alice, coachee=coachee, total=1)
    opening = OpeningBalance.objects.create(coach=alice, client=CANARY, paid_hours=3, clients=1)
    api_token, _ = tokens.make_token(alice, f"{CANARY} token", "read", 30)
    dave = make_coach("dave@example.com")
    member = dave.membership
    offered = make_coachee(alice, name="Offered coachee")
    handover = offer(
        offered, dave, consent_on=day, consent_how="written", consent_note=f"{CANARY} consent"
    )
    invitation, _ = invitations.invite(alice, "erin@example.com", {"coach"})
    sid = make_coach("sven@example.com")
    Membership.objects.filter(user=sid).update(coach=False, supervisor=True)
    today = timezone.localdate()
    week = today + timedelta(days=7)
    share = make_share(alice, sid, pack=pack, starts=today, ends=week)
    Membership.objects.filter(user=alice).update(supervisor=True)
    daves = make_session(make_coachee(member.user, name="Dave's coachee"))
    shared = make_share(member.user, alice, sessions=[daves], starts=today, ends=week)
    recorded = SupervisionEntry.objects.create(
        coach=member.user, date=day, supervisor="alice", hours=1, recorded_by=alice
    )
    return {
        "share": share,
        "shared": shared,
        "recorded": recorded,
        "member": member,
        "handover": handover,
        "invitation": invitation,
        "pack": pack,
        "dossier_job": dossier_job,
        "opening": opening,
        "api_token": api_token,
        "source": source,
        "event": event,
        "supervision": supervision,
        "mentoring": mentoring,
        "cpd": cpd,
        "feedback": feedback,
        "session": session,
        "coachee": coachee,
        "action": action,
        "goal": goal,
        "template": template,
        "technique": technique,
    }


def _url(name: str, world: dict[str, Any]) -> str:
    target = MATRIX[name].target
    if target is None:
        return reverse(name, args=MATRIX[name].args)
    return reverse(name, args=[world[target].code])


def _client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_anonymous_is_sent_to_sign_in(name: str, world: dict[str, Any]) -> None:
    client = Client()
    url = _url(name, world)
    for method in ("get", "post"):
        if getattr(MATRIX[name], method) is None:
            continue
        response = getattr(client, method)(url)
        assert response.status_code == 302, (name, method)
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_owner_gets_the_page(name: str, world: dict[str, Any], alice: User) -> None:
    client = _client_for(alice)
    route = MATRIX[name]
    url = _url(name, world)
    if route.get is not None:
        assert client.get(url).status_code == route.get, name
    if route.post is not None:
        assert client.post(url, dict(route.post_data)).status_code == route.post, name


@pytest.mark.parametrize("name", sorted(n for n, r in MATRIX.items() if r.target))
def test_another_coach_gets_404_and_nothing_changes(
    name: str, world: dict[str, Any], bob: User
) -> None:
    client = _client_for(bob)
    route = MATRIX[name]
    url = _url(name, world)
    for method, expected in (("get", route.get), ("post", route.post)):
        if expected is None:
            continue
        response = getattr(client, method)(url, dict(route.post_data))
        assert response.status_code == 404, (name, method)
        assert CANARY not in response.content.decode()
    # Nothing of alice's was changed or deleted by bob's attempts.
    session = CoachingSession.objects.get(pk=world["session"].pk)
    assert session.reflection.status == "planned"
    assert ActionItem.objects.get(pk=world["action"].pk).status == "open"
    assert world["coachee"].__class__.objects.get(pk=world["coachee"].pk).status == "active"
    assert Goal.objects.get(pk=world["goal"].pk).status == "active"
    template = ReflectionTemplate.objects.get(pk=world["template"].pk)
    assert not template.retired and template.versions.count() == 1
    assert not Technique.objects.get(pk=world["technique"].pk).retired
    assert CalendarSource.objects.filter(pk=world["source"].pk).exists()
    assert CalendarEvent.objects.get(pk=world["event"].pk).state == "skipped"
    assert not ReflectionTemplate.objects.filter(owner__email="bob@example.com").exists()
    assert ApiToken.objects.get(pk=world["api_token"].pk).revoked is None
    assert User.objects.get(email="dave@example.com").is_active
    assert Membership.objects.get(pk=world["member"].pk).roles == ["coach"]
    assert Invitation.objects.get(pk=world["invitation"].pk).is_pending
    for kind in ("supervision", "mentoring", "cpd", "feedback", "opening"):
        entry = world[kind]
        assert type(entry).objects.filter(pk=entry.pk, updated=entry.updated).exists(), kind


@pytest.mark.parametrize("name", sorted(n for n, r in MATRIX.items() if not r.target))
def test_another_coach_never_sees_the_owners_data(
    name: str, world: dict[str, Any], bob: User
) -> None:
    client = _client_for(bob)
    response = client.get(_url(name, world))
    # Downloads may be binary (XLSX, PDF); their own tests open them and look inside.
    assert CANARY not in response.content.decode(errors="replace")


def test_next_number_for_another_coachs_coachee_is_404(world: dict[str, Any], bob: User) -> None:
    client = _client_for(bob)
    url = reverse("session_next_number") + f"?coachee={world['coachee'].code}"
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("name", sorted(n for n, r in MATRIX.items() if r.target))
def test_unknown_code_is_404(name: str, alice: User, world: dict[str, Any]) -> None:
    client = _client_for(alice)
    url = reverse(name, args=[uuid4()])
    method = "get" if MATRIX[name].get is not None else "post"
    assert getattr(client, method)(url).status_code == 404


@pytest.mark.parametrize("name", sorted(n for n, r in MATRIX.items() if r.target))
def test_malformed_code_is_404(name: str, alice: User, world: dict[str, Any]) -> None:
    client = _client_for(alice)
    target = str(MATRIX[name].target)
    url = _url(name, world).replace(str(world[target].code), "not-a-uuid")
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_wrong_method_is_405(name: str, alice: User, world: dict[str, Any]) -> None:
    client = _client_for(alice)
    route = MATRIX[name]
    url = _url(name, world)
    if route.get is None:
        assert client.get(url).status_code == 405
    if route.post is None:
        assert client.post(url).status_code == 405
    assert client.put(url).status_code == 405


@pytest.mark.parametrize("name", sorted(n for n, r in MATRIX.items() if r.post is not None))
def test_posts_without_csrf_token_are_refused(
    name: str, alice: User, world: dict[str, Any]
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(_url(name, world), dict(MATRIX[name].post_data))
    assert response.status_code == 403
    assert "Please try that again" in response.content.decode()
