"""Paying online: a checkout intent at the provider, then recording what the provider's
API says was paid or refunded.

The return URL and the notifications are hints only: every recording starts from an
API read (the checkout intent or the order). Each provider payment id is recorded once
(``Payment`` unique constraint); the purpose's ``on_paid`` runs in the same
transaction, so a payment and its effect (the fee period) exist together or not at all.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from maillon.accounts.models import User
from maillon.associations.models import Association
from maillon.core.audit import audit_log
from maillon.core.tenancy import in_association_scope

from .. import purposes
from ..helloasso.client import HelloAssoError
from ..models import CheckoutIntent, IntentStatus, Payment, Provider, ProviderAccount
from ..selectors import client_for, provider_account_of

PAID_STATES = {"Authorized", "Registered"}
REFUNDED_STATES = {"Refunded"}


def checkout_start(
    *,
    association: Association,
    actor: User | None,
    purpose: str,
    target_id: int,
    amount_cents: int,
    item_name: str,
    details: dict[str, Any],
    payer: dict[str, str],
    return_url: Callable[[CheckoutIntent], str] | None = None,
) -> CheckoutIntent:
    """Create the checkout intent at the provider; the caller redirects to
    ``intent.redirect_url``. The actor's own permission is the caller's to check (a
    member paying their own fee). ``actor`` is None for a visitor without an account
    (a donor); ``return_url(intent)`` then gives the absolute page HelloAsso sends the
    payer back to (by default the member's return page under /me/)."""
    purposes.get(purpose)
    account = provider_account_of(association=association)
    if account is None:
        raise ValidationError(_("This association does not take payments online."))
    if amount_cents <= 0:
        raise ValidationError({"amount": _("The amount must be more than zero.")})
    intent = CheckoutIntent.objects.create(
        association=association,
        purpose=purpose,
        target_id=target_id,
        details=details,
        amount_cents=amount_cents,
        item_name=item_name[:250],
        created_by=actor,
    )
    if return_url is not None:
        back = return_url(intent)
    else:
        back = settings.SITE_URL + reverse(
            "my_payments:return",
            kwargs={"association_slug": association.slug, "intent_id": intent.pk},
        )
    body = {
        "totalAmount": amount_cents,
        "initialAmount": amount_cents,
        "itemName": intent.item_name,
        "backUrl": back,
        "errorUrl": back,
        "returnUrl": back,
        "containsDonation": purpose == "donation",
        "payer": payer,
        "metadata": {"maillon_intent": intent.pk, "purpose": purpose},
    }
    try:
        answer = client_for(account).create_checkout_intent(account.organization_slug, body)
    except HelloAssoError:
        raise ValidationError(
            _("HelloAsso cannot take the payment right now. Please try again later.")
        ) from None
    intent.provider_intent_id = str(answer["id"])
    intent.redirect_url = answer["redirectUrl"]
    intent.save(update_fields=["provider_intent_id", "redirect_url"])
    audit_log(
        association=association,
        actor=actor,
        action="payments.checkout_started",
        obj=intent,
        data={"purpose": purpose, "amount_cents": amount_cents},
    )
    return intent


@in_association_scope
def checkout_confirm(*, association: Association, intent: CheckoutIntent) -> CheckoutIntent:
    """After the return from the provider: read the intent back; record its order."""
    account = provider_account_of(association=association)
    if account is None or not intent.provider_intent_id:
        return intent
    answer = client_for(account).get_checkout_intent(
        account.organization_slug, intent.provider_intent_id
    )
    if answer.get("order"):
        order_record(association=association, account=account, order=answer["order"])
    intent.refresh_from_db()
    return intent


@in_association_scope
def order_sync(*, association: Association, order_id: str) -> list[Payment]:
    """A notification named this order: read it from the API and record it."""
    account = provider_account_of(association=association)
    if account is None:
        return []
    order = client_for(account).get_order(order_id)
    return order_record(association=association, account=account, order=order)


def order_record(
    *, association: Association, account: ProviderAccount, order: dict
) -> list[Payment]:
    """Record the payments of an order read from the API (idempotent). Orders that no
    checkout intent of Maillon started are left to the HelloAsso import."""
    intent_id = str(order.get("checkoutIntentId") or "")
    if not intent_id:
        return []
    changed = []
    for data in order.get("payments") or []:
        with transaction.atomic():
            intent = (
                CheckoutIntent.objects.select_for_update()
                .filter(association=association, provider_intent_id=intent_id)
                .first()
            )
            if intent is None:
                return []
            payment = _payment_apply(association, intent, order, data)
        if payment is not None:
            changed.append(payment)
    return changed


def _payment_apply(
    association: Association, intent: CheckoutIntent, order: dict, data: dict
) -> Payment | None:
    state = data.get("state", "")
    payment = Payment.objects.filter(
        provider=Provider.HELLOASSO, provider_payment_id=str(data["id"])
    ).first()
    purpose = purposes.get(intent.purpose)
    if payment is None and state in PAID_STATES | REFUNDED_STATES:
        payment = _payment_create(
            association, intent, order, data, refunded=state in REFUNDED_STATES
        )
        if payment is None:
            return None
        # One effect per checkout intent, even if the provider splits it in payments.
        if payment.refunded_at is None and intent.status == IntentStatus.CREATED:
            purpose.on_paid(payment)
            payment.save(update_fields=["result_id"])
            _intent_status(intent, IntentStatus.PAID)
        _audit(association, "payments.payment_recorded", payment)
        return payment
    if payment is not None and state in REFUNDED_STATES and payment.refunded_at is None:
        payment.refunded_at = timezone.now()
        payment.save(update_fields=["refunded_at"])
        purpose.on_refunded(payment)
        _intent_status(intent, IntentStatus.REFUNDED)
        _audit(association, "payments.payment_refunded", payment)
        return payment
    return None


def _payment_create(association, intent, order, data, *, refunded: bool) -> Payment | None:
    payer = order.get("payer") or {}
    paid_at = parse_datetime(str(data.get("date") or "")) or timezone.now()
    if timezone.is_naive(paid_at):
        paid_at = timezone.make_aware(paid_at, datetime.UTC)
    try:
        with transaction.atomic():
            return Payment.objects.create(
                association=association,
                intent=intent,
                purpose=intent.purpose,
                target_id=intent.target_id,
                provider_order_id=str(order.get("id", "")),
                provider_payment_id=str(data["id"]),
                amount_cents=int(data.get("amount") or 0),
                paid_at=paid_at,
                payer_email=(payer.get("email") or "")[:254],
                payer_first_name=(payer.get("firstName") or "")[:100],
                payer_last_name=(payer.get("lastName") or "")[:100],
                refunded_at=timezone.now() if refunded else None,
                receipt_url=_https_url(data.get("paymentReceiptUrl")),
            )
    except IntegrityError:
        return None  # recorded meanwhile by another notification


def _https_url(value) -> str:
    value = str(value or "")
    return value[:500] if value.startswith("https://") else ""


def _intent_status(intent: CheckoutIntent, status: str) -> None:
    intent.status = status
    intent.save(update_fields=["status"])


def _audit(association: Association, action: str, payment: Payment) -> None:
    audit_log(
        association=association,
        actor=None,
        action=action,
        obj=payment,
        data={
            "purpose": payment.purpose,
            "order": payment.provider_order_id,
            "payment": payment.provider_payment_id,
            "amount_cents": payment.amount_cents,
        },
    )
