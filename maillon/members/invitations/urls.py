from django.urls import path

from . import views

urlpatterns = [
    path("<int:person_id>/invite/", views.member_invite, name="invite"),
]

#: The link of the invitation email, under ``/invitations/`` (namespace "invitations").
accept_urlpatterns = [
    path("<str:token>/", views.invitation_accept_view, name="accept"),
]
