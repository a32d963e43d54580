"""The journal export writes every other batch in a second process (portable/export_worker.py).

Served as ``make run`` serves it, the file downloaded with the worker is the one written by the
serving process alone, and the worker did write part of it; in process, a worker that fails,
refuses or answers late leaves the same file; orjson writes what json would.
"""

from __future__ import annotations

import json
import re
import time
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench import served
from bench.portable import PASSWORD, _server_pid, _workers_cpu
from debrief.accounts.models import User
from debrief.coachees.models import Coachee
from debrief.demo.practice import create_practice
from debrief.portable import export_worker, journal_out

SETUP = """
from django.utils import timezone
from debrief.demo.practice import create_practice
create_practice(coach, sessions=700, coachees=3, seed=5, today=timezone.localdate())
"""


def _unstamped(body: str) -> str:
    return re.sub(r'"exported_at":"[^"]*"', "", body, count=1)


def _download(base: str, cookie: str) -> str:
    coach = served.Coach(base, cookie)
    assert coach.post("/accounts/reauthenticate/", {"password": PASSWORD}).status == 302
    answer = coach.get("/move/journal/export.json")
    assert answer.status == 200
    return answer.body


def test_the_served_export_is_written_in_two_processes_and_is_the_same_file() -> None:
    with served.environment("export_worker") as env:
        served.manage(env, "migrate", "--noinput")
        cookie = served.sign_in(env, "worker@example.com", SETUP)
        with served.server(env) as base:
            pid = _server_pid(int(base.rsplit(":", 1)[1]))
            body = _download(base, cookie)
            deadline = time.monotonic() + 10
            while not _workers_cpu(pid) and time.monotonic() < deadline:
                time.sleep(0.1)  # the worker has ended: its forkserver reaps it
            worker_cpu = _workers_cpu(pid)
        with served.server(dict(env, DEBRIEF_EXPORT_WORKER="false")) as base:
            pid = _server_pid(int(base.rsplit(":", 1)[1]))
            alone = _download(base, cookie)
            assert _workers_cpu(pid) == 0  # no worker: no forkserver, nothing below the server
    assert worker_cpu > 0, "the export's worker did not run"
    data = json.loads(body)
    assert data["counts"] == {"coachees": 3, "sessions": 700}
    sessions = [s for c in data["coachees"] for s in c["sessions"]]
    assert len(sessions) == 700 and all(s["code"] for s in sessions)
    assert _unstamped(body) == _unstamped(alone)


class _Late:
    """A stand-in for ``export_worker.Worker``: it writes each batch when asked, but says it
    is done with only some of them before it is waited for (so the export writes ahead of
    it, and its batches and the export's come back out of order), and fails on ``fail_at``
    (its batches then written by the export itself)."""

    AHEAD = 2

    def __init__(self, coach: Any, fail_at: int | None = None) -> None:
        self.coach, self.fail_at = coach, fail_at
        self.written: dict[int, bytes] = {}
        self.failed = False
        self.answered = 0

    def wants(self) -> bool:
        return not self.failed and len(self.written) < self.AHEAD

    def ask(self, index: int, job: Any) -> None:
        self.written[index] = journal_out._batch(self.coach, job)

    def has(self, index: int) -> bool:
        return index in self.written

    def done(self, index: int) -> bytes | None:
        return self.written.pop(index) if index % 3 == 0 and not self.failed else None

    def wait(self, index: int) -> bytes | None:
        text = self.written.pop(index)
        if self.failed or (self.fail_at is not None and index >= self.fail_at):
            self.failed = True
            return None
        self.answered += 1
        return text

    def stop(self) -> None:
        self.written.clear()


@pytest.fixture
def journal(db: Any) -> Any:
    coach = User.objects.create_user(email="late@example.com", password="x" * 16)
    create_practice(coach, sessions=15, coachees=3, seed=3, today=date(2026, 11, 30))
    Coachee.objects.create(coach=coach, name="Dee")  # no sessions: a batch of none
    return coach


@pytest.mark.parametrize("fail_at", [None, 4])
def test_batches_written_elsewhere_and_late_come_out_in_the_files_order(
    journal: Any, monkeypatch: pytest.MonkeyPatch, fail_at: int | None
) -> None:
    monkeypatch.setattr(journal_out, "BATCH", 2)  # 15 sessions of 3 coachees: 9 batches or so
    whole = journal_out.journal_text(journal, now=None)
    workers: list[_Late] = []

    def start(coach: Any) -> _Late:
        workers.append(_Late(coach, fail_at))
        return workers[-1]

    monkeypatch.setattr(export_worker.Worker, "start", start)
    again = journal_out.journal_text(journal, now=None)
    assert _unstamped(again) == _unstamped(whole)
    assert workers[0].answered > 0
    if fail_at is not None:
        assert workers[0].failed


def test_a_real_worker_that_cannot_see_the_test_database_leaves_the_same_file(
    journal: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The test database is in memory: a worker (a real process, from the forkserver) finds an
    # empty database there and ends, and the export is written here: the same file.
    whole = journal_out.journal_text(journal)
    monkeypatch.setattr(journal_out, "BATCH", 2)
    started: list[export_worker.Worker] = []

    def start(cls: type[export_worker.Worker], coach: Any) -> export_worker.Worker:
        started.append(cls(coach))
        return started[-1]

    monkeypatch.setattr(export_worker.Worker, "start", classmethod(start))
    again = journal_out.journal_text(journal)
    assert _unstamped(again) == _unstamped(whole)
    assert started and not started[0]._process.is_alive()  # stopped with its export


def test_no_worker_where_another_process_would_not_see_the_rows(journal: Any) -> None:
    # The test's transaction is open, and its database in memory.
    assert export_worker.Worker.start(journal) is None


TEXT = st.text(st.characters(codec="utf-8"), max_size=40)
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | TEXT,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(TEXT, inner, max_size=5),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(VALUES)
def test_the_files_json_is_what_json_writes(value: Any) -> None:
    expected = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
    assert journal_out._dumps(value) == expected


class _Line:
    """One end of a pipe, in the test's process: what ``serve`` sends."""

    def __init__(self) -> None:
        self.sent: list[bytes] = []

    def send_bytes(self, data: bytes) -> None:
        self.sent.append(data)


def test_a_worker_that_would_look_for_the_master_key_elsewhere_refuses(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The serving process found its master key in DEBRIEF_MASTER_KEY; a worker whose
    # environment has no such variable would look in the data directory and make a new key
    # there. It refuses first, and writes nothing.
    monkeypatch.delenv("DEBRIEF_MASTER_KEY", raising=False)
    monkeypatch.delenv("DEBRIEF_MASTER_KEY_FILE", raising=False)
    line = _Line()
    dirs = (str(tmp_path), str(tmp_path / "keys"))
    export_worker.serve(None, line, 1, {}, dirs, (["some-id"], ["DEBRIEF_MASTER_KEY"]))
    assert line.sent == [b"master key looked for elsewhere"]
    assert list(tmp_path.iterdir()) == []
