"""Role-based permission policy of an association. A person's permissions are the
union of their roles' permissions. Views and services both check them: views through
the permissions the tenant middleware put on the request, services with
``check_permission``, which reads the actor's roles."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied

from maillon.associations.models import Association

from .models import Role
from .roles.selectors import my_roles


class Perm:
    VIEW_BACKOFFICE = "association.view"
    MANAGE_ASSOCIATION = "association.manage"
    VIEW_MEMBERS = "members.view"
    MANAGE_MEMBERS = "members.manage"
    MANAGE_ROLES = "members.roles"
    MANAGE_FEES = "members.fees"
    IMPORT_MEMBERS = "members.import"
    EXPORT_MEMBERS = "members.export"
    VIEW_AUDIT = "audit.view"
    VIEW_STRATEGY = "strategy.view"
    CONTRIBUTE_DIAGNOSTIC = "strategy.contribute"
    MANAGE_STRATEGY = "strategy.manage"
    # Governance: every member takes part (vote, proxy, proposals); the bureau
    # prepares and runs assemblies; the secretary records for people in the room.
    TAKE_PART = "governance.take_part"
    MANAGE_ASSEMBLIES = "governance.manage"
    RECORD_FOR_MEMBERS = "governance.record"
    # Mobilisation: volunteers (and members) log their own hours; managers publish
    # missions, answer applications, validate hours; the treasurer reads the valuation.
    LOG_HOURS = "volunteering.log_hours"
    VIEW_VOLUNTEERING = "volunteering.view"
    MANAGE_MISSIONS = "volunteering.manage"
    MANAGE_HOURS = "volunteering.hours"
    MANAGE_EVENTS = "events.manage"
    MANAGE_NEWS = "communication.manage"
    SEND_NEWSLETTERS = "communication.send"
    # Donations, donors, campaigns, tax receipts and the accounting journal.
    MANAGE_FUNDING = "funding.manage"


_STRATEGY_CONTRIBUTOR = {Perm.VIEW_STRATEGY, Perm.CONTRIBUTE_DIAGNOSTIC}
_STRATEGY_MANAGER = _STRATEGY_CONTRIBUTOR | {Perm.MANAGE_STRATEGY}

_MOBILISATION_MANAGER = {
    Perm.LOG_HOURS,
    Perm.VIEW_VOLUNTEERING,
    Perm.MANAGE_MISSIONS,
    Perm.MANAGE_HOURS,
    Perm.MANAGE_EVENTS,
    Perm.MANAGE_NEWS,
    Perm.SEND_NEWSLETTERS,
}

_BUREAU = {
    *_MOBILISATION_MANAGER,
    Perm.VIEW_BACKOFFICE,
    Perm.TAKE_PART,
    Perm.MANAGE_ASSEMBLIES,
    Perm.RECORD_FOR_MEMBERS,
    Perm.VIEW_MEMBERS,
    Perm.MANAGE_MEMBERS,
    Perm.MANAGE_FEES,
    Perm.IMPORT_MEMBERS,
    Perm.EXPORT_MEMBERS,
}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.MEMBER: frozenset({Perm.VIEW_BACKOFFICE, Perm.TAKE_PART, Perm.LOG_HOURS}),
    Role.VOLUNTEER: frozenset({Perm.VIEW_BACKOFFICE, Perm.LOG_HOURS}),
    Role.BOARD: frozenset(
        {
            Perm.VIEW_BACKOFFICE,
            Perm.VIEW_MEMBERS,
            Perm.TAKE_PART,
            Perm.LOG_HOURS,
            Perm.VIEW_VOLUNTEERING,
        }
        | _STRATEGY_CONTRIBUTOR
    ),
    Role.STAFF: frozenset((_BUREAU - {Perm.MANAGE_FEES}) | _STRATEGY_MANAGER),
    Role.SECRETARY: frozenset(_BUREAU | _STRATEGY_MANAGER),
    Role.TREASURER: frozenset(
        {
            Perm.VIEW_BACKOFFICE,
            Perm.VIEW_MEMBERS,
            Perm.MANAGE_FEES,
            Perm.EXPORT_MEMBERS,
            Perm.TAKE_PART,
            Perm.LOG_HOURS,
            Perm.VIEW_VOLUNTEERING,
            Perm.MANAGE_HOURS,
            Perm.MANAGE_FUNDING,
        }
        | _STRATEGY_CONTRIBUTOR
    ),
    Role.PRESIDENT: frozenset(
        _BUREAU
        | _STRATEGY_MANAGER
        | {Perm.MANAGE_ASSOCIATION, Perm.MANAGE_ROLES, Perm.VIEW_AUDIT, Perm.MANAGE_FUNDING}
    ),
    Role.ADMIN: frozenset(
        _BUREAU
        | _STRATEGY_MANAGER
        | {Perm.MANAGE_ASSOCIATION, Perm.MANAGE_ROLES, Perm.VIEW_AUDIT, Perm.MANAGE_FUNDING}
    ),
}

# Roles that may be required to use two-factor authentication.
BUREAU_ROLES = frozenset({Role.PRESIDENT, Role.TREASURER, Role.SECRETARY, Role.ADMIN})


def permissions_for_roles(roles: Iterable[str]) -> frozenset[str]:
    perms: set[str] = set()
    for role in roles:
        perms |= ROLE_PERMISSIONS.get(role, frozenset())
    return frozenset(perms)


def check_permission(*, association: Association, actor: Any, permission: str) -> None:
    """Raise PermissionDenied unless ``actor`` holds ``permission`` in ``association``
    (an anonymous visitor or None holds none)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied
    if permission not in permissions_for_roles(my_roles(association=association, user=actor)):
        raise PermissionDenied
