"""The query planner's statistics for SQLite, which, unlike PostgreSQL, never gathers its own.

Without them SQLite guesses each index's selectivity, and on a coach's data its guesses pick a
scan of all the coach's rows for some of the insights and home page queries (at 10,000 sessions:
held sessions 8.1 ms, goal scores 9.3 ms, templates used 4.9 ms; with statistics 0.3, 0.08 and
2.4 ms). ``ANALYZE`` with an analysis limit samples each index rather than reading it whole: about
40 ms on a 150 MB database of 13,300 sessions. It runs when ``manage.py serve`` starts and every
six hours as the ``database_statistics`` job. PostgreSQL's autovacuum keeps its statistics (on a
server where it is off, ``ANALYZE`` is the operator's: docs/deployment.md).
"""

from __future__ import annotations

import time

from django.db import connections

# Rows SQLite reads from each index to estimate it (``PRAGMA analysis_limit``): enough for the
# planner to tell a coach's index from a scan, small enough to keep a large journal's run short.
ANALYSIS_LIMIT = 1000


def refresh(using: str = "default") -> str:
    """Refresh the planner's statistics on SQLite; a one-line summary, counts only."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return "not needed: PostgreSQL's autovacuum keeps the planner's statistics"
    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
        cursor.execute("ANALYZE")
    return f"SQLite planner statistics refreshed in {(time.perf_counter() - began) * 1000:.0f} ms"
