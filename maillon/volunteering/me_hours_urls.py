# Included (no namespace of its own) by the volunteering URL modules.
from django.urls import path

from . import hours_views

urlpatterns = [
    path("", hours_views.me_hours, name="hours"),
    path("<slug:slug>/certificate/", hours_views.me_certificate, name="hours_certificate"),
]
