"""Public mission pages across the network, no account needed: /missions/..."""

from django.urls import include, path

app_name = "missions"
urlpatterns = [
    path("", include("maillon.volunteering.public_mission_urls")),
    path("", include("maillon.volunteering.public_application_urls")),
]
