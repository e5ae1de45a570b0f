from django.urls import path

from . import views

# Under /me/volunteering/help-requests/ (namespace "help_for_volunteer").
me_urlpatterns = [
    path("", views.requests_for_me, name="list"),
]
