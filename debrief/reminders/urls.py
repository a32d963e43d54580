from django.urls import path

from debrief.reminders import views

urlpatterns = [path("", views.reminders, name="reminders")]
