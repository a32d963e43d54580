from django.urls import path

from debrief.followup import views

urlpatterns = [
    path("", views.action_list, name="action_list"),
    path("<uuid:code>/status/", views.action_status, name="action_status"),
]
