"""Writes on networks and their teams. Every change is written in the network's log."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from maillon.accounts.models import User

from ..audit import network_log
from ..models import Network, NetworkRole, NetworkRoleKind, NetworkStatus
from .selectors import my_network_role

EDITABLE_FIELDS = ("name", "kind", "sector", "description", "contact_email", "website", "is_public")


def check_network_role(*, network: Network, actor: Any, roles: tuple[str, ...]) -> None:
    """Raise PermissionDenied unless ``actor`` holds one of ``roles`` in ``network``."""
    if my_network_role(network=network, user=actor) not in roles:
        raise PermissionDenied


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "reseau"
    slug, n = base, 2
    while Network.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def network_propose(*, actor: User, name: str, kind: str, **fields: Any) -> Network:
    """A person proposes a network; it stays pending until an instance administrator
    checks it. The proposer becomes its head."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied
    departments = fields.pop("departments", None) or []
    network = Network(name=name, kind=kind, slug=_unique_slug(name), proposed_by=actor, **fields)
    network.full_clean()
    network.save()
    network.departments.set(departments)
    NetworkRole.objects.create(network=network, user=actor, role=NetworkRoleKind.HEAD)
    network_log(network=network, actor=actor, action="network.proposed", data={"name": name})
    return network


@transaction.atomic
def network_check(*, actor: User, network: Network, approve: bool) -> Network:
    """An instance administrator accepts (active) or refuses a proposed network."""
    if not getattr(actor, "is_staff", False):
        raise PermissionDenied
    if network.status != NetworkStatus.PENDING:
        raise ValidationError(_("This network has already been checked."))
    network.status = NetworkStatus.ACTIVE if approve else NetworkStatus.REFUSED
    network.save(update_fields=["status", "updated_at"])
    network_log(
        network=network,
        actor=actor,
        action="network.approved" if approve else "network.refused",
    )
    return network


@transaction.atomic
def network_update(*, network: Network, actor: User, departments=None, **fields: Any) -> Network:
    check_network_role(network=network, actor=actor, roles=(NetworkRoleKind.HEAD,))
    changed = sorted(
        k for k, v in fields.items() if k in EDITABLE_FIELDS and getattr(network, k) != v
    )
    for name in EDITABLE_FIELDS:
        if name in fields:
            setattr(network, name, fields[name])
    if "logo" in fields and fields["logo"] is not None:
        network.logo = fields["logo"] or ""
        changed.append("logo")
    network.full_clean()
    network.save()
    if departments is not None:
        network.departments.set(departments)
        changed.append("departments")
    network_log(network=network, actor=actor, action="network.updated", data={"fields": changed})
    return network


@transaction.atomic
def network_role_set(*, network: Network, actor: User, email: str, role: str) -> NetworkRole:
    """The head gives ``role`` to the person with the account ``email``."""
    check_network_role(network=network, actor=actor, roles=(NetworkRoleKind.HEAD,))
    if role not in NetworkRoleKind.values:
        raise ValidationError(_("Choose a role."))
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise ValidationError(
            _("No account uses this email address: ask the person to sign up first.")
        )
    current = NetworkRole.objects.select_for_update().filter(network=network, user=user).first()
    if current is not None and current.role == NetworkRoleKind.HEAD and role != current.role:
        _keep_a_head(network=network, leaving=current)
    assignment, _created = NetworkRole.objects.update_or_create(
        network=network, user=user, defaults={"role": role}
    )
    network_log(
        network=network,
        actor=actor,
        action="network.role_set",
        data={"user": user.pk, "role": role},
    )
    return assignment


def _keep_a_head(*, network: Network, leaving: NetworkRole) -> None:
    heads = NetworkRole.objects.filter(network=network, role=NetworkRoleKind.HEAD).exclude(
        pk=leaving.pk
    )
    if not heads.exists():
        raise ValidationError(_("A network keeps at least one head."))


@transaction.atomic
def network_role_remove(*, network: Network, actor: User, role: NetworkRole) -> None:
    check_network_role(network=network, actor=actor, roles=(NetworkRoleKind.HEAD,))
    if role.network_id != network.pk:
        raise PermissionDenied
    if role.role == NetworkRoleKind.HEAD:
        _keep_a_head(network=network, leaving=role)
    network_log(
        network=network,
        actor=actor,
        action="network.role_removed",
        data={"user": role.user_id, "role": role.role},
    )
    role.delete()
