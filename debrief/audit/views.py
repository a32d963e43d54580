from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from debrief.audit.models import AuditEvent
from debrief.lib.http import AuthedRequest

PER_PAGE = 50


@login_required
@require_GET
def audit_trail(request: AuthedRequest) -> HttpResponse:
    events = AuditEvent.objects.for_coach(request.user).order_by("-at", "-pk")
    page = Paginator(events, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "audit/trail.html", {"page": page})
