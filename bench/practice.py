"""The practice pages against home, at 3,000 sessions: `python -m bench.practice`.

A separate entry point (bench/run.py is being rewritten): the same throw-away database, demo
practice and timing helpers as `make bench`, plus the demo's accreditation records, so the
practice page, each body's progress and the ICF log are timed beside home in the same run.
"""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.practice")
    parser.add_argument("--iterations", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--sessions", type=int, default=3000)
    args = parser.parse_args(argv)

    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "debrief.settings")
    django.setup()
    from django.conf import settings
    from django.test.utils import override_settings
    from django.utils import timezone

    from bench.run import _client, _practice, _print_timings, measure, throwaway_database
    from debrief.demo.accreditation import add_accreditation

    with (
        throwaway_database(),
        override_settings(
            ROOT_URLCONF="bench.urls",
            ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
            DEBUG=False,
        ),
    ):
        coach, _ = _practice("bench-practice@example.com", args.sessions, 1)
        add_accreditation(coach, timezone.localdate())
        urls = {
            "floor (trivial signed-in page)": "/bench/floor/",
            "home": "/",
            "practice": "/practice/",
            "progress ICF": "/practice/icf/",
            "progress EMCC": "/practice/emcc/",
            "progress AC": "/practice/ac/",
            "ICF log": "/icf-log/",
        }
        pages = measure(_client(coach), urls, args.iterations, args.warmup)
        _print_timings(pages[1:], pages[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
