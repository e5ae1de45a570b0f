"""The "membership_fee" purpose: a paid checkout records the member's fee period under
the association's rule; a refund cancels it."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.core.tenancy import ObjectOutsideAssociation, ensure_same_association
from maillon.members.fees.services import (
    fee_amount_check,
    membership_period_add,
    membership_period_cancel,
)
from maillon.members.models import (
    FeePricing,
    FeeType,
    MembershipPeriod,
    PaymentMethod,
    Person,
)

from .checkout.services import checkout_start
from .models import Payment


def on_fee_paid(payment: Payment) -> None:
    association = payment.association
    person = Person.objects.get(association=association, pk=payment.target_id)
    details = payment.intent.details if payment.intent else {}
    fee_type = FeeType.objects.filter(
        association=association, pk=details.get("fee_type_id")
    ).first()
    period = membership_period_add(
        association=association,
        actor=None,
        person=person,
        fee_type=fee_type,
        amount=Decimal(payment.amount_cents) / 100,
        method=PaymentMethod.ONLINE,
        paid_on=timezone.localdate(payment.paid_at),
        note=f"HelloAsso {payment.provider_order_id}",
        receipt_url=payment.receipt_url,
    )
    payment.result_id = period.pk


def on_fee_refunded(payment: Payment) -> None:
    period = MembershipPeriod.objects.filter(
        association=payment.association, pk=payment.result_id
    ).first()
    if period is not None:
        membership_period_cancel(
            association=payment.association,
            actor=None,
            period=period,
            reason=f"HelloAsso {payment.provider_order_id}",
        )


def membership_renew_online(
    *, association, actor, person: Person, fee_type: FeeType, amount: Decimal | None
):
    """A member renews their own fee: a checkout intent for ``fee_type``."""
    ensure_same_association(association, person, fee_type)
    if person.user_id != actor.pk:
        raise ObjectOutsideAssociation
    if fee_type.archived or not fee_type.online:
        raise ValidationError({"fee_type": _("This fee cannot be paid online.")})
    # A fixed fee is paid at its amount: an amount posted with it (the form's field
    # is for free fees) must not become what the member pays.
    due = (
        fee_type.amount
        if fee_type.pricing == FeePricing.FIXED
        else fee_amount_check(fee_type=fee_type, amount=amount)
    )
    return checkout_start(
        association=association,
        actor=actor,
        purpose="membership_fee",
        target_id=person.pk,
        amount_cents=int(due * 100),
        item_name=_("Membership fee %(fee)s – %(association)s")
        % {"fee": fee_type.name, "association": association.name},
        details={"fee_type_id": fee_type.pk},
        payer={
            "firstName": person.first_name,
            "lastName": person.last_name,
            "email": person.email or actor.email,
        },
    )
