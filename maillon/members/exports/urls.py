"""Large member exports, included in the ``members`` namespace under
``/a/<association_slug>/members/exports/``."""

from django.urls import path

from . import views

urlpatterns = [
    path("<int:export_id>/", views.progress, name="export_progress"),
    path("<int:export_id>/download/", views.download, name="export_download"),
]
