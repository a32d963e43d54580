from django.urls import path

from debrief.followup import goal_views

urlpatterns = [
    path("new/<uuid:coachee_code>/", goal_views.goal_new, name="goal_new"),
    path("<uuid:code>/", goal_views.goal_edit, name="goal_edit"),
]
