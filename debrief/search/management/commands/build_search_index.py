from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from debrief.accounts.models import User
from debrief.search import index
from debrief.search.models import SearchShard


class Command(BaseCommand):
    help = (
        "Build every coach's sealed search index now, instead of at their first search "
        "(useful after an upgrade or a large import; safe to run at any time)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for coach_id in User.objects.order_by("id").values_list("id", flat=True):
            started = time.perf_counter()
            view = index.index_for(coach_id)
            index.forget(coach_id)  # this process serves no searches: keep nothing in memory
            self.stdout.write(
                f"Coach {coach_id}: {len(view.sessions):,} sessions and "
                f"{len(view.profiles):,} coachees indexed in {time.perf_counter() - started:.1f} s."
            )
        self.stdout.write(f"Done: {SearchShard.objects.count():,} sealed shards in all.")
