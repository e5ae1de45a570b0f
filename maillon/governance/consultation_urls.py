"""Consultations (proposals, quick polls), minutes and the CNIL risk wizard.
Included by ``governance/urls.py`` under
``/a/<association_slug>/governance/consultations/`` (namespace "governance")."""

from django.urls import path

from . import consultation_views as views

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
    path("minutes/<int:assembly_id>/", views.minutes_detail, name="minutes_detail"),
    path("minutes/<int:assembly_id>/generate/", views.minutes_generate, name="minutes_generate"),
    path("minutes/<int:assembly_id>/edit/", views.minutes_edit, name="minutes_edit"),
    path("minutes/<int:assembly_id>/pdf", views.minutes_pdf_download, name="minutes_pdf"),
    path("cnil/<int:assembly_id>/", views.cnil_wizard, name="cnil_wizard"),
]
