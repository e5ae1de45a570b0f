"""URL of the engagement dashboard, under /a/<slug>/volunteering/."""

from django.urls import path

from . import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
]
