from django.urls import URLPattern, path

from debrief.api import views

# Under "security/api-tokens/": the coach's personal access tokens.
urlpatterns: list[URLPattern] = [
    path("", views.token_list, name="api_tokens"),
    path("<uuid:code>/revoke/", views.token_revoke, name="api_token_revoke"),
]
