from __future__ import annotations

from django.urls import URLPattern, path

from debrief.exports import dossier_views, views
from debrief.exports import supervision_views as supervision

urlpatterns: list[URLPattern] = [
    path("", views.exports_page, name="exports"),
    path("journal.zip", views.journal_markdown, name="export_journal_markdown"),
    path("sessions/<uuid:code>/reflection.pdf", views.reflection_pdf, name="export_reflection_pdf"),
    path(
        "sessions/<uuid:code>/reflection.md",
        views.reflection_markdown,
        name="export_reflection_markdown",
    ),
    path("coachees/<uuid:code>/", views.coachee_exports, name="export_coachee"),
    path("coachees/<uuid:code>/dossier.pdf", views.coachee_pdf, name="export_coachee_pdf"),
    path("coachees/<uuid:code>/dossier/", dossier_views.dossier_start, name="export_dossier_start"),
    path("dossiers/<uuid:code>/", dossier_views.dossier_job, name="export_dossier_job"),
    path(
        "dossiers/<uuid:code>/dossier.pdf", dossier_views.dossier_job_pdf, name="export_dossier_pdf"
    ),
    path(
        "coachees/<uuid:code>/sessions.zip", views.coachee_markdown, name="export_coachee_markdown"
    ),
    path("sessions/<uuid:code>/supervision/", supervision.flag, name="supervision_flag"),
    path("supervision/", supervision.packs, name="supervision_packs"),
    path("supervision/<uuid:code>/", supervision.pack_review, name="supervision_pack"),
    path("supervision/<uuid:code>/pack.pdf", supervision.pack_pdf, name="supervision_pack_pdf"),
    path(
        "supervision/<uuid:code>/pack.zip",
        supervision.pack_markdown,
        name="supervision_pack_markdown",
    ),
    path(
        "supervision/<uuid:code>/delete/", supervision.pack_delete, name="supervision_pack_delete"
    ),
]
