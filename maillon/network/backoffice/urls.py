from django.urls import path

from . import views
from .observatory import network_observatory

urlpatterns = [
    path("", views.members, name="members"),
    path("members/export.<str:file_format>", views.members_export, name="members_export"),
    path("observatory/", network_observatory, name="observatory"),
]
