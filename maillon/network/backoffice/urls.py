from django.urls import path

from . import views
from .observatory import (
    network_observatory,
    network_wave_open_view,
    network_wave_publish_view,
)

urlpatterns = [
    path("", views.members, name="members"),
    path("members/export.<str:file_format>", views.members_export, name="members_export"),
    path("observatory/", network_observatory, name="observatory"),
    path("observatory/waves/open/", network_wave_open_view, name="observatory_wave_open"),
    path("observatory/waves/publish/", network_wave_publish_view, name="observatory_wave_publish"),
]
