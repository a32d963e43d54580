from django.urls import path

from debrief.coachees import handover_views, views

urlpatterns = [
    path("", views.coachee_list, name="coachee_list"),
    path("new/", views.coachee_new, name="coachee_new"),
    path("<uuid:code>/", views.coachee_detail, name="coachee_detail"),
    path("<uuid:code>/edit/", views.coachee_edit, name="coachee_edit"),
    path("<uuid:code>/status/", views.coachee_status, name="coachee_status"),
    path("<uuid:code>/hand-over/", handover_views.coachee_handover, name="coachee_handover"),
    path("hand-overs/", handover_views.handovers, name="handovers"),
    path("hand-overs/<uuid:code>/", handover_views.handover_detail, name="handover_detail"),
]
