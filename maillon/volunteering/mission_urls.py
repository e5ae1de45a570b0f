# Included (no namespace of its own) by the volunteering URL modules.
from django.urls import path

from . import mission_views as views

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
