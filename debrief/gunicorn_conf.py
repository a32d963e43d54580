"""gunicorn's settings for serving Debrief with several worker processes behind a proxy.

Started as ``.venv/bin/gunicorn -c python:debrief.gunicorn_conf`` (docs/deployment.md, "Several
worker processes"). It reads the same variables as ``manage.py serve`` (DEBRIEF_HOST, PORT,
DEBRIEF_TRUSTED_PROXY and its count) plus DEBRIEF_WORKERS and DEBRIEF_THREADS, refuses to start
on the same key problems, and runs the in-process job scheduler in every worker: a database
lease keeps each job to one run however many processes offer to run it (docs/jobs.md).
"""

from __future__ import annotations

import os
from typing import Any

from debrief.lib.env import ConfigError, env_int, env_ip, env_port

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "debrief.settings")

try:
    bind = f"{env_ip('DEBRIEF_HOST') or '127.0.0.1'}:{env_port('PORT', 8000)}"
    workers = env_int("DEBRIEF_WORKERS", 2, minimum=1)
    threads = env_int("DEBRIEF_THREADS", 4, minimum=1)
except ConfigError as error:
    raise SystemExit(f"Debrief did not start: {error}") from None

worker_class = "gthread"
wsgi_app = "debrief.wsgi:proxied_application()"
# gunicorn trusts nobody's X-Forwarded-* here: debrief/lib/forwarded.py applies waitress's rule
# (the address in DEBRIEF_TRUSTED_PROXY only), so both servers believe the same proxy alike.
forwarded_allow_ips = ""
forwarder_headers = ""
# No request lines in the logs (URLs hold only opaque codes, but keep logs quiet by default).
accesslog = None
proc_name = "debrief"


def on_starting(server: Any) -> None:
    """Check the keys and the proxy setting once, in the master, before any worker starts."""
    import django

    django.setup()
    from django.conf import settings
    from django.db import connections

    from debrief.privacy.checks import key_problems, refusal

    if settings.PRODUCTION and not settings.DEBRIEF_TRUSTED_PROXY:
        raise SystemExit(
            "Debrief did not start: DEBRIEF_ENV=production serves HTTPS through a reverse "
            "proxy, but DEBRIEF_TRUSTED_PROXY is not set (docs/deployment.md)."
        )
    problems = key_problems()
    connections.close_all()  # the workers are forked from here: each opens its own
    if problems:
        raise SystemExit(refusal(problems))


def post_worker_init(worker: Any) -> None:
    from django.conf import settings

    if settings.DEBRIEF_SCHEDULER:
        from debrief.jobs.runner import start_scheduler

        start_scheduler()
