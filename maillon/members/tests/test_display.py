"""People are shown by name; the email address only when no name is known."""

import pytest
from django.urls import reverse
from django_scopes import scope

from maillon.accounts.tests.factories import UserFactory
from maillon.core.audit import audit_log
from maillon.members.display import display_name
from maillon.members.models import Role
from maillon.members.tests.factories import PersonFactory, member_with_account

pytestmark = pytest.mark.django_db


def test_the_account_name_comes_first(association):
    user = UserFactory(full_name="Marie Dupont", email="marie@example.org")
    assert display_name(user, association) == "Marie Dupont"
    assert display_name(user) == "Marie Dupont"


def test_an_account_without_a_name_takes_the_name_of_the_register(association):
    user = UserFactory(full_name="", email="m.dupont@example.org")
    PersonFactory(association=association, user=user, first_name="Marie", last_name="Dupont")
    with scope(association=association):
        assert display_name(user, association) == "Marie Dupont"


def test_the_email_only_when_no_name_is_known(association, other_association):
    user = UserFactory(full_name="", email="m.dupont@example.org")
    PersonFactory(association=other_association, user=user, first_name="Marie", last_name="Dupont")
    with scope(association=association):
        assert display_name(user, association) == "m.dupont@example.org"
    assert display_name(user) == "m.dupont@example.org"
    assert display_name(None) == ""


def test_the_audit_log_names_the_actor(client, association):
    admin = member_with_account(association, [Role.ADMIN], first_name="Lucie", last_name="Martin")
    nameless = UserFactory(full_name="", email="sans-nom@example.org")
    PersonFactory(association=association, user=nameless, first_name="Marie", last_name="Dupont")
    audit_log(association=association, actor=nameless, action="test.wording")
    client.force_login(admin)
    response = client.get(reverse("backoffice:audit", args=[association.slug]))
    content = response.content.decode()
    assert "Marie Dupont" in content
    assert "sans-nom@example.org" not in content
