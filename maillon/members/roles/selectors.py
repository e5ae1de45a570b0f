"""Who holds which role. The ``my_*`` reads answer a signed-in person's own question
("my roles here", "my associations") before or outside any association's scope, so
they disable scopes; each filters by the user, and by the association when given."""

from __future__ import annotations

from collections.abc import Iterable

from django_scopes import scopes_disabled

from maillon.accounts.models import User
from maillon.associations.models import Association

from ..models import Person, Role, RoleAssignment


def my_roles(*, association: Association, user: User) -> frozenset[str]:
    """The roles ``user`` holds in ``association`` (none once they have left)."""
    with scopes_disabled():
        return frozenset(
            RoleAssignment.objects.filter(
                association=association, person__user=user, person__left_on__isnull=True
            ).values_list("role", flat=True)
        )


def my_associations(*, user: User) -> list[tuple[Association, list[str]]]:
    """(association, roles) for every association where the user holds a role."""
    with scopes_disabled():
        people = (
            Person.objects.filter(user=user, left_on__isnull=True)
            .select_related("association")
            .prefetch_related("role_assignments")
            .order_by("association__name")
        )
        return [
            (p.association, sorted(ra.role for ra in p.role_assignments.all()))
            for p in people
            if p.role_assignments.all()
        ]


def my_associations_where_sole_admin(*, user: User) -> list[Association]:
    """Associations in which ``user`` is the only active administrator while other
    people are still active: erasing the account would leave them without anyone
    able to manage them."""
    with scopes_disabled():
        mine = set(
            RoleAssignment.objects.filter(
                person__user=user, person__left_on__isnull=True, role=Role.ADMIN
            ).values_list("association_id", flat=True)
        )
        other_admins = set(
            RoleAssignment.objects.filter(
                association_id__in=mine, role=Role.ADMIN, person__left_on__isnull=True
            )
            .exclude(person__user=user)
            .values_list("association_id", flat=True)
        )
        others_active = set(
            Person.objects.filter(association_id__in=mine, left_on__isnull=True)
            .exclude(user=user)
            .values_list("association_id", flat=True)
        )
        blocked = (mine - other_admins) & others_active
        return list(Association.objects.filter(pk__in=blocked).order_by("name"))


def admins_left_after(
    *, association: Association, person: Person, new_roles: Iterable[str] | None
) -> int:
    """How many active administrators ``association`` keeps once ``person`` holds
    ``new_roles`` (None: once they have left)."""
    others = (
        RoleAssignment.objects.filter(
            association=association, role=Role.ADMIN, person__left_on__isnull=True
        )
        .exclude(person=person)
        .count()
    )
    keeps = new_roles is not None and Role.ADMIN in new_roles
    return others + (1 if keeps else 0)
