from django.urls import path

from debrief.insights import views

urlpatterns = [
    path("", views.insights, name="insights"),
]
