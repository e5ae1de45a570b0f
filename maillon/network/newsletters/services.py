"""Writes on the network's newsletters: write a draft, send it (recipients frozen, one
delivery per address, the task started after commit), unsubscribe. Each writes the
network's log."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.communication.models import NewsletterStatus
from maillon.communication.rendering import markdown_to_safe_html

from ..audit import network_log
from ..memberships.services import INVITERS
from ..models import Network, NetworkOptOut
from ..networks.services import check_network_role
from .models import NetworkDelivery, NetworkNewsletter
from .selectors import board_recipients_across_associations
from .tasks import send_network_newsletter


@transaction.atomic
def network_newsletter_create(
    *, network: Network, actor: Any, subject: str, body: str
) -> NetworkNewsletter:
    check_network_role(network=network, actor=actor, roles=INVITERS)
    newsletter = NetworkNewsletter.objects.create(
        network=network,
        subject=subject,
        body=body,
        body_html=markdown_to_safe_html(body),
        author=actor,
    )
    network_log(
        network=network,
        actor=actor,
        action="network.newsletter_created",
        data={"newsletter": newsletter.pk},
    )
    return newsletter


@transaction.atomic
def network_newsletter_send(
    *, network: Network, actor: Any, newsletter: NetworkNewsletter
) -> NetworkNewsletter:
    """Freeze the recipients (the bureau of each active member association, minus
    the opted-out addresses) and start the sending task after commit. Once only."""
    check_network_role(network=network, actor=actor, roles=INVITERS)
    if newsletter.network_id != network.pk:
        raise ValidationError(_("This newsletter is not of this network."))
    newsletter = NetworkNewsletter.objects.select_for_update().get(pk=newsletter.pk)
    if newsletter.status != NewsletterStatus.DRAFT:
        raise ValidationError(_("This newsletter has already been sent."))
    recipients = board_recipients_across_associations(network=network)
    if not recipients:
        raise ValidationError(
            _("Nobody would receive this newsletter: no board member of a member association.")
        )
    NetworkDelivery.objects.bulk_create(
        [
            NetworkDelivery(newsletter=newsletter, email=r.email, association_id=r.association_id)
            for r in recipients
        ],
        batch_size=500,
        ignore_conflicts=True,
    )
    newsletter.status = NewsletterStatus.SENDING
    newsletter.sent_by = actor
    newsletter.send_requested_at = timezone.now()
    newsletter.total_count = len(recipients)
    newsletter.sent_count = newsletter.failed_count = 0
    newsletter.save()
    network_log(
        network=network,
        actor=actor,
        action="network.newsletter_send_requested",
        data={"newsletter": newsletter.pk, "recipients": len(recipients)},
    )
    newsletter_id = newsletter.pk
    transaction.on_commit(lambda: send_network_newsletter.enqueue(newsletter_id=newsletter_id))
    return newsletter


@transaction.atomic
def network_newsletter_unsubscribe(*, delivery: NetworkDelivery, source: str) -> None:
    """No more letters of this network for the delivery's address."""
    network = delivery.newsletter.network
    _optout, created = NetworkOptOut.objects.get_or_create(
        network=network, email=delivery.email, defaults={"source": source}
    )
    if created:
        network_log(
            network=network,
            actor=None,
            action="network.newsletter_unsubscribed",
            association=delivery.association,
            data={"newsletter": delivery.newsletter_id, "source": source},
        )
