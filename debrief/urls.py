from django.urls import include, path

from debrief.api.api import api
from debrief.supervision.urls import coach_urlpatterns, supervisor_urlpatterns

urlpatterns = [
    # Ours first: a few allauth pages wrapped for the audit trail (same paths and names).
    path("accounts/", include("debrief.accounts.allauth_urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("debrief.journal.urls")),
    path("coachees/", include("debrief.coachees.urls")),
    path("actions/", include("debrief.followup.urls")),
    path("goals/", include("debrief.followup.goal_urls")),
    path("security/", include("debrief.accounts.urls")),
    path("security/", include("debrief.audit.urls")),
    path("security/api-tokens/", include("debrief.api.urls")),
    path("api/v1/", api.urls),
    path("exchange/", include("debrief.exchange.urls")),
    path("icf-log/", include("debrief.icflog.urls")),
    path("templates/", include("debrief.prompts.urls")),
    path("techniques/", include("debrief.techniques.urls")),
    path("insights/", include("debrief.insights.urls")),
    path("search/", include("debrief.search.urls")),
    path("calendar/", include("debrief.diary.urls")),
    path("reminders/", include("debrief.reminders.urls")),
    path("practice/", include("debrief.practice.urls")),
    path("backup/", include("debrief.backup.urls")),
    path("move/", include("debrief.portable.urls")),
    path("exports/", include("debrief.exports.urls")),
    path("firm/", include("debrief.firm.urls")),
    path("shares/", include(coach_urlpatterns)),
    path("supervise/", include(supervisor_urlpatterns)),
]

# A form too large to read (DATA_UPLOAD_MAX_*) gets a page that says so.
handler400 = "debrief.errors.bad_request"
