# Included (no namespace of its own) by the volunteering URL modules.
from django.urls import path

from . import application_views as views

urlpatterns = [
    path("", views.application_list_view, name="applications"),
    path("<int:application_id>/", views.application_detail, name="application_detail"),
    path("<int:application_id>/reply/", views.application_reply, name="application_reply"),
    path("<int:application_id>/status/", views.application_status, name="application_status"),
]
