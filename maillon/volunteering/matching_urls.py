# Included by urls (namespace "volunteering"): volunteers matching a mission.
from django.urls import path

from . import matching_views

urlpatterns = [
    path(
        "missions/<int:mission_id>/matches/",
        matching_views.mission_matches,
        name="mission_matches",
    ),
    path(
        "missions/<int:mission_id>/matches/invite/",
        matching_views.mission_invite,
        name="mission_invite",
    ),
]
