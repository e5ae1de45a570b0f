"""Membership fees: the periods a person's membership covers, paid or not."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from maillon.accounts.models import User
from maillon.associations.models import Association
from maillon.core.audit import audit_log
from maillon.core.tenancy import ensure_same_association

from ..models import MembershipPeriod, Person
from ..permissions import Perm, check_permission

PERIOD_FIELDS = ("start", "end", "fee_paid", "amount", "method", "paid_on", "note")


@transaction.atomic
def membership_period_add(
    *, association: Association, actor: User, person: Person, **fields: Any
) -> MembershipPeriod:
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_FEES)
    ensure_same_association(association, person)
    period = MembershipPeriod(
        association=association,
        person=person,
        **{k: v for k, v in fields.items() if k in PERIOD_FIELDS},
    )
    period.full_clean(exclude=["association", "person"])
    period.save()
    audit_log(
        association=association,
        actor=actor,
        action="members.fee_recorded",
        obj=person,
        data={
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "amount": str(period.amount),
            "method": period.method,
            "fee_paid": period.fee_paid,
        },
    )
    return period


@transaction.atomic
def membership_period_delete(
    *, association: Association, actor: User, period: MembershipPeriod
) -> None:
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_FEES)
    ensure_same_association(association, period)
    audit_log(
        association=association,
        actor=actor,
        action="members.fee_deleted",
        obj=period.person,
        data={
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "amount": str(period.amount),
        },
    )
    period.delete()
