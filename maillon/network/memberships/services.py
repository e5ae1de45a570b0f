"""The handshake between a network and an association, and the association's
consent. Each change is audited on both sides (``audit.log_both_sides``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from maillon.accounts.models import User
from maillon.associations.models import Association
from maillon.core.tenancy import ensure_same_association
from maillon.members.permissions import Perm, check_permission

from ..audit import log_both_sides
from ..models import (
    OPEN_STATUSES,
    DataFamily,
    MembershipStatus,
    Network,
    NetworkMembership,
    NetworkRoleKind,
)
from ..networks.services import check_network_role

INVITERS = (NetworkRoleKind.HEAD, NetworkRoleKind.COORDINATOR)


def _already_open(*, network: Network, association: Association) -> None:
    if NetworkMembership.objects.filter(
        network=network, association=association, status__in=OPEN_STATUSES
    ).exists():
        raise ValidationError(
            _("%(association)s and %(network)s are already linked or have a pending request.")
            % {"association": association.name, "network": network.name}
        )


def _require_active(network: Network) -> None:
    if not network.is_active:
        raise ValidationError(_("This network is not active yet."))


@transaction.atomic
def membership_invite(
    *, network: Network, actor: User, association: Association, message: str = ""
) -> NetworkMembership:
    """The network invites an association; the association's administrators answer."""
    check_network_role(network=network, actor=actor, roles=INVITERS)
    _require_active(network)
    with scope(association=association):
        _already_open(network=network, association=association)
        membership = NetworkMembership(
            association=association,
            network=network,
            status=MembershipStatus.INVITED,
            opened_by=actor,
            message=message,
        )
        membership.full_clean()
        membership.save()
        log_both_sides(
            network=network,
            association=association,
            actor=actor,
            action="network.membership_invited",
            obj=membership,
            data={},
        )
    return membership


@transaction.atomic
def membership_request(
    *, association: Association, actor: User, network: Network, message: str = ""
) -> NetworkMembership:
    """The association asks to join; the network's head or coordinator answers."""
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_ASSOCIATION)
    _require_active(network)
    with scope(association=association):
        _already_open(network=network, association=association)
        membership = NetworkMembership(
            association=association,
            network=network,
            status=MembershipStatus.REQUESTED,
            opened_by=actor,
            message=message,
        )
        membership.full_clean()
        membership.save()
        log_both_sides(
            network=network,
            association=association,
            actor=actor,
            action="network.membership_requested",
            obj=membership,
            data={},
        )
    return membership


def _lock(membership: NetworkMembership) -> NetworkMembership:
    with scope(association=membership.association_id):
        return NetworkMembership.objects.select_for_update().get(pk=membership.pk)


def _decide(membership: NetworkMembership, *, actor: User, accept: bool, side: str):
    membership.status = MembershipStatus.ACTIVE if accept else MembershipStatus.DECLINED
    now = timezone.now()
    if accept:
        membership.joined_at = now
    else:
        membership.ended_at = now
    membership.save(update_fields=["status", "joined_at", "ended_at", "updated_at"])
    log_both_sides(
        network=membership.network,
        association=membership.association,
        actor=actor,
        action="network.membership_accepted" if accept else "network.membership_declined",
        obj=membership,
        data={"by": side},
    )
    return membership


@transaction.atomic
def membership_answer_invitation(
    *, association: Association, actor: User, membership: NetworkMembership, accept: bool
) -> NetworkMembership:
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_ASSOCIATION)
    ensure_same_association(association, membership)
    membership = _lock(membership)
    if membership.status != MembershipStatus.INVITED:
        raise ValidationError(_("This invitation has already been answered."))
    return _decide(membership, actor=actor, accept=accept, side="association")


@transaction.atomic
def membership_answer_request(
    *, network: Network, actor: User, membership: NetworkMembership, accept: bool
) -> NetworkMembership:
    check_network_role(network=network, actor=actor, roles=INVITERS)
    if membership.network_id != network.pk:
        raise PermissionDenied
    membership = _lock(membership)
    if membership.status != MembershipStatus.REQUESTED:
        raise ValidationError(_("This request has already been answered."))
    return _decide(membership, actor=actor, accept=accept, side="network")


@transaction.atomic
def membership_consent_set(
    *, association: Association, actor: User, membership: NetworkMembership, families: list[str]
) -> NetworkMembership:
    """What the network may see beyond the directory card; takes effect at once."""
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_ASSOCIATION)
    ensure_same_association(association, membership)
    unknown = set(families) - set(DataFamily.values)
    if unknown:
        raise ValidationError(_("Unknown kind of data."))
    membership = _lock(membership)
    if membership.status not in OPEN_STATUSES:
        raise ValidationError(_("This association is no longer in this network."))
    before = sorted(membership.shared_families or [])
    membership.shared_families = [f for f in DataFamily.values if f in families]
    membership.save(update_fields=["shared_families", "updated_at"])
    log_both_sides(
        network=membership.network,
        association=association,
        actor=actor,
        action="network.consent_changed",
        obj=membership,
        data={"before": before, "after": membership.shared_families},
    )
    return membership


def _end(membership: NetworkMembership, *, actor: User, action: str) -> NetworkMembership:
    membership = _lock(membership)
    if membership.status not in OPEN_STATUSES:
        raise ValidationError(_("This association is no longer in this network."))
    membership.status = MembershipStatus.LEFT
    membership.shared_families = []
    membership.ended_at = timezone.now()
    membership.save(update_fields=["status", "shared_families", "ended_at", "updated_at"])
    log_both_sides(
        network=membership.network,
        association=membership.association,
        actor=actor,
        action=action,
        obj=membership,
        data={},
    )
    return membership


@transaction.atomic
def membership_leave(
    *, association: Association, actor: User, membership: NetworkMembership
) -> NetworkMembership:
    """The association leaves (or withdraws its request): the network loses access
    to everything but the history of its log at once."""
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_ASSOCIATION)
    ensure_same_association(association, membership)
    return _end(membership, actor=actor, action="network.membership_left")


@transaction.atomic
def membership_remove(*, network: Network, actor: User, membership: NetworkMembership) -> Any:
    """The network ends a membership (or withdraws its invitation)."""
    check_network_role(network=network, actor=actor, roles=(NetworkRoleKind.HEAD,))
    if membership.network_id != network.pk:
        raise PermissionDenied
    return _end(membership, actor=actor, action="network.membership_removed")
