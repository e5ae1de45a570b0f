# Included by me_urls (namespace "volunteer"): the volunteer profile, the missions
# suggested to them and the unsubscribe link of the mission alerts.
from django.urls import path

from . import matching_views

urlpatterns = [
    path("profile/", matching_views.profile_edit, name="profile"),
    path("suggestions/", matching_views.suggestions, name="suggestions"),
    # Public (no sign-in): the link of the alert emails.
    path("alerts/stop/<str:token>/", matching_views.alerts_stop, name="alerts_stop"),
]
