from django.urls import URLPattern, path

from debrief.accounts import views

# Under "security/": the coach's overview of how their account is protected.
urlpatterns: list[URLPattern] = [
    path("", views.security, name="account_security"),
]
