"""The dossier drawn in the background: start it, watch it, download it (``dossier_jobs``).

Starting goes through the coachee's choke point (another coach's code is a 404) and asks for
the password again, as every export does; the job's own pages are found only among the
coach's own jobs (404 otherwise) and the download asks again if the confirmation lapsed
while the file was drawn. The file is handed over once: downloading drops it.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from debrief.exchange.reauth import needs_reauthentication, reauthenticate_then
from debrief.exports import dossier_jobs
from debrief.exports.models import DossierJob
from debrief.exports.views import PDF, _chosen, _dossier_page, _stamp, download
from debrief.lib.http import AuthedRequest

REFRESH_SECONDS = 2


def _job_for(request: AuthedRequest, code: UUID) -> DossierJob:
    job = (
        DossierJob.objects.for_coach(request.user)
        .select_related("coachee")
        .filter(code=code)
        .first()
    )
    if job is None or dossier_jobs.expired(job, timezone.now()):
        raise Http404
    return job


@login_required
@require_GET
def dossier_start(request: AuthedRequest, code: UUID) -> HttpResponse:
    """The export page's "Download PDF": start the drawing (or find it started), then watch it.

    A GET like the direct ``dossier.pdf`` it stands in for (the same form sends the Markdown
    download, and a CSRF token in that URL would leak). Asking again for the same sessions
    and details while a job runs or waits shows that job: a reload starts nothing new.
    """
    coachee, form, data = _chosen(request, code)
    if data is None:
        return _dossier_page(request, coachee, form, status=400)
    if needs_reauthentication(request):
        return reauthenticate_then(request, request.get_full_path())
    job = dossier_jobs.start(request.user, coachee, data)
    return redirect("export_dossier_job", job.code)


@login_required
@require_GET
def dossier_job(request: AuthedRequest, code: UUID) -> HttpResponse:
    job = _job_for(request, code)
    ready = job.state == DossierJob.State.READY
    failed = dossier_jobs.failed(job, timezone.now())
    ctx = {
        "job": job,
        "coachee": job.coachee,
        "ready": ready,
        "failed": failed,
        "refresh": None if ready or failed else REFRESH_SECONDS,
        "keep_minutes": int(dossier_jobs.KEEP.total_seconds() // 60),
    }
    return render(request, "exports/dossier_job.html", ctx)


@login_required
@require_GET
def dossier_job_pdf(request: AuthedRequest, code: UUID) -> HttpResponse:
    job = _job_for(request, code)
    if needs_reauthentication(request):
        return reauthenticate_then(request, request.get_full_path())
    if job.state != DossierJob.State.READY:
        return HttpResponseRedirect(reverse("export_dossier_job", args=[job.code]))
    body = dossier_jobs.hand_over(job)
    if body is None:  # another request took it first
        return HttpResponseRedirect(reverse("export_dossier_job", args=[job.code]))
    name = f"debrief-dossier-{str(job.coachee.code)[:8]}-{_stamp()}.pdf"
    return download(request, body, PDF, name, format="dossier-pdf", sessions=job.total)
