"""A network's campaigns: the events module's ``Campaign`` (created here instead of
in the admin) and the invitation of member associations to add their events."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import get_language

from maillon.accounts.models import User
from maillon.events.services import campaign_create

from ..audit import network_log
from ..memberships.services import INVITERS
from ..models import Network
from ..networks.services import check_network_role
from .tasks import send_campaign_invitations


@transaction.atomic
def network_campaign_create(
    *,
    network: Network,
    actor: User,
    title: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    description: str = "",
) -> Any:
    check_network_role(network=network, actor=actor, roles=INVITERS)
    campaign = campaign_create(
        network=network,
        actor=actor,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
        description=description,
    )
    network_log(
        network=network,
        actor=actor,
        action="network.campaign_created",
        data={"campaign": campaign.pk, "title": title},
    )
    return campaign


@transaction.atomic
def network_campaign_invite(
    *, network: Network, actor: User, campaign: Any, message: str = ""
) -> None:
    """Emails every member association (its contact address) an invitation to add
    its events to the campaign; the sending runs as a task after the commit."""
    check_network_role(network=network, actor=actor, roles=INVITERS)
    if campaign.network_id != network.pk:
        raise PermissionDenied
    network_log(
        network=network,
        actor=actor,
        action="network.campaign_invited",
        data={"campaign": campaign.pk},
    )
    transaction.on_commit(
        lambda: send_campaign_invitations.enqueue(
            network_id=network.pk,
            campaign_id=campaign.pk,
            message=message,
            language=get_language() or "",
        )
    )
