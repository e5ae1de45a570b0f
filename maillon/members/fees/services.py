"""Membership fees: the association's schedule (fee types and the period a fee
covers) and the periods a person's membership covers, paid or not."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.accounts.models import User
from maillon.associations.models import Association
from maillon.core.audit import audit_log
from maillon.core.tenancy import ensure_same_association

from ..models import FeePricing, FeeSchedule, FeeType, MembershipPeriod, Person
from ..permissions import Perm, check_permission
from .periods import period_for_payment
from .selectors import covered_until, period_rule_of

PERIOD_FIELDS = (
    "start",
    "end",
    "fee_paid",
    "amount",
    "method",
    "paid_on",
    "note",
    "fee_type",
    "receipt_url",
)
SCHEDULE_FIELDS = (
    "period_rule",
    "season_start_day",
    "season_start_month",
    "custom_start",
    "custom_end",
    "reminders_enabled",
    "remind_days_before",
    "remind_again_after_days",
)
FEE_TYPE_FIELDS = ("name", "kind", "pricing", "amount", "minimum_amount", "online", "archived")


@transaction.atomic
def fee_schedule_update(*, association: Association, actor: User, **fields: Any) -> FeeSchedule:
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_FEES)
    schedule, _created = FeeSchedule.objects.select_for_update().get_or_create(
        association=association
    )
    for name in SCHEDULE_FIELDS:
        if name in fields:
            setattr(schedule, name, fields[name])
    _check_schedule(schedule)
    schedule.full_clean(exclude=["association"])
    schedule.save()
    audit_log(
        association=association,
        actor=actor,
        action="members.fee_schedule_updated",
        obj=schedule,
        data={name: str(getattr(schedule, name)) for name in SCHEDULE_FIELDS},
    )
    return schedule


def _check_schedule(schedule: FeeSchedule) -> None:
    try:
        # 29 February would make a season that starts some years only.
        datetime.date(2023, schedule.season_start_month, schedule.season_start_day)
    except ValueError:
        raise ValidationError(
            {"season_start_day": _("This day does not exist in every year.")}
        ) from None
    if schedule.period_rule == "custom" and not (schedule.custom_start and schedule.custom_end):
        raise ValidationError({"custom_end": _("Give the start and the end of the period.")})


@transaction.atomic
def fee_type_save(
    *, association: Association, actor: User, fee_type: FeeType | None = None, **fields: Any
) -> FeeType:
    """Create a fee type (``fee_type=None``) or change one."""
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_FEES)
    ensure_same_association(association, fee_type)
    created = fee_type is None
    fee_type = fee_type or FeeType(association=association)
    for name in FEE_TYPE_FIELDS:
        if name in fields:
            setattr(fee_type, name, fields[name])
    if fee_type.pricing == FeePricing.FREE and fee_type.minimum_amount is None:
        fee_type.minimum_amount = Decimal("0")
    fee_type.full_clean(exclude=["association"])
    fee_type.save()
    audit_log(
        association=association,
        actor=actor,
        action="members.fee_type_created" if created else "members.fee_type_updated",
        obj=fee_type,
        data={name: str(getattr(fee_type, name)) for name in FEE_TYPE_FIELDS},
    )
    return fee_type


def fee_amount_check(*, fee_type: FeeType | None, amount: Decimal | None) -> Decimal:
    """The amount due for ``fee_type``: its fixed amount, or the amount given when free
    (at least its minimum). Raises ValidationError on the ``amount`` field."""
    if fee_type is None:
        return amount if amount is not None else Decimal("0")
    if fee_type.pricing == FeePricing.FIXED:
        return fee_type.amount if amount is None else amount
    minimum = fee_type.minimum_amount or Decimal("0")
    if amount is None or amount < minimum:
        raise ValidationError(
            {"amount": _("The amount must be at least %(minimum)s €.") % {"minimum": minimum}}
        )
    return amount


def fee_period_for(
    *, association: Association, person: Person, paid_on: datetime.date
) -> tuple[datetime.date, datetime.date]:
    """The dates a fee paid on ``paid_on`` covers under the association's rule."""
    return period_for_payment(
        period_rule_of(association=association), paid_on, covered_until(person=person)
    )


@transaction.atomic
def membership_period_add(
    *, association: Association, actor: User | None, person: Person, **fields: Any
) -> MembershipPeriod:
    """Record a fee. Without ``start``/``end``, the period comes from the association's
    rule and the payment date. ``actor=None`` is the system recording a payment
    confirmed by the payment provider (no permission to check)."""
    if actor is not None:
        check_permission(association=association, actor=actor, permission=Perm.MANAGE_FEES)
    ensure_same_association(association, person, fields.get("fee_type"))
    values = {k: v for k, v in fields.items() if k in PERIOD_FIELDS}
    if values.get("fee_paid", True) and not values.get("paid_on"):
        values["paid_on"] = timezone.localdate()
    if not values.get("start") or not values.get("end"):
        values["start"], values["end"] = fee_period_for(
            association=association,
            person=person,
            paid_on=values.get("paid_on") or timezone.localdate(),
        )
    if fields.get("fee_type") is not None or values.get("amount") is None:
        values["amount"] = fee_amount_check(
            fee_type=fields.get("fee_type"), amount=values.get("amount")
        )
    period = MembershipPeriod(association=association, person=person, **values)
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
            "fee_type": period.fee_type.name if period.fee_type else "",
        },
    )
    return period


@transaction.atomic
def membership_period_cancel(
    *, association: Association, actor: User | None, period: MembershipPeriod, reason: str
) -> MembershipPeriod:
    """A refunded fee: the period stays in the history, no longer paid."""
    if actor is not None:
        check_permission(association=association, actor=actor, permission=Perm.MANAGE_FEES)
    ensure_same_association(association, period)
    period = MembershipPeriod.objects.select_for_update().get(pk=period.pk)
    if period.cancelled_at is not None:
        return period
    period.cancelled_at = timezone.now()
    period.fee_paid = False
    period.note = (f"{period.note} — {reason}" if period.note else reason)[:255]
    period.save(update_fields=["cancelled_at", "fee_paid", "note"])
    audit_log(
        association=association,
        actor=actor,
        action="members.fee_cancelled",
        obj=period.person,
        data={"start": period.start.isoformat(), "end": period.end.isoformat(), "reason": reason},
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
