"""The person's places, for the "your turn" panel (``core.your_turn``): the panel on
``/me/`` asks across every association of the person, the overview of one association
asks about that one only."""

from __future__ import annotations

from django_scopes import scopes_disabled

from maillon.accounts.models import User
from maillon.associations.models import Association
from maillon.core.your_turn import TurnItem, TurnMembership, collect

from .models import Person
from .permissions import permissions_for_roles


def my_memberships(*, user: User, association: Association | None = None) -> list[TurnMembership]:
    """Where ``user`` holds a role (in ``association`` only, when given), with their
    record and permissions there: two queries."""
    with scopes_disabled():
        people = Person.objects.filter(user=user, left_on__isnull=True)
        if association is not None:
            people = people.filter(association=association)
        people = people.select_related("association").prefetch_related("role_assignments")
        memberships = []
        for person in people.order_by("association__name", "association_id"):
            roles = [ra.role for ra in person.role_assignments.all()]
            if roles:
                memberships.append(
                    TurnMembership(
                        association=person.association,
                        person=person,
                        permissions=permissions_for_roles(roles),
                    )
                )
        return memberships


def my_turn(*, user: User, association: Association | None = None) -> list[TurnItem]:
    """What waits for ``user`` now (in ``association`` only, when given)."""
    if not user.is_authenticated:
        return []
    memberships = my_memberships(user=user, association=association)
    return collect(user=user, memberships=memberships, association=association)
