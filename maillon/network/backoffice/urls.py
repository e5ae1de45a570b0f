from django.urls import path

from . import views

urlpatterns = [
    path("", views.members, name="members"),
    path("members/export.<str:file_format>", views.members_export, name="members_export"),
]
