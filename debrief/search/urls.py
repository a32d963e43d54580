from django.urls import path

from debrief.search import views

urlpatterns = [
    path("", views.search_page, name="search"),
]
