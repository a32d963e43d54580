"""The JSON API, operation by operation: what the owner gets, and another coach's 404."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from debrief.accounts.models import User
from debrief.audit.models import AuditEvent
from debrief.coachees.models import Coachee
from debrief.followup.models import ActionItem, Goal
from debrief.journal.models import CoachingSession, Reflection
from debrief.journal.reflection import snapshot
from tests.api_helpers import Api, make_token
from tests.conftest import make_coachee, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(alice: User) -> Api:
    return Api(make_token(alice, "write"))


@pytest.fixture
def bobs_session(bob: User) -> CoachingSession:
    return make_session(make_coachee(bob, name="Bob's Client"))


def _action(session: CoachingSession, text: str = "Draft the team charter") -> ActionItem:
    return ActionItem.objects.create(
        coach=session.coach,
        coachee=session.coachee,
        session=session,
        owner=ActionItem.Owner.COACHEE,
        text=text,
        due=date(2026, 3, 9),
    )


def _goal(coachee: Coachee, title: str = "Lead meetings with confidence") -> Goal:
    return Goal.objects.create(coach=coachee.coach, coachee=coachee, title=title)


# --- coachees -------------------------------------------------------------------------------


def test_lists_own_current_coachees_by_name(api: Api, alice: User, bob: User) -> None:
    make_coachee(alice, name="Zoe Adams")
    make_coachee(alice, name="Amir Khan")
    make_coachee(alice, name="Old Client", status=Coachee.Status.ARCHIVED)
    make_coachee(bob, name="Bob's Client")
    response = api.get("/coachees")
    assert response.status_code == 200
    assert [c["name"] for c in response.json()["items"]] == ["Amir Khan", "Zoe Adams"]
    everyone = api.get("/coachees", show="all").json()
    assert everyone["count"] == 3
    assert api.get("/coachees", limit=1, offset=1).json()["items"][0]["name"] == "Zoe Adams"


def test_no_response_is_kept_in_a_cache(api: Api, coachee: Coachee) -> None:
    for response in (api.get(f"/coachees/{coachee.code}"), Api(None).get("/coachees")):
        assert "no-store" in response["Cache-Control"]


def test_adds_a_coachee_through_the_page_form(api: Api, alice: User) -> None:
    response = api.post("/coachees", {"name": "  Priya Shah ", "pronouns": "she/her"})
    assert response.status_code == 201, response.content
    stored = Coachee.objects.get(code=response.json()["code"])
    assert (stored.coach, stored.name, stored.pronouns) == (alice, "Priya Shah", "she/her")
    assert stored.status == Coachee.Status.ACTIVE


@pytest.mark.parametrize(
    "body, field",
    [
        ({"name": ""}, "name"),
        ({"name": "A", "email": "not an address"}, "email"),
        ({"name": "A\x00B"}, "name"),
        ({"name": "x" * 5000}, "name"),
        ({"name": "A", "notes_consent_on": "2999-01-01"}, "notes_consent_on"),
        ({"name": "A", "status": "sleeping"}, "status"),
        ({"pronouns": "they"}, "name"),
    ],
)
def test_refuses_what_the_coachee_form_refuses(api: Api, body: dict[str, str], field: str) -> None:
    response = api.post("/coachees", body)
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert not Coachee.objects.exists()


def test_changes_only_the_fields_sent(api: Api, coachee: Coachee) -> None:
    coachee.pronouns = "she/her"
    coachee.save()
    response = api.patch(f"/coachees/{coachee.code}", {"status": "paused"})
    assert response.status_code == 200
    coachee.refresh_from_db()
    assert (coachee.status, coachee.pronouns, coachee.name) == ("paused", "she/her", "Priya Shah")
    assert api.get(f"/coachees/{coachee.code}").json()["status"] == "paused"


def test_null_clears_only_what_a_page_can_clear(api: Api, coachee: Coachee) -> None:
    coachee.engagement_start = date(2026, 1, 5)
    coachee.pronouns = "she/her"
    coachee.save()
    path = f"/coachees/{coachee.code}"
    cleared = api.patch(path, {"engagement_start": None, "pronouns": None})
    assert cleared.status_code == 200, cleared.content
    coachee.refresh_from_db()
    assert (coachee.engagement_start, coachee.pronouns) == (None, "")
    refused = api.patch(path, {"status": None})
    assert refused.status_code == 422 and "status" in refused.json()["errors"]
    assert api.patch(path, {"name": None}).status_code == 422
    coachee.refresh_from_db()
    assert (coachee.status, coachee.name) == ("active", "Priya Shah")


@pytest.mark.parametrize("body", ['"AAA"', "[1]", "5", "null", '"title"'])
def test_a_body_that_is_not_an_object_is_refused(api: Api, coachee: Coachee, body: str) -> None:
    response = api.client.post(
        f"/api/v1/coachees/{coachee.code}/goals",
        data=body,
        content_type="application/json",
        headers=api.headers,
    )
    assert response.status_code == 422
    assert not Goal.objects.exists()


def test_malformed_json_is_a_400(api: Api, coachee: Coachee) -> None:
    response = api.client.patch(
        f"/api/v1/coachees/{coachee.code}",
        data="{not json",
        content_type="application/json",
        headers=api.headers,
    )
    assert response.status_code == 400


# --- another coach's codes ------------------------------------------------------------------


# Every operation that names something, with another coach's code in the path or the body.
ANOTHER_COACHS = [
    ("GET", "/coachees/{coachee}", None),
    ("PATCH", "/coachees/{coachee}", {"name": "Taken over"}),
    ("GET", "/coachees/{coachee}/goals", None),
    ("POST", "/coachees/{coachee}/goals", {"title": "Mine now"}),
    ("GET", "/sessions?coachee={coachee}", None),
    ("POST", "/sessions", {"coachee": "{coachee}", "date": "2026-03-02"}),
    ("GET", "/sessions/{session}", None),
    ("PATCH", "/sessions/{session}", {"duration_minutes": 5}),
    ("DELETE", "/sessions/{session}", None),
    ("GET", "/sessions/{session}/reflection", None),
    ("PATCH", "/sessions/{session}/reflection", {"fields": {"p-main_topics": "x"}}),
    ("POST", "/sessions/{session}/reflection/status", {"status": "complete"}),
    ("GET", "/actions/{action}", None),
    ("PATCH", "/actions/{action}", {"status": "done"}),
    ("GET", "/actions?coachee={coachee}", None),
    ("GET", "/goals/{goal}", None),
    ("PATCH", "/goals/{goal}", {"status": "dropped"}),
]


@pytest.mark.parametrize("method, path, body", ANOTHER_COACHS)
def test_another_coachs_code_is_a_404_and_changes_nothing(
    api: Api, bobs_session: CoachingSession, method: str, path: str, body: object
) -> None:
    codes = {
        "coachee": bobs_session.coachee.code,
        "session": bobs_session.code,
        "action": _action(bobs_session).code,
        "goal": _goal(bobs_session.coachee).code,
    }
    filled = path.format(**codes)
    if isinstance(body, dict):
        body = {k: (v.format(**codes) if isinstance(v, str) else v) for k, v in body.items()}
    response = api.call(method, filled, body)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}
    assert "Bob" not in response.content.decode()
    bobs_session.refresh_from_db()  # still there, unchanged
    assert bobs_session.duration_minutes == 60
    assert bobs_session.coachee.name == "Bob's Client"
    assert ActionItem.objects.get(code=codes["action"]).status == "open"
    assert Goal.objects.get(code=codes["goal"]).status == "active"
    assert Goal.objects.count() == 1
    denied = AuditEvent.objects.filter(action=AuditEvent.Action.ACCESS_DENIED)
    assert denied.exists(), "the trail keeps a note of the other coach's code"


def test_a_code_that_does_not_exist_is_the_same_404(api: Api) -> None:
    response = api.get("/sessions/5b7e8a52-0d5c-4a47-9b8e-3f0f7c2b8d11")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


def test_a_malformed_code_is_refused_as_invalid(api: Api) -> None:
    response = api.get("/sessions/not-a-code")
    assert response.status_code == 422
    assert "code" in response.json()["errors"]


# --- sessions -------------------------------------------------------------------------------


def test_records_a_session_with_the_next_number_and_a_reflection(
    api: Api, session: CoachingSession
) -> None:
    body = {"coachee": str(session.coachee.code), "date": "2026-03-09", "start_time": "14:30"}
    response = api.post("/sessions", body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["number"], data["duration_minutes"], data["format"]) == (2, 60, "video")
    assert data["start_time"] == "14:30"
    assert data["reflection"]["status"] == "planned"
    made = CoachingSession.objects.get(code=data["code"])
    assert Reflection.objects.filter(session=made).exists()


@pytest.mark.parametrize(
    "extra, field",
    [
        ({"number": 1}, "number"),  # taken by the fixture's session
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"kind": "group"}, "group_size"),
        ({"date": "1850-01-01"}, "date"),
        ({"template": "5b7e8a52-0d5c-4a47-9b8e-3f0f7c2b8d11"}, "template"),
    ],
)
def test_refuses_what_the_session_form_refuses(
    api: Api, session: CoachingSession, extra: dict[str, object], field: str
) -> None:
    body = {"coachee": str(session.coachee.code), "date": "2026-03-09", **extra}
    response = api.post("/sessions", body)
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]
    assert CoachingSession.objects.count() == 1


def test_an_archived_coachee_takes_no_new_session(api: Api, alice: User) -> None:
    archived = make_coachee(alice, status=Coachee.Status.ARCHIVED)
    response = api.post("/sessions", {"coachee": str(archived.code), "date": "2026-03-09"})
    assert response.status_code == 422
    assert "coachee" in response.json()["errors"]


def test_lists_sessions_latest_first_with_filters(api: Api, alice: User) -> None:
    one, other = make_coachee(alice), make_coachee(alice, name="Amir Khan")
    make_session(one, 1, date=date(2026, 1, 5))
    make_session(one, 2, date=date(2026, 2, 5))
    make_session(other, 1, date=date(2026, 3, 5))
    all_of_them = api.get("/sessions").json()
    assert [s["date"] for s in all_of_them["items"]] == ["2026-03-05", "2026-02-05", "2026-01-05"]
    ones = api.get("/sessions", coachee=str(one.code), date_from="2026-02-01").json()
    assert (ones["count"], ones["items"][0]["number"]) == (1, 2)


def test_changes_and_deletes_a_session(api: Api, session: CoachingSession) -> None:
    response = api.patch(
        f"/sessions/{session.code}", {"duration_minutes": 90, "payment": "pro_bono"}
    )
    assert response.status_code == 200, response.content
    session.refresh_from_db()
    assert (session.duration_minutes, session.payment, session.number) == (90, "pro_bono", 1)
    assert api.delete(f"/sessions/{session.code}").status_code == 204
    assert not CoachingSession.objects.filter(pk=session.pk).exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.SESSION_DELETED)
    assert event.subject == str(session.code)


# --- reflections ----------------------------------------------------------------------------


def test_reads_a_reflection_with_answers_and_field_hashes(
    api: Api, session: CoachingSession
) -> None:
    saved = api.patch(
        f"/sessions/{session.code}/reflection",
        {"fields": {"p-main_topics": "Delegation", "p-listening-rating": "4"}},
    )
    assert saved.status_code == 200, saved.content
    data = api.get(f"/sessions/{session.code}/reflection").json()
    prompts = {p["key"]: p for p in data["prompts"]}
    assert prompts["main_topics"]["answer"]["answer"] == "Delegation"
    assert prompts["listening"]["kind"] == "rating"
    assert data["fields"]["p-main_topics"]["value"] == "Delegation"
    assert data["fields"]["p-main_topics"]["hash"] == saved.json()["hashes"]["p-main_topics"]
    assert data["status"] == "draft"


def test_a_stale_save_is_a_409_with_both_versions(api: Api, session: CoachingSession) -> None:
    path = f"/sessions/{session.code}/reflection"
    first = api.get(path).json()["fields"]["p-main_topics"]["hash"]
    theirs = {"fields": {"p-main_topics": "Theirs"}, "bases": {"p-main_topics": first}}
    assert api.patch(path, theirs).status_code == 200
    stale = api.patch(
        path, {"fields": {"p-main_topics": "Mine"}, "bases": {"p-main_topics": first}}
    )
    assert stale.status_code == 409
    conflict = stale.json()["conflicts"][0]
    assert (conflict["field"], conflict["yours"], conflict["theirs"]) == (
        "p-main_topics",
        "Mine",
        "Theirs",
    )
    assert snapshot(session.reflection).values["p-main_topics"] == "Theirs"
    # Keeping mine: send it again with the saved version's hash as the base.
    keep = {
        "fields": {"p-main_topics": "Mine"},
        "bases": {"p-main_topics": conflict["theirs_hash"]},
    }
    assert api.patch(path, keep).status_code == 200
    assert snapshot(session.reflection).values["p-main_topics"] == "Mine"


def test_a_save_without_a_base_over_stored_text_is_a_conflict(
    api: Api, session: CoachingSession
) -> None:
    path = f"/sessions/{session.code}/reflection"
    api.patch(path, {"fields": {"p-main_topics": "Stored"}})
    response = api.patch(path, {"fields": {"p-main_topics": "Blind overwrite"}})
    assert response.status_code == 409
    assert snapshot(session.reflection).values["p-main_topics"] == "Stored"


def test_reflection_values_are_cleaned_by_their_kind(api: Api, session: CoachingSession) -> None:
    path = f"/sessions/{session.code}/reflection"
    response = api.patch(
        path,
        {"fields": {"p-listening-rating": "11", "p-main_topics": "fine", "p-nope": "x"}},
    )
    assert response.status_code == 422
    data = response.json()
    assert set(data["errors"]) == {"p-listening-rating", "p-nope"}
    assert data["saved"] == ["p-main_topics"]  # the good field is kept, as on the page
    long = api.patch(path, {"fields": {"p-obstacles": "x" * 200_000}})
    assert long.status_code == 422 and "p-obstacles" in long.json()["errors"]


def test_a_new_action_through_the_reflection_then_listed(
    api: Api, session: CoachingSession
) -> None:
    path = f"/sessions/{session.code}/reflection"
    new = {"new-coachee_actions-text": "Book the offsite", "new-coachee_actions-due": "2026-03-20"}
    body = {"fields": new}
    assert api.patch(path, body).status_code == 200
    listed = api.get("/actions").json()
    assert [a["text"] for a in listed["items"]] == ["Book the offsite"]
    assert listed["items"][0]["session"] == str(session.code)


def test_completes_a_reflection_and_makes_it_a_draft_again(
    api: Api, session: CoachingSession
) -> None:
    path = f"/sessions/{session.code}/reflection/status"
    done = api.post(path, {"status": "complete"})
    assert done.status_code == 200 and done.json()["status"] == "complete"
    again = api.post(path, {"status": "draft"})
    assert again.json()["status"] == "draft" and again.json()["completed_at"] is None
    assert api.post(path, {"status": "planned"}).status_code == 422


# --- actions, goals, search -----------------------------------------------------------------


def test_actions_listed_read_and_closed(api: Api, session: CoachingSession) -> None:
    action = _action(session)
    later = _action(session, "Undated")
    later.due = None
    later.save()
    listed = api.get("/actions", status="open").json()
    assert [a["text"] for a in listed["items"]] == ["Draft the team charter", "Undated"]
    assert api.get(f"/actions/{action.code}").json()["due"] == "2026-03-09"
    closed = api.patch(f"/actions/{action.code}", {"status": "done"})
    assert closed.status_code == 200
    action.refresh_from_db()
    assert action.status == "done" and action.closed_at is not None
    assert api.patch(f"/actions/{action.code}", {"status": "gone"}).status_code == 422


def test_goals_added_listed_and_changed(api: Api, coachee: Coachee) -> None:
    added = api.post(f"/coachees/{coachee.code}/goals", {"title": "Delegate more"})
    assert added.status_code == 201, added.content
    code = added.json()["code"]
    assert [g["title"] for g in api.get(f"/coachees/{coachee.code}/goals").json()["items"]] == [
        "Delegate more"
    ]
    changed = api.patch(f"/goals/{code}", {"status": "achieved"})
    assert changed.status_code == 200 and changed.json()["closed_at"] is not None
    assert Goal.objects.get(code=code).title == "Delegate more"
    assert api.patch(f"/goals/{code}", {"title": ""}).json()["errors"]["title"]
    assert api.post(f"/coachees/{coachee.code}/goals", {"title": "x" * 999}).status_code == 422


def test_search_finds_the_coachs_own_words_only(
    api: Api, session: CoachingSession, bobs_session: CoachingSession
) -> None:
    path = f"/sessions/{session.code}/reflection"
    api.patch(path, {"fields": {"p-main_topics": "Delegation and the quarterly offsite"}})
    Api(make_token(bobs_session.coach)).patch(
        f"/sessions/{bobs_session.code}/reflection", {"fields": {"p-main_topics": "offsite"}}
    )
    found = api.get("/search", q="offsite")
    assert found.status_code == 200, found.content
    data = found.json()
    assert data["total"] == 1
    assert data["results"][0]["session"] == str(session.code)
    assert "offsite" in data["results"][0]["passages"][0]["text"]
    bad = api.get("/search", q="offsite", date_from="yesterday")
    assert bad.status_code == 422 and "date_from" in bad.json()["errors"]


def test_dates_in_the_past_week_filter_sessions(api: Api, coachee: Coachee) -> None:
    today = date.today()
    make_session(coachee, 1, date=today - timedelta(days=30))
    make_session(coachee, 2, date=today - timedelta(days=2))
    recent = api.get("/sessions", date_from=(today - timedelta(days=7)).isoformat()).json()
    assert [s["number"] for s in recent["items"]] == [2]


# --- every operation, from the OpenAPI document ----------------------------------------------


def _operations() -> list[tuple[str, str]]:
    from debrief.api.api import api as ninja_api

    paths = ninja_api.get_openapi_schema()["paths"]
    return sorted((m.upper(), p.removeprefix("/api/v1")) for p, ops in paths.items() for m in ops)


def test_every_operation_with_a_code_is_tried_with_another_coachs() -> None:
    tried = {(m, re.sub(r"\{\w+\}", "{code}", p.split("?")[0])) for m, p, _ in ANOTHER_COACHS}
    with_code = {op for op in _operations() if "{code}" in op[1]}
    assert with_code, "the document lists no operation with a code: the test would prove nothing"
    assert with_code <= tried, sorted(with_code - tried)


@pytest.mark.parametrize("method, path", [op for op in _operations() if op[0] != "GET"])
def test_a_read_token_is_refused_every_change(
    alice: User, session: CoachingSession, method: str, path: str
) -> None:
    filled = path.replace("{code}", str(session.code))
    response = Api(make_token(alice, "read")).call(method, filled, {})
    assert response.status_code == 403, (method, path, response.content)
    assert CoachingSession.objects.filter(pk=session.pk).exists()


@pytest.mark.parametrize("method, path", _operations())
def test_every_operation_needs_a_token(method: str, path: str) -> None:
    filled = path.replace("{code}", "5b7e8a52-0d5c-4a47-9b8e-3f0f7c2b8d11")
    response = Api(None).call(method, filled, {} if method != "GET" else None)
    assert response.status_code == 401, (method, path)
