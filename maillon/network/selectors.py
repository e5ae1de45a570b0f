"""The network app's public reading API, for the modules built on it (pooled
resources, the observatory, help requests). Documented in docs/architecture.md.

- ``networks_of(association)``: the active networks the association belongs to;
- ``member_associations(network, family=None)``: its active member associations,
  only those sharing ``family`` when given (a ``DataFamily`` value);
- ``is_network_staff(user, network)``: the user is on the network's team (any role);
- ``network_role(user, network)``: their role code, or None."""

from __future__ import annotations

from typing import Any

from django_scopes import scope

from maillon.associations.models import Association

from .memberships.selectors import memberships_across_associations
from .models import MembershipStatus, Network, NetworkMembership, NetworkStatus
from .networks.selectors import my_network_role


def networks_of(association: Association) -> list[Network]:
    with scope(association=association):
        return [
            m.network
            for m in NetworkMembership.objects.filter(
                association=association,
                status=MembershipStatus.ACTIVE,
                network__status=NetworkStatus.ACTIVE,
            )
            .select_related("network")
            .order_by("network__name")
        ]


def member_associations(network: Network, family: str | None = None) -> list[Association]:
    memberships = memberships_across_associations(network=network)
    return [
        m.association for m in memberships if family is None or family in (m.shared_families or [])
    ]


def is_network_staff(user: Any, network: Network) -> bool:
    return network.is_active and my_network_role(network=network, user=user) is not None


def network_role(user: Any, network: Network) -> str | None:
    return my_network_role(network=network, user=user) if network.is_active else None
