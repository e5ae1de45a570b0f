"""Asking to join an association and the association's answer."""

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django_scopes import scope, scopes_disabled

from maillon.accounts.tests.factories import UserFactory
from maillon.core.models import AuditEntry
from maillon.members.join_requests.services import join_request_decide, join_request_submit
from maillon.members.models import JoinRequestStatus, Person, Role
from maillon.members.register.services import person_leave
from maillon.members.roles.selectors import my_roles
from maillon.members.tests.factories import JoinRequestFactory, PersonFactory, member_with_account

pytestmark = pytest.mark.django_db


def roles_of(person) -> set[str]:
    return set(person.role_assignments.values_list("role", flat=True))


def last_entry(action: str) -> AuditEntry:
    return AuditEntry.objects.filter(action=action).latest("id")


def test_a_join_request_is_recorded_and_logged(association, db):
    user = UserFactory()
    jr = join_request_submit(
        association=association, user=user, first_name="Nina", last_name="Roux", email=user.email
    )
    assert jr.status == JoinRequestStatus.PENDING
    with scope(association=association):
        assert last_entry("members.join_requested").actor == user
    with pytest.raises(ValidationError):  # already waiting
        join_request_submit(
            association=association, user=user, first_name="N", last_name="R", email=user.email
        )


def test_join_requests_are_refused_when_the_association_does_not_take_them(association):
    association.accepts_join_requests = False
    association.save()
    with pytest.raises(ValidationError):
        join_request_submit(
            association=association, first_name="N", last_name="R", email="n@example.org"
        )


def test_a_member_cannot_ask_to_join_again(association, admin_user):
    with pytest.raises(ValidationError):
        join_request_submit(
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

    jr = join_request_decide(association=in_scope, actor=admin_user, join_request=jr, approve=True)

    assert jr.status == JoinRequestStatus.APPROVED
    assert (jr.person.first_name, jr.person.user) == ("Nina", candidate)
    assert roles_of(jr.person) == {Role.MEMBER}
    assert my_roles(association=in_scope, user=candidate) == {Role.MEMBER}
    assert last_entry("members.join_approved").actor == admin_user
    with pytest.raises(ValidationError):  # answered once only
        join_request_decide(association=in_scope, actor=admin_user, join_request=jr, approve=False)


def test_rejecting_creates_nobody(in_scope, admin_user):
    jr = JoinRequestFactory(association=in_scope)
    count = Person.objects.count()
    jr = join_request_decide(association=in_scope, actor=admin_user, join_request=jr, approve=False)
    assert jr.status == JoinRequestStatus.REJECTED
    assert Person.objects.count() == count
    assert last_entry("members.join_rejected").object_id == str(jr.pk)


@pytest.mark.parametrize("approve", [True, False])
def test_the_candidate_gets_the_answer_by_email_after_commit(
    in_scope, admin_user, django_capture_on_commit_callbacks, approve
):
    jr = JoinRequestFactory(association=in_scope, email="nina@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        join_request_decide(
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
        join_request_decide(association=in_scope, actor=treasurer, join_request=jr, approve=True)
    jr.refresh_from_db()
    assert jr.status == JoinRequestStatus.PENDING


def test_a_former_member_who_asks_again_gets_their_record_back(association, admin_user):
    user = UserFactory(email="revient@example.org")
    person = PersonFactory(association=association, user=user, email=user.email)
    with scope(association=association):
        person_leave(association=association, actor=admin_user, person=person)
    jr = join_request_submit(
        association=association,
        user=user,
        first_name="Re",
        last_name="Vient",
        email=user.email,
    )
    with scope(association=association):
        jr = join_request_decide(
            association=association, actor=admin_user, join_request=jr, approve=True
        )
    assert jr.status == JoinRequestStatus.APPROVED
    with scopes_disabled():
        people = Person.objects.filter(association=association, user=user)
        assert people.count() == 1
        back = people.get()
        assert back.pk == person.pk and back.left_on is None
        assert Role.MEMBER in {ra.role for ra in back.role_assignments.all()}
