from __future__ import annotations

from django.urls import URLPattern, path

from debrief.practice import entries, views

urlpatterns: list[URLPattern] = [
    path("", views.practice, name="practice"),
    path("bodies/", views.practice_setup, name="practice_setup"),
    path("clients/", views.practice_clients, name="practice_clients"),
    path("<slug:body>/", views.practice_progress, name="practice_progress"),
    path("<slug:body>/logs.xlsx", views.practice_workbook, name="practice_workbook"),
    path("<slug:body>/portfolio.pdf", views.practice_portfolio, name="practice_portfolio"),
    path("<slug:body>/<slug:slug>.<slug:fmt>", views.practice_log, name="practice_log"),
    path("cpd/<uuid:code>/certificate", entries.cpd_certificate, name="cpd_certificate"),
]
for _kind in entries.KINDS:
    urlpatterns += [
        path(f"{_kind}/new/", entries.entry_new, {"kind": _kind}, name=f"entry_new_{_kind}"),
        path(
            f"{_kind}/<uuid:code>/",
            entries.entry_edit,
            {"kind": _kind},
            name=f"entry_edit_{_kind}",
        ),
        path(
            f"{_kind}/<uuid:code>/delete",
            entries.entry_delete,
            {"kind": _kind},
            name=f"entry_delete_{_kind}",
        ),
    ]
