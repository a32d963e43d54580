from __future__ import annotations

from django.urls import URLPattern, path

from debrief.icflog import views

urlpatterns: list[URLPattern] = [
    path("", views.icf_log, name="icf_log"),
    path("icf-log.csv", views.icf_log_csv, name="icf_log_csv"),
    path("icf-log.xlsx", views.icf_log_xlsx, name="icf_log_xlsx"),
    path("opening-balance/", views.icf_opening_balance, name="icf_opening_balance"),
    path(
        "opening-balance/<uuid:code>/delete/",
        views.icf_opening_row_delete,
        name="icf_opening_row_delete",
    ),
]
