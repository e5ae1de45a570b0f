"""Member import pages, included in the ``members`` namespace under
``/a/<association_slug>/members/import/``."""

from django.urls import path

from . import import_views

urlpatterns = [
    path("", import_views.upload, name="import_upload"),
    path("example.csv", import_views.example_file, name="import_template"),
    path("<int:import_id>/mapping/", import_views.mapping, name="import_mapping"),
    path("<int:import_id>/preview/", import_views.preview, name="import_preview"),
    path("<int:import_id>/confirm/", import_views.confirm, name="import_confirm"),
    path("<int:import_id>/progress/", import_views.progress, name="import_progress"),
    path("<int:import_id>/discard/", import_views.discard, name="import_discard"),
]
