"""Through the front door: ``manage.py serve`` as ``make run`` starts it, a token made on the
real API tokens page (password confirmed on allauth's page), and the API called over HTTP."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from typing import Any

from bench import served
from tests.servers import ports

PASSWORD = "bench-password-123"  # what served.sign_in gives the coach
TOKEN_RE = re.compile(r'value="(dbr_[A-Za-z0-9_-]{43})"')


def _call(base: str, method: str, path: str, token: str, body: Any = None) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(  # noqa: S310 - our own loopback server
        f"{base}/api/v1{path}",
        data=data,
        method=method,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310
            status, raw = answer.status, answer.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    return status, json.loads(raw) if raw else None


def _make_token(coach: served.Coach, scope: str) -> str:
    fields = {"name": f"front door {scope}", "scope": scope, "days": "7"}
    page = coach.post("/security/api-tokens/", fields, expect=[200])
    found = TOKEN_RE.search(page.body)
    assert found, "the page shows the new token"
    return found.group(1)


def test_a_token_from_the_page_opens_the_served_api() -> None:
    with served.environment("apifront") as env:
        served.manage(env, "migrate", "--noinput")
        session = served.sign_in(env, "front@example.com")
        with served.server(env, ports=ports(8800, 8900)) as base:
            coach = served.Coach(base, session, csrf_page="/security/api-tokens/")
            first = coach.post("/security/api-tokens/", {"name": "x", "scope": "read", "days": "7"})
            assert first.status == 302, "making a token asks for the password first"
            coach.post("/accounts/reauthenticate/", {"password": PASSWORD}, expect=[302])
            write, read = _make_token(coach, "write"), _make_token(coach, "read")

            with urllib.request.urlopen(f"{base}/api/v1/openapi.json") as answer:  # noqa: S310
                document = json.load(answer)
            assert document["openapi"].startswith("3.") and "/api/v1/coachees" in document["paths"]

            status, made = _call(base, "POST", "/coachees", write, {"name": "Priya Shah"})
            assert status == 201, made
            status, listed = _call(base, "GET", "/coachees", read)
            assert (status, [c["name"] for c in listed["items"]]) == (200, ["Priya Shah"])
            assert _call(base, "POST", "/coachees", read, {"name": "No"})[0] == 403

            body = {"coachee": made["code"], "date": "2026-03-02", "start_time": "10:00"}
            status, session_data = _call(base, "POST", "/sessions", write, body)
            assert status == 201, session_data
            path = f"/sessions/{session_data['code']}/reflection"
            base_hash = _call(base, "GET", path, read)[1]["fields"]["p-main_topics"]["hash"]
            bases = {"p-main_topics": base_hash}
            change = {"fields": {"p-main_topics": "Delegation"}, "bases": bases}
            assert _call(base, "PATCH", path, write, change)[0] == 200
            stale = {"fields": {"p-main_topics": "Other window"}, "bases": bases}
            status, conflict = _call(base, "PATCH", path, write, stale)
            assert status == 409
            assert conflict["conflicts"][0]["theirs"] == "Delegation"

            status, found = _call(base, "GET", "/search?q=delegation", read)
            assert (status, found["total"]) == (200, 1)

            # Revoked on the page: the token no longer opens the API.
            page = coach.get("/security/api-tokens/").body
            revoke = re.search(r'action="(/security/api-tokens/[0-9a-f-]+/revoke/)"', page)
            assert revoke
            coach.post(revoke.group(1), {}, expect=[302])
            codes = [_call(base, "GET", "/coachees", t)[0] for t in (write, read)]
            assert sorted(codes) == [200, 401]
