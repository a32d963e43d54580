"""What `make bench` times is the served app: bench/served.py, bench.settings and its floor page."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings

from bench import practices, served
from tests.servers import ports

BENCH_MIDDLEWARE = ["bench.urls.query_count_middleware", *settings.MIDDLEWARE]


def test_the_product_has_no_bench_routes(alice_client: Client) -> None:
    assert alice_client.get("/bench/floor/").status_code == 404
    assert alice_client.get("/bench/bare/").status_code == 404


@override_settings(ROOT_URLCONF="bench.urls")
def test_the_floor_is_a_signed_in_page_with_the_base_layout(alice_client: Client) -> None:
    assert Client().get("/bench/floor/").status_code == 302  # to the sign-in page
    page = alice_client.get("/bench/floor/")
    assert page.status_code == 200
    assert "<h1>Floor</h1>" in page.content.decode()
    assert "Sign out" in page.content.decode()


@override_settings(ROOT_URLCONF="bench.urls", MIDDLEWARE=BENCH_MIDDLEWARE)
def test_queries_are_counted_only_when_asked(alice_client: Client) -> None:
    asked = alice_client.get("/bench/floor/", HTTP_X_BENCH_QUERIES="1")
    assert int(asked["X-Bench-Queries"]) >= 2  # the session and the coach, at least
    # A visitor who is not signed in: no middleware reads the session, the coach or their roles.
    assert Client().get("/bench/bare/", HTTP_X_BENCH_QUERIES="1")["X-Bench-Queries"] == "0"
    assert "X-Bench-Queries" not in alice_client.get("/bench/floor/")


def test_a_served_bench_signs_in_times_pages_and_autosaves_over_http() -> None:
    """The front door of every HTTP bench: `manage.py serve` in a throw-away installation."""
    with served.environment("servedtest", DJANGO_SETTINGS_MODULE="bench.settings") as env:
        served.manage(env, "migrate", "--noinput")
        email = "bench-test@example.com"
        coach = practices.create(env, [(email, 12, 1)], edits=1)[email]
        assert coach.sessions == 12 and coach.busiest >= 1
        with served.server(env, ports(8700, 8800)) as base:
            assert served.peak_memory_mb(base) > 10
            who = served.Coach(base, coach.session)
            floor = who.get("/bench/floor/")
            assert floor.status == 200 and "<h1>Floor</h1>" in floor.body and floor.ms > 0
            assert practices.queries(who, "/bench/floor/") >= 2
            stranger = served.Coach(base, "not-a-session")
            assert stranger.get("/bench/floor/").status == 302  # not followed: timed as is
            save = practices.Autosave(who, coach.edit)
            first, second = save(), save()  # the second sends the base the first returned
            assert first.status == second.status == 200
            page = who.get(coach.view).body
            assert "Bench autosave 2: we agreed a next step" in page
            with pytest.raises(served.BenchError, match="answered 404"):
                who.get("/no/such/page/")
        assert served.peak_memory_mb(base) == 0.0  # stopped: nothing left to read


def test_a_free_port_comes_from_the_range_asked() -> None:
    asked = ports(8700, 8800)
    port = served.free_port(asked)
    assert port in asked
    assert served.free_port([]) > 0


def test_a_bench_port_range_reads_as_a_range_and_refuses_nonsense() -> None:
    assert served.port_range("20100-20199") == range(20100, 20200)
    assert served.port_range("20100") == range(20100, 20101)
    assert served.port_range("") is None
    for bad in ("20199-20100", "80-90", "lots", "20100-", "20100-70000"):
        with pytest.raises(ValueError, match="--ports takes"):
            served.port_range(bad)


ANALYSED = """
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute(
        "SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables "
        "WHERE relname = 'journal_coachingsession'"
    )
    print("ANALYSED=%s" % cursor.fetchone()[0])
"""


def _analysed(env: dict[str, str]) -> bool:
    """Whether ANALYZE was run by hand (autovacuum's own runs are ``last_autoanalyze``)."""
    return served.shell(env, ANALYSED).rsplit("ANALYSED=", 1)[1].strip() == "True"


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="PostgreSQL only"
)
def test_a_bench_analyses_its_postgresql_database_before_timing() -> None:
    """Without statistics the planner guesses: a firm's goal scores were read by a scan of
    every coach's (bench.firm_scale's coachee page, 43 ms alone, about 60 ms in the firm)."""
    with served.environment("analysetest") as env:
        served.manage(env, "migrate", "--noinput")
        practices.create(env, [("analyse@example.com", 12, 1)], edits=1)
        assert not _analysed(env)
        assert served.analyze(env) in ("on", "off")
        assert _analysed(env)


def test_on_sqlite_a_bench_leaves_the_planner_as_an_installation_has_it() -> None:
    assert served.analyze({"DATABASE_URL": ""}) == ""


def _practice(email: str) -> practices.Practice:
    return practices.Practice(
        email=email, sessions=10, session="s", busiest=3, coachee="/c/", view="/v/",
        edit="/e/", edits=["/e/"], insights_coachee="/i/",
    )  # fmt: skip


def test_reuse_keeps_a_generated_installation_and_copies_it_next_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--reuse`` of bench.insights and bench.search: generate once, then copy and migrate."""
    ran: list[tuple[str, ...]] = []

    def manage(env: dict[str, str], *args: str) -> str:
        ran.append(args)
        return ""

    monkeypatch.setattr(served, "manage", manage)
    made: list[str] = []

    def make(data: Path) -> dict[str, practices.Practice]:
        (data / "db.sqlite3").write_text("generated")
        made.append("once")
        return {"a@example.com": _practice("a@example.com")}

    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    kept = tmp_path / "kept"
    generated = practices.reused({"DEBRIEF_DATA_DIR": str(first)}, kept, "10", lambda: make(first))
    copied = practices.reused({"DEBRIEF_DATA_DIR": str(second)}, kept, "10", lambda: make(second))
    assert made == ["once"]
    assert copied == generated == {"a@example.com": _practice("a@example.com")}
    assert (second / "db.sqlite3").read_text() == "generated"
    assert ran == [("migrate", "--noinput")] * 2


def test_reuse_keeps_nothing_for_postgresql(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(served, "manage", lambda env, *args: "")
    env = {"DEBRIEF_DATA_DIR": str(tmp_path), "DATABASE_URL": "postgres://x/y"}
    practices.reused(env, tmp_path / "kept", "10", lambda: {"a": _practice("a")})
    assert not (tmp_path / "kept").exists()
