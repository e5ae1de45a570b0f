"""The emails inviting a network's member associations to a campaign."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mass_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task


@task()
def send_campaign_invitations(
    *, network_id: int, campaign_id: int, message: str = "", language: str = ""
) -> int:
    from maillon.events.selectors import network_campaign_get

    from ..memberships.selectors import memberships_across_associations
    from ..models import Network

    network = Network.objects.filter(pk=network_id).first()
    if network is None:
        return 0
    campaign = network_campaign_get(network=network, campaign_id=campaign_id)
    link = settings.SITE_URL + reverse("public_events:campaign", kwargs={"slug": campaign.slug})
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = _("%(network)s invites you to %(campaign)s") % {
            "network": network.name,
            "campaign": campaign.title,
        }
        body = _(
            "%(network)s runs the campaign “%(campaign)s” from %(start)s to %(end)s. "
            "Add your events to it: when you create or edit an event, choose the campaign."
            "\n\n%(message)s\n\n%(link)s"
        ) % {
            "network": network.name,
            "campaign": campaign.title,
            "start": campaign.starts_on.isoformat(),
            "end": campaign.ends_on.isoformat(),
            "message": message,
            "link": link,
        }
    messages = [
        (subject, body, None, [m.association.contact_email])
        for m in memberships_across_associations(network=network)
        if m.association.contact_email
    ]
    return send_mass_mail(messages) if messages else 0
