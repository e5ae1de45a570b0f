"""Who holds which role, read for the person themself: their associations."""

import pytest

from maillon.accounts.tests.factories import UserFactory
from maillon.members.models import Role
from maillon.members.roles.selectors import my_associations
from maillon.members.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_associations_of_user_lists_each_association_with_its_roles(association, other_association):
    user = UserFactory()
    PersonFactory(association=association, user=user, roles=[Role.MEMBER, Role.BOARD])
    PersonFactory(association=other_association, user=user, roles=[Role.VOLUNTEER])
    assert my_associations(user=user) == [
        (other_association, ["volunteer"]),  # "Club Voisin" sorts first
        (association, ["board", "member"]),
    ]
