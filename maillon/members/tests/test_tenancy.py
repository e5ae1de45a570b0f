"""Who the signed-in person is in an association: their roles and permissions there,
or nobody when they left or hold no role."""

import datetime

import pytest
from django.utils import timezone
from django_scopes import scope

from maillon.members.models import Role
from maillon.members.permissions import Perm
from maillon.members.roles.selectors import my_associations, my_roles
from maillon.members.tenancy import my_membership
from maillon.members.tests.factories import (
    MembershipPeriodFactory,
    PersonFactory,
    member_with_account,
)

pytestmark = pytest.mark.django_db


YEAR_2025 = {"start": datetime.date(2025, 1, 1), "end": datetime.date(2025, 12, 31)}


@pytest.fixture
def people(in_scope, other_association):
    """A small register, plus a namesake in another association."""
    ana = PersonFactory(
        association=in_scope,
        first_name="Ana",
        last_name="Blanc",
        email="ana@example.org",
        city="Lyon",
        joined_on=datetime.date(2023, 5, 1),
        roles=[Role.MEMBER, Role.SECRETARY],
    )
    MembershipPeriodFactory(person=ana, **YEAR_2025)
    bob = PersonFactory(
        association=in_scope,
        first_name="Bob",
        last_name="Noir",
        city="Villeurbanne",
        joined_on=datetime.date(2024, 2, 1),
        roles=[Role.VOLUNTEER],
    )
    MembershipPeriodFactory(person=bob, fee_paid=False, **YEAR_2025)
    PersonFactory(
        association=in_scope,
        last_name="Vert",
        joined_on=datetime.date(2020, 1, 1),
        left_on=datetime.date(2024, 6, 30),
    )
    PersonFactory(association=other_association, first_name="Ana", last_name="Blanc")
    return ana, bob


def test_membership_context_gives_roles_and_permissions(association, other_association):
    user = member_with_account(association, [Role.TREASURER])
    context = my_membership(association=association, user=user)
    assert context.roles == {Role.TREASURER}
    assert Perm.MANAGE_FEES in context.permissions
    assert Perm.MANAGE_MEMBERS not in context.permissions
    assert context.is_bureau
    assert my_membership(association=other_association, user=user) is None


def test_people_who_left_or_hold_no_role_are_outsiders(association):
    left = member_with_account(association, [Role.ADMIN])
    with scope(association=association):
        person = left.people.get()
    person.left_on = timezone.localdate()
    person.save()
    roleless = member_with_account(association, [])

    for user in (left, roleless):
        assert my_membership(association=association, user=user) is None
        assert my_roles(association=association, user=user) == frozenset()
        assert my_associations(user=user) == []
