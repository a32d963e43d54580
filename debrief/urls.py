from django.urls import include, path

urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("", include("debrief.journal.urls")),
    path("coachees/", include("debrief.coachees.urls")),
    path("actions/", include("debrief.followup.urls")),
    path("security/", include("debrief.audit.urls")),
    path("exchange/", include("debrief.exchange.urls")),
]
