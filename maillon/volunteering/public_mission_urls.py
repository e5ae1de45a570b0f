# Included (no namespace of its own) by the volunteering URL modules.
from django.urls import path

from . import public_views as views

urlpatterns = [
    path("", views.mission_search_view, name="search"),
    path("feed.atom", views.MissionSearchFeed(), name="feed"),
    path("embed/<slug:slug>/", views.mission_embed_view, name="embed"),
    path("<int:mission_id>/", views.mission_public_detail_view, name="detail"),
]
