from django.urls import include, path

urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("", include("debrief.journal.urls")),
    path("coachees/", include("debrief.coachees.urls")),
    path("actions/", include("debrief.followup.urls")),
]
