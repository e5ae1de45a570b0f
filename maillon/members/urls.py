"""Pages of the members module. ``urlpatterns`` (namespace "members") sit under
``/a/<association_slug>/members/``; ``invitation_urlpatterns`` (namespace
"invitations") under ``/invitations/``, reached from an email before any association."""

from django.urls import include, path

from .exports import urls as exports
from .fees import urls as fees
from .imports import urls as imports
from .invitations import urls as invitations
from .join_requests import urls as join_requests
from .linking import urls as linking
from .register import urls as register
from .reminders import urls as reminders
from .roles import urls as roles
from .self_service import urls as self_service

app_name = "members"
urlpatterns = [
    *register.urlpatterns,
    *roles.urlpatterns,
    *invitations.urlpatterns,
    *fees.urlpatterns,
    *reminders.urlpatterns,
    *join_requests.urlpatterns,
    path("import/", include(imports)),
    path("exports/", include(exports)),
]

invitation_urlpatterns = invitations.accept_urlpatterns
fee_reminder_urlpatterns = reminders.public_urlpatterns
me_urlpatterns = self_service.me_urlpatterns

#: The user's offers to link records under their verified address, under ``/me/links/``.
linking_urlpatterns = linking.urlpatterns
