"""The coach's page about backups, and the printable recovery sheet."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from debrief.backup import archive, masterkey
from debrief.backup.models import BackupRun
from debrief.lib.http import AuthedRequest


def _database() -> str:
    # Never the URL: it may carry a password.
    if connection.vendor == "sqlite":
        return f"SQLite, the file {connection.settings_dict['NAME']}"
    host = connection.settings_dict.get("HOST") or "localhost"
    return f"PostgreSQL, the database {connection.settings_dict['NAME']} on {host}"


def _ctx() -> dict[str, Any]:
    runs = list(BackupRun.objects.all()[:5])
    return {
        "runs": runs,
        "last": runs[0] if runs else None,
        "key": masterkey.place(),
        "fingerprint": masterkey.fingerprint(),
        "data_dir": settings.DATA_DIR,
        "keys_dir": settings.DEBRIEF_KEYS_DIR,
        "database": _database(),
        "project_dir": settings.BASE_DIR,
        "extension": archive.EXTENSION,
        "scheduled_dir": settings.DEBRIEF_BACKUP_DIR,
        "keep_days": settings.DEBRIEF_BACKUP_KEEP_DAYS,
    }


@login_required
@require_GET
def backup_page(request: AuthedRequest) -> HttpResponse:
    return render(request, "backup/page.html", _ctx())


@login_required
@require_GET
def recovery_sheet(request: AuthedRequest) -> HttpResponse:
    return render(request, "backup/recovery_sheet.html", _ctx())
