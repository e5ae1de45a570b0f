"""Pages of the associations module. ``urlpatterns`` (namespace "backoffice") sit
under ``/a/<association_slug>/``; ``public_urlpatterns`` (namespace "associations")
under ``/associations/``: the directory, a public page, creating an association."""

from django.urls import path

from . import views

app_name = "backoffice"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("settings/", views.settings_view, name="settings"),
    path("settings/statutes/", views.statutes_view, name="statutes"),
    path("settings/modules/", views.modules_view, name="modules"),
    path("audit/", views.audit_view, name="audit"),
]

public_urlpatterns = [
    path("", views.directory, name="directory"),
    path("new/", views.association_create_view, name="create"),
    path("<slug:slug>/", views.public_page, name="public"),
    path("<slug:slug>/join/", views.join_request_view, name="join"),
]
