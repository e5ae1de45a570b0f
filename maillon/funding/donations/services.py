"""Writes of donations: a gift recorded by the treasurer (money by cash, cheque,
transfer, card or HelloAsso; a gift in kind with its description and value; or
expenses a volunteer gives up, *renonciation aux frais*), and its cancellation."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.associations.models import Association
from maillon.core.audit import audit_log
from maillon.core.tenancy import ensure_same_association, in_association_scope

from ..models import Campaign, Donation, DonationStatus, Donor, Method, Nature, ReceiptStatus
from ..permissions import check_funding
from ..receipts.services import receipt_cancel

if TYPE_CHECKING:
    from maillon.accounts.models import User


def _check_fields(nature: str, method: str, description: str, date: datetime.date) -> None:
    if nature == Nature.MONEY and method == Method.NONE:
        raise ValidationError({"method": _("A gift of money needs its payment method.")})
    if nature != Nature.MONEY and not description:
        raise ValidationError(
            {"description": _("Describe the gift in kind or the expenses given up.")}
        )
    if date > timezone.localdate():
        raise ValidationError({"date": _("A gift cannot be dated in the future.")})


@in_association_scope
@transaction.atomic
def donation_record(
    *,
    association: Association,
    actor: User | None,
    donor: Donor,
    date: datetime.date,
    amount: Decimal,
    nature: str = Nature.MONEY,
    method: str = Method.TRANSFER,
    description: str = "",
    campaign: Campaign | None = None,
    provider: str = "",
    provider_order_id: str = "",
    provider_payment_id: str = "",
) -> Donation:
    """Record a gift. ``actor`` None: an online payment recorded by the payment app."""
    if actor is not None:
        check_funding(association, actor)
    ensure_same_association(association, donor, campaign)
    if nature != Nature.MONEY:
        method = Method.NONE
    _check_fields(nature, method, description, date)
    donation = Donation(
        association=association,
        donor=donor,
        campaign=campaign,
        date=date,
        amount=amount,
        nature=nature,
        method=method,
        description=description,
        provider=provider,
        provider_order_id=provider_order_id,
        provider_payment_id=provider_payment_id,
        recorded_by=actor,
    )
    donation.full_clean(exclude=["association", "donor", "campaign", "receipt", "recorded_by"])
    donation.save()
    audit_log(
        association=association,
        actor=actor,
        action="funding.donation_recorded",
        obj=donation,
        data={
            "donor": donor.pk,
            "date": date.isoformat(),
            "amount": str(donation.amount),
            "nature": nature,
            "method": method,
            "campaign": campaign.pk if campaign else None,
            "provider_payment_id": provider_payment_id,
        },
    )
    return donation


@in_association_scope
@transaction.atomic
def donation_cancel(
    *, association: Association, actor: User | None, donation: Donation, reason: str = ""
) -> Donation:
    """Cancel a gift (a refund, a mistake). A receipt that certified it is cancelled
    by a cancellation document; the donor's other gifts it covered get a replacement
    receipt."""
    if actor is not None:
        check_funding(association, actor)
    ensure_same_association(association, donation)
    donation = Donation.objects.select_for_update().get(pk=donation.pk)
    if donation.status == DonationStatus.CANCELLED:
        return donation
    donation.status = DonationStatus.CANCELLED
    donation.cancelled_at = timezone.now()
    donation.save(update_fields=["status", "cancelled_at"])
    audit_log(
        association=association,
        actor=actor,
        action="funding.donation_cancelled",
        obj=donation,
        data={"reason": reason, "amount": str(donation.amount)},
    )
    receipt = donation.receipt
    if receipt is not None and receipt.status == ReceiptStatus.VALID:
        receipt_cancel(
            association=association,
            actor=actor,
            receipt=receipt,
            reason=reason or _("The gift was cancelled."),
            reissue=True,
        )
    return donation
