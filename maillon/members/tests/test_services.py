"""Services of the member register: people, roles, departures, membership fees,
invitations and join requests. Each one checks the actor's permission itself (a view
forgetting to do it must not open a hole) and writes an audit entry."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_scopes import scope

from maillon.accounts.tests.factories import UserFactory
from maillon.core.models import AuditEntry
from maillon.core.tenancy import ObjectOutsideAssociation
from maillon.members import services
from maillon.members.models import (
    Invitation,
    JoinRequestStatus,
    MembershipPeriod,
    Person,
    Role,
)
from maillon.members.selectors import person_list, roles_of_user
from maillon.members.tests.factories import (
    InvitationFactory,
    JoinRequestFactory,
    MembershipPeriodFactory,
    PersonFactory,
    member_with_account,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 3, 15)


def roles_of(person) -> set[str]:
    return set(person.role_assignments.values_list("role", flat=True))


def last_entry(action: str) -> AuditEntry:
    return AuditEntry.objects.filter(action=action).latest("id")


@pytest.fixture
def admin_person(in_scope, admin_user):
    return Person.objects.get(user=admin_user)


# --- person_create / person_update --------------------------------------------------------


def test_person_create_records_a_member_and_logs_it(in_scope, admin_user):
    person = services.person_create(
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
    person = services.person_create(
        association=in_scope, actor=admin_user, first_name="Marcel", last_name="Petit"
    )
    assert person.email == ""
    assert person in person_list(association=in_scope)


def test_person_create_refuses_an_invalid_email_and_an_unknown_role(in_scope, admin_user):
    with pytest.raises(ValidationError) as error:
        services.person_create(
            association=in_scope, actor=admin_user, first_name="A", last_name="B", email="nope"
        )
    assert "email" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.person_create(
            association=in_scope, actor=admin_user, first_name="A", last_name="B", roles=["king"]
        )
    assert "roles" in error.value.message_dict
    assert not Person.objects.filter(first_name="A").exists()


def test_staff_may_add_members_and_volunteers_but_not_give_bureau_roles(in_scope):
    staff = member_with_account(in_scope, [Role.STAFF])
    volunteer = services.person_create(
        association=in_scope, actor=staff, first_name="V", last_name="V", roles=[Role.VOLUNTEER]
    )
    assert roles_of(volunteer) == {Role.VOLUNTEER}
    with pytest.raises(PermissionDenied):
        services.person_create(
            association=in_scope, actor=staff, first_name="T", last_name="T", roles=[Role.TREASURER]
        )
    assert not Person.objects.filter(first_name="T").exists()


@pytest.mark.parametrize("role", [Role.MEMBER, Role.VOLUNTEER, Role.BOARD, Role.TREASURER])
def test_person_create_needs_the_manage_members_permission(in_scope, role):
    user = member_with_account(in_scope, [role])
    with pytest.raises(PermissionDenied):
        services.person_create(association=in_scope, actor=user, first_name="X", last_name="Y")
    assert not Person.objects.filter(first_name="X").exists()


def test_the_admin_of_another_association_cannot_add_people_here(in_scope, other_admin):
    with pytest.raises(PermissionDenied):
        services.person_create(
            association=in_scope, actor=other_admin, first_name="X", last_name="Y"
        )


def test_person_update_saves_and_logs_what_changed(in_scope, admin_user):
    person = PersonFactory(association=in_scope, first_name="Jean", city="Lyon")
    services.person_update(
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
    services.person_update(
        association=in_scope, actor=admin_user, person=person, first_name="Jeanne"
    )
    assert last_entry("members.person_updated").data == {
        "changes": {"first_name": ["Jean", "Jeanne"]}
    }


def test_person_update_needs_the_manage_members_permission(in_scope):
    treasurer = member_with_account(in_scope, [Role.TREASURER])
    person = PersonFactory(association=in_scope, first_name="Jean")
    with pytest.raises(PermissionDenied):
        services.person_update(
            association=in_scope, actor=treasurer, person=person, first_name="Piraté"
        )
    person.refresh_from_db()
    assert person.first_name == "Jean"


def test_services_never_act_on_a_person_of_another_association(
    association, other_association, admin_user
):
    stranger = PersonFactory(association=other_association, first_name="Étranger")
    with scope(association=association), pytest.raises(ObjectOutsideAssociation):
        services.person_update(
            association=association, actor=admin_user, person=stranger, first_name="Piraté"
        )
    stranger.refresh_from_db()
    assert stranger.first_name == "Étranger"


# --- person_set_roles -----------------------------------------------------------------------


def test_set_roles_adds_and_removes_roles_and_logs_them(in_scope, admin_user):
    person = PersonFactory(association=in_scope, roles=[Role.MEMBER, Role.VOLUNTEER])
    services.person_set_roles(
        association=in_scope, actor=admin_user, person=person, roles=[Role.MEMBER, Role.TREASURER]
    )
    assert roles_of(person) == {Role.MEMBER, Role.TREASURER}
    assert last_entry("members.roles_changed").data == {
        "added": ["treasurer"],
        "removed": ["volunteer"],
    }


def test_the_last_administrator_cannot_be_removed(in_scope, admin_user, admin_person):
    with pytest.raises(ValidationError) as error:
        services.person_set_roles(
            association=in_scope, actor=admin_user, person=admin_person, roles=[Role.MEMBER]
        )
    assert "roles" in error.value.message_dict
    assert Role.ADMIN in roles_of(admin_person)


def test_an_administrator_can_step_down_once_another_one_exists(in_scope, admin_user, admin_person):
    PersonFactory(association=in_scope, roles=[Role.ADMIN])
    services.person_set_roles(
        association=in_scope, actor=admin_user, person=admin_person, roles=[Role.MEMBER]
    )
    assert roles_of(admin_person) == {Role.MEMBER}
    assert roles_of_user(association=in_scope, user=admin_user) == {Role.MEMBER}


def test_an_administrator_who_left_does_not_count_as_the_remaining_one(
    in_scope, admin_user, admin_person
):
    PersonFactory(association=in_scope, roles=[Role.ADMIN], left_on=timezone.localdate())
    with pytest.raises(ValidationError):
        services.person_set_roles(
            association=in_scope, actor=admin_user, person=admin_person, roles=[Role.MEMBER]
        )


def test_set_roles_needs_the_manage_roles_permission(in_scope):
    secretary = member_with_account(in_scope, [Role.SECRETARY])
    person = PersonFactory(association=in_scope)
    with pytest.raises(PermissionDenied):
        services.person_set_roles(
            association=in_scope, actor=secretary, person=person, roles=[Role.ADMIN]
        )
    assert roles_of(person) == {Role.MEMBER}


# --- person_leave ---------------------------------------------------------------------------


def test_leave_records_the_date_revokes_invitations_and_ends_access(in_scope, admin_user):
    user = member_with_account(in_scope, [Role.MEMBER, Role.VOLUNTEER])
    person = Person.objects.get(user=user)
    other = PersonFactory(association=in_scope)
    invitation = InvitationFactory(person=other)

    today = timezone.localdate()
    services.person_leave(association=in_scope, actor=admin_user, person=person, left_on=today)
    services.person_leave(association=in_scope, actor=admin_user, person=other)

    person.refresh_from_db()
    assert person.left_on == today
    assert roles_of_user(association=in_scope, user=user) == frozenset()
    assert person not in person_list(association=in_scope)
    assert person in person_list(association=in_scope, status="left")
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert last_entry("members.person_left").object_id == str(other.pk)


def test_a_person_cannot_leave_twice(in_scope, admin_user):
    person = PersonFactory(association=in_scope, left_on=timezone.localdate())
    with pytest.raises(ValidationError):
        services.person_leave(association=in_scope, actor=admin_user, person=person)


def test_the_last_administrator_cannot_leave(in_scope, admin_user, admin_person):
    with pytest.raises(ValidationError):
        services.person_leave(association=in_scope, actor=admin_user, person=admin_person)
    admin_person.refresh_from_db()
    assert admin_person.left_on is None


def test_leave_needs_the_manage_members_permission(in_scope):
    board = member_with_account(in_scope, [Role.BOARD])
    person = PersonFactory(association=in_scope)
    with pytest.raises(PermissionDenied):
        services.person_leave(association=in_scope, actor=board, person=person)
    person.refresh_from_db()
    assert person.left_on is None


# --- membership periods -------------------------------------------------------------------


def test_a_paid_period_makes_a_person_up_to_date_at_dates_inside_it(in_scope, admin_user):
    paid = PersonFactory(association=in_scope, last_name="Payé")
    unpaid = PersonFactory(association=in_scope, last_name="Impayé")
    services.membership_period_add(
        association=in_scope,
        actor=admin_user,
        person=paid,
        start=datetime.date(2025, 1, 1),
        end=datetime.date(2025, 12, 31),
        amount=Decimal("25"),
        method="cheque",
    )
    services.membership_period_add(
        association=in_scope,
        actor=admin_user,
        person=unpaid,
        start=datetime.date(2025, 1, 1),
        end=datetime.date(2025, 12, 31),
        fee_paid=False,
    )

    def up_to_date(value, at):
        return {p.last_name for p in person_list(association=in_scope, up_to_date=value, at=at)}

    assert up_to_date("yes", TODAY) == {"Payé"}
    assert "Impayé" in up_to_date("no", TODAY)
    assert "Payé" not in up_to_date("no", TODAY)
    assert up_to_date("yes", datetime.date(2024, 12, 31)) == set()
    assert up_to_date("yes", datetime.date(2025, 12, 31)) == {"Payé"}
    entry = AuditEntry.objects.get(action="members.fee_recorded", object_id=str(paid.pk))
    assert (entry.data["amount"], entry.data["fee_paid"]) == ("25", True)


def test_a_period_must_end_after_it_starts(in_scope, admin_user):
    person = PersonFactory(association=in_scope)
    with pytest.raises(ValidationError):
        services.membership_period_add(
            association=in_scope,
            actor=admin_user,
            person=person,
            start=datetime.date(2025, 12, 31),
            end=datetime.date(2025, 1, 1),
        )
    assert not MembershipPeriod.objects.exists()


def test_deleting_a_period_is_logged_and_the_person_is_no_longer_up_to_date(in_scope, admin_user):
    period = MembershipPeriodFactory(
        person=PersonFactory(association=in_scope),
        start=datetime.date(2025, 1, 1),
        end=datetime.date(2025, 12, 31),
    )
    services.membership_period_delete(association=in_scope, actor=admin_user, period=period)
    assert not MembershipPeriod.objects.exists()
    assert not person_list(association=in_scope, up_to_date="yes", at=TODAY).exists()
    assert last_entry("members.fee_deleted").data["start"] == "2025-01-01"


def test_a_treasurer_records_fees_but_staff_may_not(in_scope):
    treasurer = member_with_account(in_scope, [Role.TREASURER])
    staff = member_with_account(in_scope, [Role.STAFF])
    person = PersonFactory(association=in_scope)
    period = services.membership_period_add(
        association=in_scope, actor=treasurer, person=person, start=TODAY, end=TODAY
    )
    with pytest.raises(PermissionDenied):
        services.membership_period_add(
            association=in_scope, actor=staff, person=person, start=TODAY, end=TODAY
        )
    with pytest.raises(PermissionDenied):
        services.membership_period_delete(association=in_scope, actor=staff, period=period)
    assert MembershipPeriod.objects.count() == 1


# --- invitations ----------------------------------------------------------------------------


def test_an_invitation_email_is_sent_after_commit_with_the_accept_link(
    in_scope, admin_user, django_capture_on_commit_callbacks
):
    person = PersonFactory(association=in_scope, email="", first_name="Rose")
    old = InvitationFactory(person=person, email="old@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_send(
            association=in_scope, actor=admin_user, person=person, email="rose@example.org"
        )

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["rose@example.org"]
    assert in_scope.name in message.subject
    assert f"{settings.SITE_URL}/invitations/{invitation.token}/" in message.body
    person.refresh_from_db()
    assert person.email == "rose@example.org"  # the address becomes the person's
    old.refresh_from_db()
    assert old.revoked_at is not None
    assert last_entry("members.invitation_sent").data == {"email": "rose@example.org"}


def test_no_email_leaves_before_the_transaction_commits(in_scope, admin_user):
    person = PersonFactory(association=in_scope)
    services.invitation_send(association=in_scope, actor=admin_user, person=person)
    assert mail.outbox == []


@pytest.mark.parametrize(
    "person_kwargs",
    [
        {"email": ""},  # nowhere to send it
        {"left_on": timezone.localdate()},  # has left
    ],
)
def test_some_people_cannot_be_invited(in_scope, admin_user, person_kwargs):
    person = PersonFactory(association=in_scope, **person_kwargs)
    with pytest.raises(ValidationError):
        services.invitation_send(association=in_scope, actor=admin_user, person=person)
    assert not Invitation.objects.exists()


def test_a_person_already_linked_to_an_account_cannot_be_invited(in_scope, admin_user):
    user = member_with_account(in_scope, [Role.MEMBER])
    with pytest.raises(ValidationError):
        services.invitation_send(
            association=in_scope, actor=admin_user, person=Person.objects.get(user=user)
        )


def test_invitation_send_needs_the_manage_members_permission(in_scope):
    board = member_with_account(in_scope, [Role.BOARD])
    with pytest.raises(PermissionDenied):
        services.invitation_send(
            association=in_scope, actor=board, person=PersonFactory(association=in_scope)
        )
    assert not Invitation.objects.exists()


def test_accepting_links_the_account_to_the_person(association, db):
    invitation = InvitationFactory(person__association=association)
    user = UserFactory()

    person = services.invitation_accept(invitation=invitation, user=user)

    assert person.user == user
    assert roles_of_user(association=association, user=user) == {Role.MEMBER}
    with scope(association=association):
        invitation.refresh_from_db()
        assert invitation.accepted_at is not None
        assert last_entry("members.invitation_accepted").actor == user
    # A used link cannot be used again, by anybody.
    with pytest.raises(ValidationError):
        services.invitation_accept(invitation=invitation, user=UserFactory())


def test_an_expired_invitation_is_refused(association, db):
    invitation = InvitationFactory(
        person__association=association, expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    user = UserFactory()
    with pytest.raises(ValidationError):
        services.invitation_accept(invitation=invitation, user=user)
    assert roles_of_user(association=association, user=user) == frozenset()


def test_an_account_is_linked_to_one_person_per_association(association, admin_user):
    invitation = InvitationFactory(person__association=association)
    with pytest.raises(ValidationError):
        services.invitation_accept(invitation=invitation, user=admin_user)
    with scope(association=association):
        assert Person.objects.get(pk=invitation.person_id).user is None


# --- join requests --------------------------------------------------------------------------


def test_a_join_request_is_recorded_and_logged(association, db):
    user = UserFactory()
    jr = services.join_request_submit(
        association=association, user=user, first_name="Nina", last_name="Roux", email=user.email
    )
    assert jr.status == JoinRequestStatus.PENDING
    with scope(association=association):
        assert last_entry("members.join_requested").actor == user
    with pytest.raises(ValidationError):  # already waiting
        services.join_request_submit(
            association=association, user=user, first_name="N", last_name="R", email=user.email
        )


def test_join_requests_are_refused_when_the_association_does_not_take_them(association):
    association.accepts_join_requests = False
    association.save()
    with pytest.raises(ValidationError):
        services.join_request_submit(
            association=association, first_name="N", last_name="R", email="n@example.org"
        )


def test_a_member_cannot_ask_to_join_again(association, admin_user):
    with pytest.raises(ValidationError):
        services.join_request_submit(
            association=association,
            user=admin_user,
            first_name="A",
            last_name="B",
            email=admin_user.email,
        )


def test_approving_creates_a_member_linked_to_the_account(in_scope, admin_user):
    candidate = UserFactory()
    jr = JoinRequestFactory(
        association=in_scope, user=candidate, first_name="Nina", email=candidate.email
    )

    jr = services.join_request_decide(
        association=in_scope, actor=admin_user, join_request=jr, approve=True
    )

    assert jr.status == JoinRequestStatus.APPROVED
    assert (jr.person.first_name, jr.person.user) == ("Nina", candidate)
    assert roles_of(jr.person) == {Role.MEMBER}
    assert roles_of_user(association=in_scope, user=candidate) == {Role.MEMBER}
    assert last_entry("members.join_approved").actor == admin_user
    with pytest.raises(ValidationError):  # answered once only
        services.join_request_decide(
            association=in_scope, actor=admin_user, join_request=jr, approve=False
        )


def test_rejecting_creates_nobody(in_scope, admin_user):
    jr = JoinRequestFactory(association=in_scope)
    count = Person.objects.count()
    jr = services.join_request_decide(
        association=in_scope, actor=admin_user, join_request=jr, approve=False
    )
    assert jr.status == JoinRequestStatus.REJECTED
    assert Person.objects.count() == count
    assert last_entry("members.join_rejected").object_id == str(jr.pk)


@pytest.mark.parametrize("approve", [True, False])
def test_the_candidate_gets_the_answer_by_email_after_commit(
    in_scope, admin_user, django_capture_on_commit_callbacks, approve
):
    jr = JoinRequestFactory(association=in_scope, email="nina@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.join_request_decide(
            association=in_scope, actor=admin_user, join_request=jr, approve=approve
        )
    assert [m.to for m in mail.outbox] == [["nina@example.org"]]
    assert in_scope.name in mail.outbox[0].subject
    # Someone accepted without an account is told where to create one.
    signup_link = f"{settings.SITE_URL}/accounts/signup/"
    assert (signup_link in mail.outbox[0].body) is approve


def test_deciding_needs_the_manage_members_permission(in_scope):
    treasurer = member_with_account(in_scope, [Role.TREASURER])
    jr = JoinRequestFactory(association=in_scope)
    with pytest.raises(PermissionDenied):
        services.join_request_decide(
            association=in_scope, actor=treasurer, join_request=jr, approve=True
        )
    jr.refresh_from_db()
    assert jr.status == JoinRequestStatus.PENDING
