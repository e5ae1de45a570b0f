"""Reads of the member register: filters, the "up to date at date X" question, access
helpers that answer 404 outside the association, and who belongs where."""

import datetime

import pytest
from django.http import Http404
from django.utils import timezone
from django_scopes import scope

from maillon.accounts.tests.factories import UserFactory
from maillon.members.models import JoinRequestStatus, Role
from maillon.members.permissions import Perm
from maillon.members.selectors import (
    associations_of_user,
    invitation_by_token,
    is_up_to_date,
    join_request_get,
    join_request_list,
    membership_context,
    membership_period_get,
    person_get,
    person_list,
    roles_of_user,
)
from maillon.members.tests.factories import (
    InvitationFactory,
    JoinRequestFactory,
    MembershipPeriodFactory,
    PersonFactory,
    member_with_account,
)

pytestmark = pytest.mark.django_db

YEAR_2025 = {"start": datetime.date(2025, 1, 1), "end": datetime.date(2025, 12, 31)}


def names(qs) -> list[str]:
    return [p.last_name for p in qs]


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


def test_the_default_list_is_current_members_sorted_by_name(in_scope, people):
    assert names(person_list(association=in_scope)) == ["Blanc", "Noir"]
    assert names(person_list(association=in_scope, status="left")) == ["Vert"]
    assert names(person_list(association=in_scope, status="all")) == ["Blanc", "Noir", "Vert"]


def test_search_matches_every_word_on_name_email_or_city(in_scope, people):
    assert names(person_list(association=in_scope, search="ana lyon")) == ["Blanc"]
    assert names(person_list(association=in_scope, search="ANA@EXAMPLE")) == ["Blanc"]
    assert names(person_list(association=in_scope, search="villeur")) == ["Noir"]
    assert names(person_list(association=in_scope, search="ana villeurbanne")) == []


def test_role_and_joined_year_filters(in_scope, people):
    assert names(person_list(association=in_scope, role=Role.SECRETARY)) == ["Blanc"]
    assert names(person_list(association=in_scope, role=Role.VOLUNTEER)) == ["Noir"]
    assert names(person_list(association=in_scope, role=Role.ADMIN)) == []
    assert names(person_list(association=in_scope, joined_year=2024)) == ["Noir"]


def test_up_to_date_at_a_date_is_a_paid_period_containing_it(in_scope, people):
    inside, before = datetime.date(2025, 7, 14), datetime.date(2024, 12, 31)
    assert names(person_list(association=in_scope, up_to_date="yes", at=inside)) == ["Blanc"]
    assert names(person_list(association=in_scope, up_to_date="no", at=inside)) == ["Noir"]
    assert names(person_list(association=in_scope, up_to_date="yes", at=before)) == []
    flags = {p.last_name: p.is_up_to_date for p in person_list(association=in_scope, at=inside)}
    assert flags == {"Blanc": True, "Noir": False}
    ana, bob = people
    assert is_up_to_date(person=ana, at=inside)
    assert not is_up_to_date(person=bob, at=inside)


def test_person_get_answers_404_outside_the_association(association, other_association):
    mine = PersonFactory(association=association)
    theirs = PersonFactory(association=other_association)
    with scope(association=association):
        assert person_get(association=association, person_id=str(mine.pk)) == mine
        for wrong in (theirs.pk, "abc", None, 10**9):
            with pytest.raises(Http404):
                person_get(association=association, person_id=wrong)


def test_a_period_is_only_reached_through_its_own_person(in_scope):
    period = MembershipPeriodFactory(person=PersonFactory(association=in_scope))
    other = PersonFactory(association=in_scope)
    assert membership_period_get(association=in_scope, person=period.person, period_id=period.pk)
    with pytest.raises(Http404):
        membership_period_get(association=in_scope, person=other, period_id=period.pk)


def test_join_requests_by_status_and_access(association, other_association):
    pending = JoinRequestFactory(association=association)
    JoinRequestFactory(association=association, status=JoinRequestStatus.REJECTED)
    theirs = JoinRequestFactory(association=other_association)
    with scope(association=association):
        assert list(join_request_list(association=association)) == [pending]
        assert join_request_list(association=association, status="rejected").count() == 1
        assert join_request_list(association=association, status="").count() == 2
        assert join_request_get(association=association, join_request_id=pending.pk) == pending
        with pytest.raises(Http404):
            join_request_get(association=association, join_request_id=theirs.pk)


def test_an_invitation_is_found_by_its_token_outside_any_scope(association):
    invitation = InvitationFactory(person__association=association)
    assert invitation_by_token(invitation.token) == invitation
    assert invitation_by_token("unknown") is None


def test_membership_context_gives_roles_and_permissions(association, other_association):
    user = member_with_account(association, [Role.TREASURER])
    context = membership_context(association=association, user=user)
    assert context.roles == {Role.TREASURER}
    assert Perm.MANAGE_FEES in context.permissions
    assert Perm.MANAGE_MEMBERS not in context.permissions
    assert context.is_bureau
    assert membership_context(association=other_association, user=user) is None


def test_people_who_left_or_hold_no_role_are_outsiders(association):
    left = member_with_account(association, [Role.ADMIN])
    with scope(association=association):
        person = left.people.get()
    person.left_on = timezone.localdate()
    person.save()
    roleless = member_with_account(association, [])

    for user in (left, roleless):
        assert membership_context(association=association, user=user) is None
        assert roles_of_user(association=association, user=user) == frozenset()
        assert associations_of_user(user=user) == []


def test_associations_of_user_lists_each_association_with_its_roles(association, other_association):
    user = UserFactory()
    PersonFactory(association=association, user=user, roles=[Role.MEMBER, Role.BOARD])
    PersonFactory(association=other_association, user=user, roles=[Role.VOLUNTEER])
    assert associations_of_user(user=user) == [
        (other_association, ["volunteer"]),  # "Club Voisin" sorts first
        (association, ["board", "member"]),
    ]
