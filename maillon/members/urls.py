from django.urls import include, path

from . import views

app_name = "members"
urlpatterns = [
    path("", views.member_list, name="list"),
    path("new/", views.member_create, name="create"),
    path("export/<str:file_format>/", views.member_export, name="export"),
    path("<int:person_id>/", views.member_detail, name="detail"),
    path("<int:person_id>/edit/", views.member_edit, name="edit"),
    path("<int:person_id>/roles/", views.member_roles, name="roles"),
    path("<int:person_id>/leave/", views.member_leave, name="leave"),
    path("<int:person_id>/invite/", views.member_invite, name="invite"),
    path("<int:person_id>/fees/new/", views.fee_add, name="fee_add"),
    path("<int:person_id>/fees/<int:period_id>/delete/", views.fee_delete, name="fee_delete"),
    path("join-requests/", views.join_requests, name="join_requests"),
    path(
        "join-requests/<int:join_request_id>/decide/",
        views.join_request_decide_view,
        name="join_request_decide",
    ),
    path("import/", include("maillon.members.import_urls")),
]
