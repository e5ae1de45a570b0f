"""Membership fees read back: "up to date at date X", and a period reached only
through its own person."""

import datetime

import pytest
from django.http import Http404

from maillon.members.fees.selectors import is_up_to_date, membership_period_get
from maillon.members.models import Role
from maillon.members.register.selectors import person_list
from maillon.members.tests.factories import MembershipPeriodFactory, PersonFactory

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


def test_a_period_is_only_reached_through_its_own_person(in_scope):
    period = MembershipPeriodFactory(person=PersonFactory(association=in_scope))
    other = PersonFactory(association=in_scope)
    assert membership_period_get(association=in_scope, person=period.person, period_id=period.pk)
    with pytest.raises(Http404):
        membership_period_get(association=in_scope, person=other, period_id=period.pk)
