"""Reads of the network's newsletters: the letters, their progress, and the board
members of the active member associations who receive them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django_scopes import scopes_disabled

from maillon.communication.sending import delivery_counts_of
from maillon.members.models import Role, RoleAssignment

from ..models import MembershipStatus, Network, NetworkMembership
from .models import NetworkDelivery, NetworkNewsletter, NetworkOptOut

BUREAU_ROLES = (Role.PRESIDENT, Role.SECRETARY, Role.TREASURER)


@dataclass(frozen=True)
class BoardRecipient:
    email: str
    association_id: int


def _as_id(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def network_newsletters(*, network: Network) -> QuerySet[NetworkNewsletter]:
    return NetworkNewsletter.objects.filter(network=network).select_related("author")


def network_newsletter_get(*, network: Network, newsletter_id: Any) -> NetworkNewsletter:
    newsletter = NetworkNewsletter.objects.filter(network=network, pk=_as_id(newsletter_id)).first()
    if newsletter is None:
        raise Http404
    return newsletter


def board_recipients_across_associations(*, network: Network) -> list[BoardRecipient]:
    """President, secretary and treasurer of each ACTIVE member association, with an
    email and still in the register; one per address; opted-out addresses left out."""
    opted_out = set(NetworkOptOut.objects.filter(network=network).values_list("email", flat=True))
    with scopes_disabled():
        member_ids = NetworkMembership.objects.filter(
            network=network, status=MembershipStatus.ACTIVE
        ).values("association_id")
        rows = (
            RoleAssignment.objects.filter(
                association_id__in=member_ids,
                role__in=BUREAU_ROLES,
                person__left_on__isnull=True,
            )
            .exclude(person__email="")
            .order_by("association_id", "person_id")
            .values_list("person__email", "association_id")
        )
        recipients: dict[str, BoardRecipient] = {}
        for email, association_id in rows:
            email = email.strip().lower()
            if email and email not in opted_out and email not in recipients:
                recipients[email] = BoardRecipient(email, association_id)
    return list(recipients.values())


def network_delivery_counts(*, newsletter: NetworkNewsletter) -> dict[str, int]:
    return delivery_counts_of(NetworkDelivery.objects.filter(newsletter=newsletter))


def network_delivery_for_token(token: str) -> NetworkDelivery | None:
    if not token or len(token) > 64:
        return None
    return NetworkDelivery.objects.select_related("newsletter__network").filter(token=token).first()
