"""Changing a person's roles from their page."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from maillon.members.models import Person, Role
from maillon.members.roles.selectors import my_roles
from maillon.members.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(admin_user):
    """The administrator reads the back-office in English (the strings asserted below)
    and has a name no other person of these tests has (factories draw random names)."""
    admin_user.language = "en"
    admin_user.save(update_fields=["language"])
    with scopes_disabled():
        Person.objects.filter(user=admin_user).update(first_name="Ada", last_name="Zadmin")


def members_url(association, name="list", **kwargs):
    return reverse(f"members:{name}", kwargs={"association_slug": association.slug, **kwargs})


def flash(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_changing_roles(admin_client, association):
    person = PersonFactory(association=association)
    response = admin_client.post(
        members_url(association, "roles", person_id=person.pk),
        {"roles": ["member", "board"]},
    )
    assert response.status_code == 302
    with scope(association=association):
        assert set(person.role_assignments.values_list("role", flat=True)) == {"member", "board"}
    assert "The roles have been saved." in flash(response)


def test_removing_the_last_administrator_is_refused_with_a_message(
    admin_client, association, admin_user
):
    with scope(association=association):
        me = Person.objects.get(user=admin_user)

    response = admin_client.post(
        members_url(association, "roles", person_id=me.pk), {"roles": ["member"]}
    )

    assert response["Location"] == members_url(association, "detail", person_id=me.pk)
    assert flash(response) == ["The association must keep at least one administrator."]
    assert Role.ADMIN in my_roles(association=association, user=admin_user)


def test_an_unknown_role_is_refused_with_a_message(admin_client, association):
    person = PersonFactory(association=association)
    response = admin_client.post(
        members_url(association, "roles", person_id=person.pk), {"roles": ["king"]}
    )
    assert flash(response) == ["Choose valid roles."]
    with scope(association=association):
        assert list(person.role_assignments.values_list("role", flat=True)) == ["member"]
