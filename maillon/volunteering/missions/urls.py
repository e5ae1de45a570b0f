"""URLs of missions: the back-office (``urlpatterns``, under
/a/<slug>/volunteering/) and the public pages (``public_urlpatterns``, under
/missions/), composed by the volunteering ``urls`` module."""

from django.urls import path

from . import views

urlpatterns = [
    path("missions/", views.mission_list_view, name="missions"),
    path("missions/new/", views.mission_create_view, name="mission_create"),
    path("missions/<int:mission_id>/", views.mission_detail_view, name="mission_detail"),
    path("missions/<int:mission_id>/edit/", views.mission_edit_view, name="mission_edit"),
    path("missions/<int:mission_id>/publish/", views.mission_publish_view, name="mission_publish"),
    path("missions/<int:mission_id>/full/", views.mission_mark_full_view, name="mission_mark_full"),
    path("missions/<int:mission_id>/close/", views.mission_close_view, name="mission_close"),
    path("missions/<int:mission_id>/reopen/", views.mission_reopen_view, name="mission_reopen"),
]

public_urlpatterns = [
    path("", views.mission_search_view, name="search"),
    path("feed.atom", views.MissionSearchFeed(), name="feed"),
    path("embed/<slug:slug>/", views.mission_embed_view, name="embed"),
    path("<int:mission_id>/", views.mission_public_detail_view, name="detail"),
]
