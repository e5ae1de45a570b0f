"""Reads of memberships: the association's side runs inside its scope; the network's
side crosses associations and says so (``*_across_associations``)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django_scopes import scopes_disabled

from maillon.associations.models import Association

from ..models import OPEN_STATUSES, MembershipStatus, Network, NetworkMembership


def association_memberships(*, association: Association) -> list[NetworkMembership]:
    """The association's networks and pending invitations or requests."""
    return list(
        NetworkMembership.objects.filter(association=association, status__in=OPEN_STATUSES)
        .select_related("network")
        .order_by("network__name")
    )


def member_networks(*, association: Association) -> QuerySet[Network]:
    """The networks ``association`` is an active member of."""
    ids = NetworkMembership.objects.filter(
        association=association, status=MembershipStatus.ACTIVE
    ).values("network_id")
    return Network.objects.filter(pk__in=ids).order_by("name")


def association_membership_get(
    *, association: Association, membership_id: Any
) -> NetworkMembership:
    membership = (
        NetworkMembership.objects.filter(
            association=association, pk=membership_id, status__in=OPEN_STATUSES
        )
        .select_related("network", "association")
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def memberships_across_associations(
    *, network: Network, statuses=(MembershipStatus.ACTIVE,)
) -> QuerySet[NetworkMembership]:
    """The network's memberships in ``statuses``, with their associations. A network
    reads its members' directory cards; anything else goes through the consent."""
    with scopes_disabled():
        return (
            NetworkMembership.objects.filter(network=network, status__in=statuses)
            .select_related("association", "association__department", "association__sector")
            .order_by("association__name")
            .all()
        )


def network_membership_get_across_associations(
    *, network: Network, membership_id: Any, statuses=OPEN_STATUSES
) -> NetworkMembership:
    with scopes_disabled():
        membership = (
            NetworkMembership.objects.filter(network=network, pk=membership_id, status__in=statuses)
            .select_related("association", "network")
            .first()
        )
    if membership is None:
        raise Http404
    return membership


def invitable_associations_across_associations(*, network: Network, search: str = "") -> list:
    """Listed associations of the directory not yet linked to the network."""
    from maillon.core.text import fold

    with scopes_disabled():
        linked = NetworkMembership.objects.filter(network=network, status__in=OPEN_STATUSES).values(
            "association_id"
        )
        associations = Association.objects.filter(is_listed=True).exclude(pk__in=linked)
        if search:
            associations = associations.filter(search_text__contains=fold(search))
        return list(associations.select_related("department").order_by("name")[:50])
