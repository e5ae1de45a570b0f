"""Recording and deleting membership periods."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from maillon.core.models import AuditEntry
from maillon.members.fees.services import membership_period_add, membership_period_delete
from maillon.members.models import MembershipPeriod, Role
from maillon.members.register.selectors import person_list
from maillon.members.tests.factories import (
    MembershipPeriodFactory,
    PersonFactory,
    member_with_account,
)

pytestmark = pytest.mark.django_db


TODAY = datetime.date(2025, 3, 15)


def last_entry(action: str) -> AuditEntry:
    return AuditEntry.objects.filter(action=action).latest("id")


def test_a_paid_period_makes_a_person_up_to_date_at_dates_inside_it(in_scope, admin_user):
    paid = PersonFactory(association=in_scope, last_name="Payé")
    unpaid = PersonFactory(association=in_scope, last_name="Impayé")
    membership_period_add(
        association=in_scope,
        actor=admin_user,
        person=paid,
        start=datetime.date(2025, 1, 1),
        end=datetime.date(2025, 12, 31),
        amount=Decimal("25"),
        method="cheque",
    )
    membership_period_add(
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
        membership_period_add(
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
    membership_period_delete(association=in_scope, actor=admin_user, period=period)
    assert not MembershipPeriod.objects.exists()
    assert not person_list(association=in_scope, up_to_date="yes", at=TODAY).exists()
    assert last_entry("members.fee_deleted").data["start"] == "2025-01-01"


def test_a_treasurer_records_fees_but_staff_may_not(in_scope):
    treasurer = member_with_account(in_scope, [Role.TREASURER])
    staff = member_with_account(in_scope, [Role.STAFF])
    person = PersonFactory(association=in_scope)
    period = membership_period_add(
        association=in_scope, actor=treasurer, person=person, start=TODAY, end=TODAY
    )
    with pytest.raises(PermissionDenied):
        membership_period_add(
            association=in_scope, actor=staff, person=person, start=TODAY, end=TODAY
        )
    with pytest.raises(PermissionDenied):
        membership_period_delete(association=in_scope, actor=staff, period=period)
    assert MembershipPeriod.objects.count() == 1
