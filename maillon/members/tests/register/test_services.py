"""Services of the member register: adding and changing a person, recording a
departure. Each one checks the actor's permission itself (a view forgetting to do
it must not open a hole) and writes an audit entry."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_scopes import scope

from maillon.core.models import AuditEntry
from maillon.core.tenancy import ObjectOutsideAssociation
from maillon.members.models import Person, Role
from maillon.members.register.selectors import person_list
from maillon.members.register.services import person_create, person_leave, person_update
from maillon.members.roles.selectors import my_roles
from maillon.members.tests.factories import InvitationFactory, PersonFactory, member_with_account

pytestmark = pytest.mark.django_db


def roles_of(person) -> set[str]:
    return set(person.role_assignments.values_list("role", flat=True))


def last_entry(action: str) -> AuditEntry:
    return AuditEntry.objects.filter(action=action).latest("id")


@pytest.fixture
def admin_person(in_scope, admin_user):
    return Person.objects.get(user=admin_user)


def test_person_create_records_a_member_and_logs_it(in_scope, admin_user):
    person = person_create(
        association=in_scope,
        actor=admin_user,
        first_name="Lucie",
        last_name="Bernard",
        email="lucie@example.org",
    )

    assert person.association == in_scope
    assert roles_of(person) == {Role.MEMBER}
    entry = last_entry("members.person_created")
    assert (entry.object_id, entry.data, entry.actor) == (
        str(person.pk),
        {"roles": ["member"]},
        admin_user,
    )


def test_a_member_without_email_is_a_full_member(in_scope, admin_user):
    person = person_create(
        association=in_scope, actor=admin_user, first_name="Marcel", last_name="Petit"
    )
    assert person.email == ""
    assert person in person_list(association=in_scope)


def test_person_create_refuses_an_invalid_email_and_an_unknown_role(in_scope, admin_user):
    with pytest.raises(ValidationError) as error:
        person_create(
            association=in_scope, actor=admin_user, first_name="A", last_name="B", email="nope"
        )
    assert "email" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        person_create(
            association=in_scope, actor=admin_user, first_name="A", last_name="B", roles=["king"]
        )
    assert "roles" in error.value.message_dict
    assert not Person.objects.filter(first_name="A").exists()


def test_staff_may_add_members_and_volunteers_but_not_give_bureau_roles(in_scope):
    staff = member_with_account(in_scope, [Role.STAFF])
    volunteer = person_create(
        association=in_scope, actor=staff, first_name="V", last_name="V", roles=[Role.VOLUNTEER]
    )
    assert roles_of(volunteer) == {Role.VOLUNTEER}
    with pytest.raises(PermissionDenied):
        person_create(
            association=in_scope, actor=staff, first_name="T", last_name="T", roles=[Role.TREASURER]
        )
    assert not Person.objects.filter(first_name="T").exists()


@pytest.mark.parametrize("role", [Role.MEMBER, Role.VOLUNTEER, Role.BOARD, Role.TREASURER])
def test_person_create_needs_the_manage_members_permission(in_scope, role):
    user = member_with_account(in_scope, [role])
    with pytest.raises(PermissionDenied):
        person_create(association=in_scope, actor=user, first_name="X", last_name="Y")
    assert not Person.objects.filter(first_name="X").exists()


def test_the_admin_of_another_association_cannot_add_people_here(in_scope, other_admin):
    with pytest.raises(PermissionDenied):
        person_create(association=in_scope, actor=other_admin, first_name="X", last_name="Y")


def test_person_update_saves_and_logs_what_changed(in_scope, admin_user):
    person = PersonFactory(association=in_scope, first_name="Jean", city="Lyon")
    person_update(
        association=in_scope, actor=admin_user, person=person, first_name="Jeanne", city="Lyon"
    )
    person.refresh_from_db()
    assert person.first_name == "Jeanne"
    entry = last_entry("members.person_updated")
    assert entry.data == {"changes": {"first_name": ["Jean", "Jeanne"]}}


def test_person_update_compares_with_the_stored_record_not_the_object_passed(in_scope, admin_user):
    """A form bound to the instance has already set the new values on it: the audit
    entry must still say what changed in the register."""
    person = PersonFactory(association=in_scope, first_name="Jean")
    person.first_name = "Jeanne"  # what a ModelForm's validation does to its instance
    person_update(association=in_scope, actor=admin_user, person=person, first_name="Jeanne")
    assert last_entry("members.person_updated").data == {
        "changes": {"first_name": ["Jean", "Jeanne"]}
    }


def test_person_update_needs_the_manage_members_permission(in_scope):
    treasurer = member_with_account(in_scope, [Role.TREASURER])
    person = PersonFactory(association=in_scope, first_name="Jean")
    with pytest.raises(PermissionDenied):
        person_update(association=in_scope, actor=treasurer, person=person, first_name="Piraté")
    person.refresh_from_db()
    assert person.first_name == "Jean"


def test_services_never_act_on_a_person_of_another_association(
    association, other_association, admin_user
):
    stranger = PersonFactory(association=other_association, first_name="Étranger")
    with scope(association=association), pytest.raises(ObjectOutsideAssociation):
        person_update(
            association=association, actor=admin_user, person=stranger, first_name="Piraté"
        )
    stranger.refresh_from_db()
    assert stranger.first_name == "Étranger"


def test_leave_records_the_date_revokes_invitations_and_ends_access(in_scope, admin_user):
    user = member_with_account(in_scope, [Role.MEMBER, Role.VOLUNTEER])
    person = Person.objects.get(user=user)
    other = PersonFactory(association=in_scope)
    invitation = InvitationFactory(person=other)

    today = timezone.localdate()
    person_leave(association=in_scope, actor=admin_user, person=person, left_on=today)
    person_leave(association=in_scope, actor=admin_user, person=other)

    person.refresh_from_db()
    assert person.left_on == today
    assert my_roles(association=in_scope, user=user) == frozenset()
    assert person not in person_list(association=in_scope)
    assert person in person_list(association=in_scope, status="left")
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert last_entry("members.person_left").object_id == str(other.pk)


def test_a_person_cannot_leave_twice(in_scope, admin_user):
    person = PersonFactory(association=in_scope, left_on=timezone.localdate())
    with pytest.raises(ValidationError):
        person_leave(association=in_scope, actor=admin_user, person=person)


def test_the_last_administrator_cannot_leave(in_scope, admin_user, admin_person):
    with pytest.raises(ValidationError):
        person_leave(association=in_scope, actor=admin_user, person=admin_person)
    admin_person.refresh_from_db()
    assert admin_person.left_on is None


def test_leave_needs_the_manage_members_permission(in_scope):
    board = member_with_account(in_scope, [Role.BOARD])
    person = PersonFactory(association=in_scope)
    with pytest.raises(PermissionDenied):
        person_leave(association=in_scope, actor=board, person=person)
    person.refresh_from_db()
    assert person.left_on is None
