"""URLs of the volunteer profile, under /me/volunteering/: the profile itself and
the unsubscribe link of the mission alerts (public: no sign-in)."""

from django.urls import path

from . import views

me_urlpatterns = [
    path("profile/", views.profile_edit, name="profile"),
    path("alerts/stop/<str:token>/", views.alerts_stop, name="alerts_stop"),
]
