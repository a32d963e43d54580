"""Schemathesis against the served OpenAPI document: every operation, bad input from the schema.

Debrief is served as ``make run`` serves it (``manage.py serve`` over loopback HTTP, on the
test's database kind: SQLite, or a scratch PostgreSQL database when DATABASE_URL says so).
Schemathesis's CLI reads ``/api/v1/openapi.json`` from that server and sends every operation
examples, boundary values (its coverage phase), random valid and invalid input (fuzzing) and
chains of calls (stateful), with a write token. Operations with a code in the path are given
real codes, so bodies are tried against a real coachee, session, action and goal, and not only
against a 404. The run is bounded (``MAX_EXAMPLES`` per operation, a fixed seed).

Passes when every operation was tested, no response was a 500, no response broke the schema
(status code, content type, headers and body as documented) and no request off the schema was
accepted. The counts are printed. (Schema-valid requests the forms refuse, such as a consent
date in the future, are expected: the forms' rules are more than a schema can say.)
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from bench import served
from tests.servers import ports

MAX_EXAMPLES = 25
SEED = 13
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",  # input off the schema is refused, not taken loosely
]

_WORLD = """
from datetime import date
from debrief.accounts.models import User
from debrief.api import tokens
from debrief.coachees.models import Coachee
from debrief.followup.models import ActionItem, Goal
from debrief.journal.models import CoachingSession, Reflection
from debrief.prompts.models import default_template_version

coach = User.objects.create_user(email="schema@example.com", password="bench-password-123")
coachee = Coachee.objects.create(coach=coach, name="Priya Shah")
version = default_template_version()
def session(number):
    made = CoachingSession.objects.create(
        coach=coach, coachee=coachee, number=number, date=date(2026, 3, 2), duration_minutes=60
    )
    Reflection.objects.create(coach=coach, session=made, template_version=version)
    return made
kept, doomed = session(1), session(2)
action = ActionItem.objects.create(
    coach=coach, coachee=coachee, session=kept, owner="coachee", text="Book the offsite"
)
goal = Goal.objects.create(coach=coach, coachee=coachee, title="Delegate more")
print("TOKEN=" + tokens.make_token(coach, "schemathesis", "write", 1)[1])
print("CODES=" + ",".join(str(o.code) for o in (coachee, kept, doomed, action, goal)))
"""


def _config(codes: list[str]) -> str:
    coachee, kept, doomed, action, goal = codes
    ops = {
        "GET /api/v1/coachees/{code}": coachee,
        "PATCH /api/v1/coachees/{code}": coachee,
        "GET /api/v1/coachees/{code}/goals": coachee,
        "POST /api/v1/coachees/{code}/goals": coachee,
        "GET /api/v1/sessions/{code}": kept,
        "PATCH /api/v1/sessions/{code}": kept,
        "DELETE /api/v1/sessions/{code}": doomed,
        "GET /api/v1/sessions/{code}/reflection": kept,
        "PATCH /api/v1/sessions/{code}/reflection": kept,
        "POST /api/v1/sessions/{code}/reflection/status": kept,
        "GET /api/v1/actions/{code}": action,
        "PATCH /api/v1/actions/{code}": action,
        "GET /api/v1/goals/{code}": goal,
        "PATCH /api/v1/goals/{code}": goal,
    }
    lines = ["[generation]", 'database = "none"', ""]
    for name, code in ops.items():
        lines += ["[[operations]]", f'include-name = "{name}"']
        lines += [f'parameters = {{ "path.code" = "{code}" }}', ""]
    # A new session needs one of the coach's coachees.
    lines += ["[[operations]]", 'include-name = "POST /api/v1/sessions"']
    lines += [f'parameters = {{ "body.coachee" = "{coachee}" }}', ""]
    return "\n".join(lines)


def _run(base: str, token: str, folder: Path, codes: list[str]) -> dict[str, Any]:
    config = folder / "schemathesis.toml"
    config.write_text(_config(codes))
    report = folder / "report.json"
    har = folder / "report.har"
    st = Path(sys.executable).with_name("st")
    done = subprocess.run(
        [
            str(st),
            "--config-file",
            str(config),
            "run",
            f"{base}/api/v1/openapi.json",
            "--header",
            f"Authorization: Bearer {token}",
            "--checks",
            ",".join(CHECKS),
            "--max-examples",
            str(MAX_EXAMPLES),
            "--seed",
            str(SEED),
            "--workers",
            "1",
            "--continue-on-failure",
            "--report",
            "json,har",
            "--report-json-path",
            str(report),
            "--report-har-path",
            str(har),
        ],
        capture_output=True,
        text=True,
        timeout=1200,
        cwd=folder,
    )
    result: dict[str, Any] = json.loads(report.read_text())
    entries = json.loads(har.read_text())["log"]["entries"]
    result["statuses"] = Counter(e["response"]["status"] for e in entries)
    result["output"] = done.stdout[-8000:] + done.stderr[-2000:]
    return result


@pytest.fixture(scope="module")
def schema_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("schemathesis")
    with served.environment("apischema") as env:
        served.manage(env, "migrate", "--noinput")
        out = served.shell(env, _WORLD)
        token = out.split("TOKEN=", 1)[1].split()[0]
        codes = out.split("CODES=", 1)[1].split()[0].split(",")
        with served.server(env, ports=ports(8800, 8900)) as base:
            return _run(base, token, folder, codes)


def test_schemathesis_finds_no_500_and_no_response_off_the_schema(
    schema_run: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    statuses: Counter[int] = schema_run["statuses"]
    cases = schema_run["test_cases"]
    operations = schema_run["operations"]
    summary = (
        f"schemathesis: {operations['tested']}/{operations['total']} operations, "
        f"{cases['generated']} test cases, {sum(statuses.values())} responses "
        f"({', '.join(f'{s}: {n}' for s, n in sorted(statuses.items()))}), "
        f"{sum(n for s, n in statuses.items() if s >= 500)} with status 500 or more, "
        f"{cases['with_failures']} failing a check"
    )
    with capsys.disabled():
        print(f"\n{summary}")
    assert operations["tested"] == operations["total"] >= 20, schema_run["output"]
    assert sum(statuses.values()) >= 20 * MAX_EXAMPLES, "too few requests to mean anything"
    assert not [s for s in statuses if s >= 500], schema_run["output"]
    assert schema_run["failures"] == [], schema_run["output"]
    assert schema_run["errors"] == [], schema_run["output"]
    # The real codes reached the operations behind them, not only their 404.
    assert statuses[200] > 100 and statuses[201] > 0 and statuses[204] >= 1, summary
