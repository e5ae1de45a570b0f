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
