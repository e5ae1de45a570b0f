"""Poll pages, under /a/<association_slug>/governance/polls/ (namespace "governance")."""

from django.urls import path

from . import views

urlpatterns = [
    path("<int:assembly_id>/new/", views.poll_create, name="poll_create"),
    path("<int:poll_id>/", views.poll_detail, name="poll_detail"),
    path("<int:poll_id>/edit/", views.poll_edit, name="poll_edit"),
    path("<int:poll_id>/delete/", views.poll_delete, name="poll_delete"),
    path("<int:poll_id>/open/", views.poll_open, name="poll_open"),
    path("<int:poll_id>/close/", views.poll_close, name="poll_close"),
    path("<int:poll_id>/publish/", views.poll_publish, name="poll_publish"),
    path("<int:poll_id>/vote/", views.poll_vote, name="poll_vote"),
    path("<int:poll_id>/record/", views.poll_record, name="poll_record"),
    path("<int:poll_id>/room-counts/", views.poll_room_counts, name="poll_room_counts"),
    path("<int:poll_id>/results/", views.poll_results, name="poll_results"),
    path("<int:poll_id>/results.csv", views.poll_results_csv, name="poll_results_csv"),
    path("<int:poll_id>/results.json", views.poll_results_json, name="poll_results_json"),
    path("<int:poll_id>/ballots/", views.poll_ballots, name="poll_ballots"),
    path("<int:poll_id>/ballots.csv", views.poll_ballots_csv, name="poll_ballots_csv"),
    path("<int:poll_id>/verify/", views.poll_verify, name="poll_verify"),
    path("assemblies/<int:assembly_id>/vote/", views.assembly_ballot, name="assembly_ballot"),
]
