from django.urls import path

from debrief.journal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("sessions/new/", views.session_new, name="session_new"),
    path("sessions/next-number/", views.next_number, name="session_next_number"),
    path("sessions/<uuid:code>/", views.reflection_view, name="reflection_view"),
    path("sessions/<uuid:code>/details/", views.session_edit, name="session_edit"),
    path("sessions/<uuid:code>/delete/", views.session_delete, name="session_delete"),
    path("sessions/<uuid:code>/reflect/", views.reflection_edit, name="reflection_edit"),
    path("sessions/<uuid:code>/prepare/", views.session_prepare, name="session_prepare"),
    path("sessions/<uuid:code>/status/", views.reflection_status, name="reflection_status"),
]
