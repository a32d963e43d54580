from __future__ import annotations

import os
from typing import TYPE_CHECKING

from django.core.wsgi import get_wsgi_application

from debrief.lib import arenas

if TYPE_CHECKING:
    from debrief.lib.forwarded import WSGIApp

arenas.limit()  # before any serving thread starts (debrief/lib/arenas.py)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "debrief.settings")
application = get_wsgi_application()


def proxied_application() -> WSGIApp:
    """The application for gunicorn (debrief/gunicorn_conf.py): it believes the trusted proxy."""
    from django.conf import settings

    from debrief.lib.forwarded import behind

    return behind(
        application,
        settings.DEBRIEF_TRUSTED_PROXY,
        settings.DEBRIEF_TRUSTED_PROXY_COUNT,
    )
