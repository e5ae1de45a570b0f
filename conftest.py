"""Fixtures shared by all tests. Every test module gets two associations: the one
under test and a foreign one whose data must never show."""

import pytest
from django_scopes import scope, scopes_disabled

from maillon.core.testing.factories import AssociationFactory, member_with_account
from maillon.members.models import Role


@pytest.fixture
def association(db):
    return AssociationFactory(name="Les Amis du Quartier", slug="amis-du-quartier")


@pytest.fixture
def other_association(db):
    return AssociationFactory(name="Club Voisin", slug="club-voisin")


@pytest.fixture
def admin_user(association):
    return member_with_account(association, [Role.ADMIN, Role.MEMBER], email="admin@amis.example")


@pytest.fixture
def other_admin(other_association):
    return member_with_account(other_association, [Role.ADMIN], email="admin@voisin.example")


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def in_scope(association):
    with scope(association=association):
        yield association


@pytest.fixture
def no_scopes():
    with scopes_disabled():
        yield
