"""Online gifts (HelloAsso) recorded from the payment app.

The payment app re-reads an order from HelloAsso before it calls these functions;
they take a duck-typed payment with ``association``, ``provider`` ("helloasso"),
``provider_order_id``, ``provider_payment_id``, ``amount`` (Decimal, euros),
``payer_email``, ``payer_first_name``, ``payer_last_name``, ``payer_company`` (or
""), ``paid_at`` (aware datetime) and ``metadata`` (a dict; ``campaign`` may hold a
campaign id).

Both are idempotent: a payment is recorded once (a unique constraint on the
provider's payment id backs the check), and a replayed or out-of-order refund
changes nothing more."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from .donations.selectors import donation_for_payment
from .donations.services import donation_cancel, donation_record
from .donors.selectors import donor_by_email
from .donors.services import donor_create
from .models import Campaign, Donation, Donor, DonorKind, Method, Nature


def _donor(association: Any, payment: Any) -> Donor:
    company = (getattr(payment, "payer_company", "") or "").strip()
    found = donor_by_email(association=association, email=payment.payer_email)
    if found is not None and (found.kind == DonorKind.COMPANY) == bool(company):
        return found
    if company:
        # HelloAsso gives no SIREN: the treasurer completes it before the receipt.
        return donor_create(
            association=association,
            actor=None,
            kind=DonorKind.COMPANY,
            company_name=company,
            email=payment.payer_email or "",
        )
    return donor_create(
        association=association,
        actor=None,
        kind=DonorKind.PERSON,
        first_name=payment.payer_first_name or "",
        last_name=payment.payer_last_name or payment.payer_email or _("Unknown"),
        email=payment.payer_email or "",
    )


def _campaign(association: Any, metadata: dict) -> Campaign | None:
    campaign_id = (metadata or {}).get("campaign")
    if not campaign_id:
        return None
    try:
        return Campaign.objects.filter(association=association, pk=int(campaign_id)).first()
    except (TypeError, ValueError):
        return None


def on_paid(payment: Any) -> Donation:
    """Record the gift of a paid online payment (once), matching or creating its donor."""
    association = payment.association
    with scope(association=association):
        existing = donation_for_payment(
            association=association,
            provider=payment.provider,
            payment_id=str(payment.provider_payment_id),
        )
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                return donation_record(
                    association=association,
                    actor=None,
                    donor=_donor(association, payment),
                    date=timezone.localtime(payment.paid_at).date(),
                    amount=payment.amount,
                    nature=Nature.MONEY,
                    method=Method.HELLOASSO,
                    campaign=_campaign(association, payment.metadata),
                    provider=payment.provider,
                    provider_order_id=str(payment.provider_order_id),
                    provider_payment_id=str(payment.provider_payment_id),
                )
        except IntegrityError:
            # Another worker recorded the same payment at the same moment.
            found = donation_for_payment(
                association=association,
                provider=payment.provider,
                payment_id=str(payment.provider_payment_id),
            )
            if found is None:
                raise
            return found


def on_refunded(payment: Any) -> Donation | None:
    """The payment was refunded: its gift is cancelled and, if it had a receipt, the
    receipt is cancelled (a cancellation is issued). None if the payment is unknown."""
    association = payment.association
    with scope(association=association):
        donation = donation_for_payment(
            association=association,
            provider=payment.provider,
            payment_id=str(payment.provider_payment_id),
        )
        if donation is None:
            return None
        return donation_cancel(
            association=association,
            actor=None,
            donation=donation,
            reason=_("Payment refunded on HelloAsso."),
        )


class _RecordedPayment:
    """A payment of the payment app seen with the attributes ``on_paid`` reads: the
    amount in euros, the company name of the give form if any, and the campaign
    the checkout was started for (``target_id``, 0 for a gift outside any campaign)."""

    def __init__(self, payment: Any) -> None:
        self._payment = payment
        self.amount = Decimal(payment.amount_cents) / 100
        intent = payment.intent if getattr(payment, "intent_id", None) else None
        # A company name typed on Maillon's give form (HelloAsso's payer is a person).
        self.payer_company = str((intent.details or {}).get("company") or "") if intent else ""
        self.metadata = {"campaign": payment.target_id} if payment.target_id else {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._payment, name)


def on_donation_paid(payment: Any) -> None:
    """The payment app's ``donation`` purpose: record the gift once."""
    donation = on_paid(_RecordedPayment(payment))
    payment.result_id = donation.pk


def on_donation_refunded(payment: Any) -> None:
    on_refunded(_RecordedPayment(payment))
