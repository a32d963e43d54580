"""Our wrappers of a few allauth pages, mounted under "accounts/" just before allauth's own
URLs so that these paths (and names) resolve to the wrappers."""

from django.urls import URLPattern, path

from debrief.accounts import views

urlpatterns: list[URLPattern] = [
    path("2fa/recovery-codes/", views.recovery_codes, name="mfa_view_recovery_codes"),
    path(
        "2fa/recovery-codes/download/",
        views.recovery_codes_download,
        name="mfa_download_recovery_codes",
    ),
]
