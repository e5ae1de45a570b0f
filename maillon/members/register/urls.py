from django.urls import path

from . import views

urlpatterns = [
    path("", views.member_list, name="list"),
    path("new/", views.member_create, name="create"),
    path("export/<str:file_format>/", views.member_export, name="export"),
    path("<int:person_id>/", views.member_detail, name="detail"),
    path("<int:person_id>/edit/", views.member_edit, name="edit"),
    path("<int:person_id>/leave/", views.member_leave, name="leave"),
]
