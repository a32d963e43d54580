"""The product's settings, served with the bench's URLs: ``DJANGO_SETTINGS_MODULE=bench.settings``.

Only two differences from ``debrief.settings``, so the served process is the one ``make run``
serves: the floor pages exist (``bench/urls.py``, kept out of the product's URLs), and a request
carrying ``X-Bench-Queries: 1`` gets its query count back in a header of the same name (the bench
asks on untimed requests only; others pay one header lookup), and one carrying ``X-Bench-CPU: 1``
its CPU milliseconds.
"""

from __future__ import annotations

from debrief.settings import *  # noqa: F403 - the product's settings, unchanged but for below
from debrief.settings import MIDDLEWARE

ROOT_URLCONF = "bench.urls"
MIDDLEWARE = ["bench.urls.query_count_middleware", *MIDDLEWARE]
