"""Member import pages, included in the ``members`` namespace under
``/a/<association_slug>/members/import/``."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.upload, name="import_upload"),
    path("example.csv", views.example_file, name="import_template"),
    path("<int:import_id>/mapping/", views.mapping, name="import_mapping"),
    path("<int:import_id>/preview/", views.preview, name="import_preview"),
    path("<int:import_id>/confirm/", views.confirm, name="import_confirm"),
    path("<int:import_id>/progress/", views.progress, name="import_progress"),
    path("<int:import_id>/discard/", views.discard, name="import_discard"),
]
