from django.urls import path

from . import views

#: Under ``/me/links/`` (namespace "links"): the user's own offers, no association slug.
urlpatterns = [
    path("", views.record_links, name="offers"),
]
