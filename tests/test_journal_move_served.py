"""The round trip across two installations, each served as `make run` serves it.

One throw-away installation (its own data directory, keys and database) gets a practice and
exports it over HTTP; a second, empty one imports the file through the page and exports it
again: the two files are the same but for ``exported_at``. This is the bench's path
(bench/portable.py) at a small size.
"""

from __future__ import annotations

import json

from bench import portable
from tests.servers import ports


def test_a_journal_moves_to_another_installation_unchanged() -> None:
    done = portable._export(30, ports(8220, 8240), downloads=2)  # as --against-jrnl, twice
    assert len(done.seconds) == len(done.cpu) == 2 and done.same
    body = done.body
    first = json.loads(body)
    assert first["counts"]["sessions"] == 30 and first["coachees"]
    _taken, _cpu, _peak, again = portable._import(body, ports(8220, 8240))
    second = json.loads(again)
    first.pop("exported_at")
    second.pop("exported_at")
    assert second == first
    # The codes were kept: another installation had none of them.
    assert second["coachees"][0]["code"] == first["coachees"][0]["code"]


def test_the_bench_compares_exports_without_their_stamp() -> None:
    head = '{"format":"debrief-journal","version":2,"exported_at":"%s","coach":{}}'
    one, two = head % "2026-12-01T09:00:00+00:00", head % "2026-12-02T10:30:00.5+00:00"
    assert portable._unstamped(one) == portable._unstamped(two) != one
    assert portable._unstamped(one) != portable._unstamped(one.replace("{}", '{"a":1}'))
