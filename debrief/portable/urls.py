from __future__ import annotations

from django.urls import URLPattern, path

from debrief.portable import views

urlpatterns: list[URLPattern] = [
    path("journal/", views.journal, name="journal_move"),
    path("journal/export.json", views.journal_export, name="journal_export"),
    path("journal/import/", views.journal_import, name="journal_import"),
    path("past-sessions/", views.sheet, name="past_sessions"),
    path("past-sessions/template.csv", views.sheet_template_csv, name="past_sessions_csv"),
    path("past-sessions/template.xlsx", views.sheet_template_xlsx, name="past_sessions_xlsx"),
    path("past-sessions/preview/", views.sheet_preview, name="past_sessions_preview"),
    path("past-sessions/confirm/", views.sheet_confirm, name="past_sessions_confirm"),
]
