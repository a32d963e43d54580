from __future__ import annotations

from django.urls import URLPattern, path

from debrief.backup import views

urlpatterns: list[URLPattern] = [
    path("", views.backup_page, name="backup"),
    path("recovery-sheet/", views.recovery_sheet, name="recovery_sheet"),
]
