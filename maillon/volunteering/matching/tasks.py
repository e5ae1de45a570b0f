"""Background tasks of matching (django-tasks): the email inviting a volunteer to
apply to a mission, and the daily round of mission alerts."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from maillon.associations.models import Association
from maillon.associations.tasks import association_task

from ..models import MissionInvitation, Source
from .selectors import mission_public_url

# The invitation's link tells the mission's statistics where the visitor came from.
INVITATION_SOURCE = Source.OTHER


@association_task()
def send_invitation_email(association: Association, *, invitation_id: int) -> bool:
    """Email the volunteer the mission an association invites them to apply to (the
    association never learns their address). Returns whether an email went."""
    invitation = (
        MissionInvitation.objects.select_related("association", "mission", "profile__user")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:
        return False
    user = invitation.profile.user
    with translation.override(user.language or settings.LANGUAGE_CODE):
        context = {
            "association": invitation.association,
            "mission": invitation.mission,
            "url": settings.SITE_URL
            + mission_public_url(invitation.mission, source=INVITATION_SOURCE),
            "profile_url": settings.SITE_URL + reverse("volunteer:profile"),
        }
        EmailMessage(
            subject=_("%(association)s invites you to apply to a mission")
            % {"association": invitation.association.name},
            body=render_to_string("volunteering/matching/email/invitation.txt", context),
            to=[user.email],
        ).send()
    return True


@task()
def send_mission_alerts() -> dict[str, int]:
    """Email their digest to every volunteer whose alert is due (run daily)."""
    from .services import mission_alerts_send_due

    result = mission_alerts_send_due()
    return {"checked": result.checked, "sent": result.sent}
