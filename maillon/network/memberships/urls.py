from django.urls import path

from . import views

association_urlpatterns = [
    path("", views.association_networks, name="list"),
    path("request/", views.association_join_request, name="request"),
    path("<int:membership_id>/answer/", views.association_answer, name="answer"),
    path("<int:membership_id>/consent/", views.association_consent, name="consent"),
    path("<int:membership_id>/leave/", views.association_leave, name="leave"),
]

urlpatterns = [
    path("invitations/", views.network_invitations, name="invitations"),
    path("invitations/send/", views.network_invite, name="invite"),
    path("invitations/<int:membership_id>/answer/", views.network_answer, name="answer"),
    path("members/<int:membership_id>/remove/", views.network_remove, name="remove"),
]
