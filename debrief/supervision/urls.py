from __future__ import annotations

from django.urls import URLPattern, path

from debrief.supervision import supervise_views as supervise
from debrief.supervision import views

# Under "shares/": the coach's own page (a journal page, coaches only).
coach_urlpatterns: list[URLPattern] = [
    path("", views.shares, name="shares"),
    path("<uuid:code>/revoke/", views.share_revoke, name="share_revoke"),
]

# Under "supervise/": the supervisor's pages (the roles middleware lets a supervisor who is
# not a coach reach them; each needs the supervisor role and a share open to them).
supervisor_urlpatterns: list[URLPattern] = [
    path("", supervise.supervise_home, name="supervise_home"),
    path("<uuid:code>/", supervise.supervise_share, name="supervise_share"),
    path("<uuid:code>/record/", supervise.supervise_record, name="supervise_record"),
    path("sessions/<uuid:code>/sign-off/", supervise.supervise_sign_off, name="supervise_sign_off"),
]
