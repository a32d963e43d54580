from django.urls import path

from debrief.diary import views

urlpatterns = [
    path("", views.calendar_home, name="calendar"),
    path("import/", views.calendar_import, name="calendar_import"),
    path("review/", views.calendar_review, name="calendar_review"),
    path("feeds/", views.feed_add, name="calendar_feed_add"),
    path("feeds/<uuid:code>/fetch/", views.feed_fetch, name="calendar_feed_fetch"),
    path("feeds/<uuid:code>/remove/", views.feed_remove, name="calendar_feed_remove"),
    path("events/<uuid:code>/restore/", views.event_restore, name="calendar_event_restore"),
    path("link/", views.feed_out, name="calendar_feed_out"),
    path("feed/<str:token>.ics", views.feed_ics, name="calendar_feed_ics"),
]
