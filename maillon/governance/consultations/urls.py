"""Consultations (proposals, quick polls), under
/a/<association_slug>/governance/consultations/ (namespace "governance")."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.consultations, name="consultations"),
    path("proposals/new/", views.proposal_create, name="proposal_create"),
    path("proposals/attach/", views.proposals_attach, name="proposals_attach"),
    path("proposals/<int:proposal_id>/", views.proposal_detail, name="proposal_detail"),
    path("proposals/<int:proposal_id>/support/", views.proposal_support, name="proposal_support"),
    path(
        "proposals/<int:proposal_id>/unsupport/",
        views.proposal_unsupport,
        name="proposal_unsupport",
    ),
    path("proposals/<int:proposal_id>/comment/", views.proposal_comment, name="proposal_comment"),
    path("polls/new/", views.quick_poll_create, name="quick_poll_create"),
    path("polls/new-date/", views.date_poll_create, name="date_poll_create"),
    path("polls/<int:poll_id>/", views.quick_poll_detail, name="quick_poll_detail"),
    path("polls/<int:poll_id>/answer/", views.quick_poll_answer, name="quick_poll_answer"),
    path("polls/<int:poll_id>/close/", views.quick_poll_close, name="quick_poll_close"),
]
