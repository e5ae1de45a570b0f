from django.urls import path

from . import views

urlpatterns = [
    path("<int:person_id>/roles/", views.member_roles, name="roles"),
]
