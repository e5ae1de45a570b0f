"""Back-office of the volunteering module: /a/<slug>/volunteering/..."""

from django.urls import include, path

app_name = "volunteering"
urlpatterns = [
    path("", include("maillon.volunteering.mission_urls")),
    path("applications/", include("maillon.volunteering.application_urls")),
    path("", include("maillon.volunteering.hours_urls")),
    path("", include("maillon.volunteering.matching_urls")),
]
