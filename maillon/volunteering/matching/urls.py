"""URLs of matching: the volunteers suggested for a mission (``urlpatterns``, under
/a/<slug>/volunteering/) and the missions suggested to a volunteer
(``me_urlpatterns``, under /me/volunteering/)."""

from django.urls import path

from . import views

urlpatterns = [
    path(
        "missions/<int:mission_id>/matches/",
        views.mission_matches,
        name="mission_matches",
    ),
    path(
        "missions/<int:mission_id>/matches/invite/",
        views.mission_invite,
        name="mission_invite",
    ),
]

me_urlpatterns = [
    path("suggestions/", views.suggestions, name="suggestions"),
]
