from django.urls import URLPattern, path

from debrief.firm import report_views, views

# Under "firm/": the administrator's pages, and the invitation link everyone else follows.
urlpatterns: list[URLPattern] = [
    path("", views.firm_home, name="firm_home"),
    path("people/", views.firm_people, name="firm_people"),
    path("people/<uuid:code>/", views.firm_person, name="firm_person"),
    path(
        "people/<uuid:code>/deactivate/",
        views.firm_person_deactivate,
        name="firm_person_deactivate",
    ),
    path(
        "people/<uuid:code>/reactivate/",
        views.firm_person_reactivate,
        name="firm_person_reactivate",
    ),
    path("invite/", views.firm_invite, name="firm_invite"),
    path(
        "invitations/<uuid:code>/revoke/",
        views.firm_invitation_revoke,
        name="firm_invitation_revoke",
    ),
    path("settings/", views.firm_settings, name="firm_settings"),
    path("reports/", report_views.firm_reports, name="firm_reports"),
    path("reports/csv/", report_views.firm_reports_csv, name="firm_reports_csv"),
    path("join/<str:token>/", views.firm_join, name="firm_join"),
]
