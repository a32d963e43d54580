from __future__ import annotations

from django.urls import URLPattern, path

from debrief.exchange import views

urlpatterns: list[URLPattern] = [
    path(
        "coachees/<uuid:code>/export.json",
        views.coachee_export_json,
        name="coachee_export_json",
    ),
    path(
        "coachees/<uuid:code>/export.html",
        views.coachee_export_html,
        name="coachee_export_html",
    ),
    path("coachees/<uuid:code>/export.pdf", views.coachee_export_pdf, name="coachee_export_pdf"),
    path("coachees/<uuid:code>/copy/", views.coachee_copy, name="coachee_copy"),
    path("coachees/<uuid:code>/erase/", views.coachee_erase, name="coachee_erase"),
    path("retention/", views.retention, name="retention"),
    path("retention/erase/", views.retention_apply, name="retention_apply"),
]
