"""Writes of the member register: adding a person, changing their record, recording
that they left."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.accounts.models import User
from maillon.associations.models import Association
from maillon.core.audit import audit_log
from maillon.core.services import apply_changes
from maillon.core.tenancy import ensure_same_association

from ..models import Invitation, Person, Role, RoleAssignment
from ..permissions import Perm, check_permission
from ..roles.selectors import admins_left_after
from ..roles.services import validated_roles

PERSON_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "address",
    "postal_code",
    "city",
    "birth_date",
    "joined_on",
    "notes",
    "consent_newsletter",
    "consent_directory",
)


@transaction.atomic
def person_create(
    *,
    association: Association,
    actor: User,
    roles: Iterable[str] = (Role.MEMBER,),
    **fields: Any,
) -> Person:
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_MEMBERS)
    roles = validated_roles(roles)
    if set(roles) - {Role.MEMBER, Role.VOLUNTEER}:
        check_permission(association=association, actor=actor, permission=Perm.MANAGE_ROLES)
    person = Person(
        association=association, **{k: v for k, v in fields.items() if k in PERSON_FIELDS}
    )
    person.full_clean(exclude=["association"])
    person.save()
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(association=association, person=person, role=r) for r in roles]
    )
    audit_log(
        association=association,
        actor=actor,
        action="members.person_created",
        obj=person,
        data={"roles": roles},
    )
    return person


@transaction.atomic
def person_update(
    *, association: Association, actor: User, person: Person, **fields: Any
) -> Person:
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_MEMBERS)
    ensure_same_association(association, person)
    # Compare with the stored record: a ModelForm bound to ``person`` has already set
    # the new values on it, and the audit entry must say what really changed.
    person = Person.objects.select_for_update().get(pk=person.pk)
    changes = apply_changes(person, {k: v for k, v in fields.items() if k in PERSON_FIELDS})
    person.full_clean(exclude=["association"])
    person.save()
    if changes:
        audit_log(
            association=association,
            actor=actor,
            action="members.person_updated",
            obj=person,
            data={"changes": changes},
        )
    return person


@transaction.atomic
def person_leave(
    *,
    association: Association,
    actor: User,
    person: Person,
    left_on: datetime.date | None = None,
) -> Person:
    """Record that a person left the association. Their record stays (history,
    minutes) until the retention period ends."""
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_MEMBERS)
    ensure_same_association(association, person)
    if person.left_on is not None:
        raise ValidationError(_("This person has already left."))
    if (
        admins_left_after(association=association, person=person, new_roles=None) == 0
        and person.role_assignments.filter(role=Role.ADMIN).exists()
    ):
        raise ValidationError(_("The association must keep at least one administrator."))
    person.left_on = left_on or timezone.localdate()
    person.full_clean(exclude=["association"])
    person.save(update_fields=["left_on", "updated_at"])
    Invitation.objects.filter(person=person, accepted_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    audit_log(
        association=association,
        actor=actor,
        action="members.person_left",
        obj=person,
        data={"left_on": person.left_on.isoformat()},
    )
    return person
