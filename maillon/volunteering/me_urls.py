"""A volunteer's own space: /me/volunteering/... (profile, applications, hours)."""

from django.urls import include, path

app_name = "volunteer"
urlpatterns = [
    path("", include("maillon.volunteering.me_profile_urls")),
    path("applications/", include("maillon.volunteering.me_application_urls")),
    path("hours/", include("maillon.volunteering.me_hours_urls")),
]
