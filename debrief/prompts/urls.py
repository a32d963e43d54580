from django.urls import path

from debrief.prompts import views

urlpatterns = [
    path("", views.template_library, name="template_library"),
    path("import/", views.template_import, name="template_import"),
    path("defaults/", views.template_defaults, name="template_defaults"),
    path("for-session/<uuid:code>/", views.reflection_template, name="reflection_template"),
    path("<uuid:code>/", views.template_detail, name="template_detail"),
    path("<uuid:code>/copy/", views.template_copy, name="template_copy"),
    path("<uuid:code>/edit/", views.template_edit, name="template_edit"),
    path("<uuid:code>/preview/", views.template_preview, name="template_preview"),
    path("<uuid:code>/retire/", views.template_retire, name="template_retire"),
    path("<uuid:code>/delete/", views.template_delete, name="template_delete"),
    path("<uuid:code>/export/", views.template_export, name="template_export"),
]
