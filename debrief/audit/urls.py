from django.urls import path

from debrief.audit import views

urlpatterns = [
    path("activity/", views.audit_trail, name="audit_trail"),
]
