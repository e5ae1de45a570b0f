"""Changing who holds which role in an association."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from maillon.accounts.models import User
from maillon.associations.models import Association
from maillon.core.audit import audit_log
from maillon.core.tenancy import ensure_same_association

from ..models import Person, Role, RoleAssignment
from ..permissions import Perm, check_permission
from .selectors import admins_left_after


def validated_roles(roles: Iterable[str]) -> list[str]:
    """The known roles among ``roles``, sorted, or a ValidationError naming the others."""
    roles = list(roles)
    cleaned = sorted({r for r in roles if r in Role.values})
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValidationError(
            {"roles": _("Unknown role: %(role)s") % {"role": ", ".join(sorted(unknown))}}
        )
    return cleaned


@transaction.atomic
def person_set_roles(
    *, association: Association, actor: User, person: Person, roles: Iterable[str]
) -> Person:
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_ROLES)
    ensure_same_association(association, person)
    roles = validated_roles(roles)
    current = set(person.role_assignments.values_list("role", flat=True))
    if (
        Role.ADMIN in current
        and admins_left_after(association=association, person=person, new_roles=roles) == 0
    ):
        raise ValidationError({"roles": _("The association must keep at least one administrator.")})
    added, removed = set(roles) - current, current - set(roles)
    RoleAssignment.objects.filter(person=person, role__in=removed).delete()
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(association=association, person=person, role=r) for r in sorted(added)]
    )
    if added or removed:
        audit_log(
            association=association,
            actor=actor,
            action="members.roles_changed",
            obj=person,
            data={"added": sorted(added), "removed": sorted(removed)},
        )
    return person
