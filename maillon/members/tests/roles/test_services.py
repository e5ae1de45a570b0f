"""Changing a person's roles: logged, and never leaving the association without an
administrator."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from maillon.core.models import AuditEntry
from maillon.members.models import Person, Role
from maillon.members.roles.selectors import my_roles
from maillon.members.roles.services import person_set_roles
from maillon.members.tests.factories import PersonFactory, member_with_account

pytestmark = pytest.mark.django_db


def roles_of(person) -> set[str]:
    return set(person.role_assignments.values_list("role", flat=True))


def last_entry(action: str) -> AuditEntry:
    return AuditEntry.objects.filter(action=action).latest("id")


@pytest.fixture
def admin_person(in_scope, admin_user):
    return Person.objects.get(user=admin_user)


def test_set_roles_adds_and_removes_roles_and_logs_them(in_scope, admin_user):
    person = PersonFactory(association=in_scope, roles=[Role.MEMBER, Role.VOLUNTEER])
    person_set_roles(
        association=in_scope, actor=admin_user, person=person, roles=[Role.MEMBER, Role.TREASURER]
    )
    assert roles_of(person) == {Role.MEMBER, Role.TREASURER}
    assert last_entry("members.roles_changed").data == {
        "added": ["treasurer"],
        "removed": ["volunteer"],
    }


def test_the_last_administrator_cannot_be_removed(in_scope, admin_user, admin_person):
    with pytest.raises(ValidationError) as error:
        person_set_roles(
            association=in_scope, actor=admin_user, person=admin_person, roles=[Role.MEMBER]
        )
    assert "roles" in error.value.message_dict
    assert Role.ADMIN in roles_of(admin_person)


def test_an_administrator_can_step_down_once_another_one_exists(in_scope, admin_user, admin_person):
    PersonFactory(association=in_scope, roles=[Role.ADMIN])
    person_set_roles(
        association=in_scope, actor=admin_user, person=admin_person, roles=[Role.MEMBER]
    )
    assert roles_of(admin_person) == {Role.MEMBER}
    assert my_roles(association=in_scope, user=admin_user) == {Role.MEMBER}


def test_an_administrator_who_left_does_not_count_as_the_remaining_one(
    in_scope, admin_user, admin_person
):
    PersonFactory(association=in_scope, roles=[Role.ADMIN], left_on=timezone.localdate())
    with pytest.raises(ValidationError):
        person_set_roles(
            association=in_scope, actor=admin_user, person=admin_person, roles=[Role.MEMBER]
        )


def test_set_roles_needs_the_manage_roles_permission(in_scope):
    secretary = member_with_account(in_scope, [Role.SECRETARY])
    person = PersonFactory(association=in_scope)
    with pytest.raises(PermissionDenied):
        person_set_roles(association=in_scope, actor=secretary, person=person, roles=[Role.ADMIN])
    assert roles_of(person) == {Role.MEMBER}
