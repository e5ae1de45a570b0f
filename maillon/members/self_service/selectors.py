"""Reads of a member's own space in one association: their membership at a glance."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from maillon.associations.models import Association

from ..fees.selectors import fee_history, fee_type_list, standing_of
from ..models import FeeType, MembershipPeriod, Person


@dataclass(frozen=True)
class MyMembership:
    person: Person
    up_to_date: bool
    covered_until: datetime.date | None
    next_period_start: datetime.date | None
    history: list[MembershipPeriod]
    online_fee_types: list[FeeType]


def my_membership_summary(*, association: Association, person: Person) -> MyMembership:
    """``person`` is the signed-in user's own record (``request.person``): nothing
    here reads anyone else's rows."""
    standing = standing_of(person=person)
    return MyMembership(
        person=person,
        up_to_date=standing.up_to_date,
        covered_until=standing.until,
        next_period_start=standing.next_start,
        history=list(fee_history(person=person)[:50]),
        online_fee_types=list(fee_type_list(association=association).filter(online=True)),
    )
