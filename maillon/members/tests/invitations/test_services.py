"""Inviting a person of the register and accepting the invitation."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_scopes import scope

from maillon.accounts.tests.factories import UserFactory
from maillon.core.models import AuditEntry
from maillon.members.invitations.services import invitation_accept, invitation_send
from maillon.members.models import Invitation, Person, Role
from maillon.members.roles.selectors import my_roles
from maillon.members.tests.factories import InvitationFactory, PersonFactory, member_with_account

pytestmark = pytest.mark.django_db


def last_entry(action: str) -> AuditEntry:
    return AuditEntry.objects.filter(action=action).latest("id")


def test_an_invitation_email_is_sent_after_commit_with_the_accept_link(
    in_scope, admin_user, django_capture_on_commit_callbacks
):
    person = PersonFactory(association=in_scope, email="", first_name="Rose")
    old = InvitationFactory(person=person, email="old@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_send(
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
    invitation_send(association=in_scope, actor=admin_user, person=person)
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
        invitation_send(association=in_scope, actor=admin_user, person=person)
    assert not Invitation.objects.exists()


def test_a_person_already_linked_to_an_account_cannot_be_invited(in_scope, admin_user):
    user = member_with_account(in_scope, [Role.MEMBER])
    with pytest.raises(ValidationError):
        invitation_send(
            association=in_scope, actor=admin_user, person=Person.objects.get(user=user)
        )


def test_invitation_send_needs_the_manage_members_permission(in_scope):
    board = member_with_account(in_scope, [Role.BOARD])
    with pytest.raises(PermissionDenied):
        invitation_send(
            association=in_scope, actor=board, person=PersonFactory(association=in_scope)
        )
    assert not Invitation.objects.exists()


def test_accepting_links_the_account_to_the_person(association, db):
    invitation = InvitationFactory(person__association=association)
    user = UserFactory()

    person = invitation_accept(invitation=invitation, user=user)

    assert person.user == user
    assert my_roles(association=association, user=user) == {Role.MEMBER}
    with scope(association=association):
        invitation.refresh_from_db()
        assert invitation.accepted_at is not None
        assert last_entry("members.invitation_accepted").actor == user
    # A used link cannot be used again, by anybody.
    with pytest.raises(ValidationError):
        invitation_accept(invitation=invitation, user=UserFactory())


def test_an_expired_invitation_is_refused(association, db):
    invitation = InvitationFactory(
        person__association=association, expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    user = UserFactory()
    with pytest.raises(ValidationError):
        invitation_accept(invitation=invitation, user=user)
    assert my_roles(association=association, user=user) == frozenset()


def test_an_account_is_linked_to_one_person_per_association(association, admin_user):
    invitation = InvitationFactory(person__association=association)
    with pytest.raises(ValidationError):
        invitation_accept(invitation=invitation, user=admin_user)
    with scope(association=association):
        assert Person.objects.get(pk=invitation.person_id).user is None
