"""The members.renewal_rate metric."""

import datetime
from decimal import Decimal

import pytest

from maillon.members.tests.factories import MembershipPeriodFactory, PersonFactory
from maillon.metrics.registry import measure

pytestmark = pytest.mark.django_db
D = datetime.date


def test_renewal_rate(association, other_association):
    season = {"start": D(2025, 9, 1), "end": D(2026, 8, 31)}
    renewed, lapsed, refunded = (PersonFactory(association=association) for _ in range(3))
    for person in (renewed, lapsed, refunded):
        MembershipPeriodFactory(person=person, **season)
    MembershipPeriodFactory(person=renewed, start=D(2026, 9, 1), end=D(2027, 8, 31))
    MembershipPeriodFactory(
        person=refunded, start=D(2026, 9, 1), end=D(2027, 8, 31), fee_paid=False
    )
    # Another association's renewals count nowhere else.
    MembershipPeriodFactory(person=PersonFactory(association=other_association), **season)

    value = measure(
        "members.renewal_rate", association=association, start=D(2026, 7, 1), end=D(2026, 9, 30)
    )
    assert value == Decimal("33.3")
    assert (
        measure(
            "members.renewal_rate",
            association=association,
            start=D(2020, 1, 1),
            end=D(2020, 12, 31),
        )
        is None
    )
