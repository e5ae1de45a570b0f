"""Back-office of events, under ``/a/<association_slug>/events/`` (namespace "events")."""

from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    path("", views.event_list_view, name="list"),
    path("new/", views.event_create, name="create"),
    path("<int:event_id>/", views.event_detail, name="detail"),
    path("<int:event_id>/edit/", views.event_edit, name="edit"),
    path("<int:event_id>/publish/", views.event_publish, name="publish"),
    path("<int:event_id>/cancel/", views.event_cancel, name="cancel"),
    path("<int:event_id>/registrations/", views.registrations, name="registrations"),
    path(
        "<int:event_id>/registrations/<int:registration_id>/check-in/",
        views.check_in,
        name="check_in",
    ),
    path(
        "<int:event_id>/registrations/<int:registration_id>/cancel/",
        views.registration_cancel,
        name="registration_cancel",
    ),
    path("<int:event_id>/walk-in/", views.walk_in, name="walk_in"),
    path("<int:event_id>/attendance.csv", views.attendance_csv, name="attendance_csv"),
    path("<int:event_id>/sign-in-sheet/", views.sign_in_sheet, name="sign_in_sheet"),
]
