"""A member's own pages in one association (``me_urlpatterns``, namespace "my", under
/me/a/<association_slug>/)."""

from django.urls import path

from . import views

me_urlpatterns = [
    path("", views.membership, name="membership"),
    path("details/", views.details, name="details"),
]
