"""The insights page in `make bench`: p95 at the big practice against the floor, cold and warm.

Called from run.py with the big coach's client and the small coach's. Measures, interleaved
with the floor (re-measured here, in the same run): the whole-practice page and the page for
the busiest coachee (with themes). Rendered charts and the practice's theme counts are kept
in process memory, so a repeated request is "warm"; the first request after a change is
"cold", timed once after clearing both.
"""

from __future__ import annotations

import time
from typing import Any

TARGET_MS = 300.0


def _urls(coach: Any) -> dict[str, str]:
    from django.db.models import Count
    from django.urls import reverse

    from debrief.coachees.models import Coachee

    busiest = (
        Coachee.objects.for_coach(coach).annotate(n=Count("sessions")).order_by("-n", "id").first()
    )
    assert busiest is not None
    page = reverse("insights")
    return {
        "insights (whole practice)": page,
        f"insights, one coachee ({busiest.n})": f"{page}?coachee={busiest.code}",
    }


def _cold_ms(client: Any, url: str) -> float:
    from debrief.insights import charts, themes

    charts.forget()
    themes.forget()
    started = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200, url
    return (time.perf_counter() - started) * 1000


def report(client: Any, small_client: Any, small_coach: Any, big_coach: Any, args: Any) -> None:
    from bench.run import measure

    urls = {"floor (trivial signed-in page)": "/bench/floor/", **_urls(big_coach)}
    pages = measure(client, urls, max(20, args.iterations // 4), max(3, args.warmup // 4))
    floor, measured = pages[0], pages[1:]
    print(f"\nInsights: p95 target < {TARGET_MS:.0f} ms (warm: charts and theme counts in memory)")
    heads = ("median ms", "p95 ms", "p95/floor", "cold ms")
    print(f"{'page':<36} " + " ".join(f"{h:>9}" for h in heads) + f" {'queries':>7}")
    print(f"{floor.name:<36} {floor.median:>9.2f} {floor.p95:>9.2f} {1:>8.1f}x")
    for page in measured:
        cold = _cold_ms(client, page.url)
        verdict = "PASS" if page.p95 < TARGET_MS and cold < TARGET_MS * 3 else "FAIL"
        print(
            f"{page.name:<36} {page.median:>9.2f} {page.p95:>9.2f} "
            f"{page.p95 / floor.p95:>8.1f}x {cold:>9.1f} {page.queries:>7}  {verdict}"
        )
    _flatness(small_client, small_coach, measured, args)


def _flatness(small_client: Any, small_coach: Any, measured: list[Any], args: Any) -> None:
    from bench.run import _count_queries

    small = list(_urls(small_coach).values())
    print(f"Insights queries at {args.small:,} and {args.sessions:,} sessions (flat = no N+1):")
    for page, url in zip(measured, small, strict=True):
        few = _count_queries(small_client, url)
        verdict = "PASS: flat" if few == page.queries else f"FAIL: grows by {page.queries - few}"
        print(f"{page.name.split(' (')[0].split(',')[0]:<36} {few:>7} {page.queries:>7}  {verdict}")
