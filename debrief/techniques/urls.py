from django.urls import path

from debrief.techniques import views

urlpatterns = [
    path("", views.technique_list, name="technique_list"),
    path("<uuid:code>/retire/", views.technique_retire, name="technique_retire"),
]
