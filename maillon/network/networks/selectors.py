"""Reads of networks and their teams (networks are not tenant data: no scope)."""

from __future__ import annotations

from typing import Any

from django.core.validators import slug_re
from django.db.models import QuerySet
from django.http import Http404

from ..models import Network, NetworkLogEntry, NetworkRole, NetworkStatus


def network_by_slug(slug: str) -> Network | None:
    """An active network (a network waiting for its check has no back-office yet);
    None for anything that is not a slug (a NUL byte would be a database error)."""
    if not isinstance(slug, str) or not slug_re.match(slug):
        return None
    return Network.objects.filter(slug=slug, status=NetworkStatus.ACTIVE).first()


def my_network_role(*, network: Network, user: Any) -> str | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        NetworkRole.objects.filter(network=network, user=user)
        .values_list("role", flat=True)
        .first()
    )


def my_networks(*, user: Any) -> list[NetworkRole]:
    """The networks whose team ``user`` is on (active networks only)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        NetworkRole.objects.filter(user=user, network__status=NetworkStatus.ACTIVE)
        .select_related("network")
        .order_by("network__name")
    )


def active_network_roles(*, user: Any) -> QuerySet[NetworkRole]:
    """``user``'s roles on the teams of active networks (``user`` may be an
    ``OuterRef``: the back-office reads "on a network team" with the caller's roles)."""
    return NetworkRole.objects.filter(user=user, network__status=NetworkStatus.ACTIVE)


def on_a_network_team(*, user: Any) -> bool:
    """Whether ``user`` is on the team of an active network."""
    return active_network_roles(user=user).exists()


def network_team(*, network: Network) -> QuerySet[NetworkRole]:
    return NetworkRole.objects.filter(network=network).select_related("user").order_by("role", "id")


def network_role_get(*, network: Network, role_id: Any) -> NetworkRole:
    role = NetworkRole.objects.filter(network=network, pk=role_id).select_related("user").first()
    if role is None:
        raise Http404
    return role


def public_networks() -> QuerySet[Network]:
    return (
        Network.objects.filter(status=NetworkStatus.ACTIVE, is_public=True)
        .select_related("sector")
        .prefetch_related("departments")
    )


def public_network_get(*, slug: str) -> Network:
    network = public_networks().filter(slug=slug).first()
    if network is None:
        raise Http404
    return network


def networks_open_to_requests() -> QuerySet[Network]:
    """Active networks an association may ask to join."""
    return Network.objects.filter(status=NetworkStatus.ACTIVE).order_by("name")


def network_log_entries(*, network: Network) -> QuerySet[NetworkLogEntry]:
    """The network's side of the audit (it names associations, never their data)."""
    return NetworkLogEntry.objects.filter(network=network).select_related(
        "actor", "about_association"
    )
