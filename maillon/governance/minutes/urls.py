"""Minutes of an assembly, under
/a/<association_slug>/governance/consultations/minutes/ (namespace "governance")."""

from django.urls import path

from . import views

urlpatterns = [
    path("<int:assembly_id>/", views.minutes_detail, name="minutes_detail"),
    path("<int:assembly_id>/generate/", views.minutes_generate, name="minutes_generate"),
    path("<int:assembly_id>/edit/", views.minutes_edit, name="minutes_edit"),
    path("<int:assembly_id>/pdf", views.minutes_pdf_download, name="minutes_pdf"),
]
