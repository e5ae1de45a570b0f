"""What the payments app keeps no longer (promised on ``/privacy/``): payer details
after 10 years (accounting records), checkout intents never paid after 30 days."""

from __future__ import annotations

import datetime
from datetime import timedelta

from maillon.core.retention import RetentionRule

from .models import CheckoutIntent, ImportedOrder, IntentStatus, Payment

ACCOUNTING_YEARS = 10
UNPAID_INTENT_DAYS = 30


def purge_payer_details(now: datetime.datetime) -> int:
    limit = now - timedelta(days=365 * ACCOUNTING_YEARS + 3)
    changed = Payment.objects.filter(paid_at__lt=limit).exclude(payer_email="", payer_last_name="")
    count = changed.update(payer_email="", payer_first_name="", payer_last_name="")
    return count + ImportedOrder.objects.filter(imported_at__lt=limit).delete()[0]


def purge_unpaid_intents(now: datetime.datetime) -> int:
    return CheckoutIntent.objects.filter(
        status=IntentStatus.CREATED,
        created_at__lt=now - timedelta(days=UNPAID_INTENT_DAYS),
        payments__isnull=True,
    ).delete()[0]


RULES = (
    RetentionRule("online_payer_details_removed", purge_payer_details),
    RetentionRule("unpaid_checkout_intents_deleted", purge_unpaid_intents),
)
