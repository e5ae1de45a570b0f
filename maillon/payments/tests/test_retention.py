"""What the payments app keeps no longer."""

import datetime

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.payments.models import CheckoutIntent, Payment
from maillon.payments.retention import purge_payer_details, purge_unpaid_intents

pytestmark = pytest.mark.django_db


def test_old_payer_details_and_unpaid_intents_go(association):
    now = timezone.now()
    old = now - datetime.timedelta(days=3700)
    with scopes_disabled():
        Payment.objects.create(
            association=association,
            purpose="membership_fee",
            target_id=1,
            provider_order_id="1",
            provider_payment_id="1",
            amount_cents=100,
            paid_at=old,
            payer_email="old@example.net",
        )
        Payment.objects.create(
            association=association,
            purpose="membership_fee",
            target_id=1,
            provider_order_id="2",
            provider_payment_id="2",
            amount_cents=100,
            paid_at=now,
            payer_email="new@example.net",
        )
        unpaid = CheckoutIntent.objects.create(
            association=association, purpose="membership_fee", target_id=1, amount_cents=100
        )
        CheckoutIntent.objects.filter(pk=unpaid.pk).update(
            created_at=now - datetime.timedelta(days=31)
        )
        CheckoutIntent.objects.create(
            association=association, purpose="membership_fee", target_id=1, amount_cents=100
        )
        assert purge_payer_details(now) == 1
        assert purge_unpaid_intents(now) == 1
        assert sorted(Payment.objects.values_list("payer_email", flat=True)) == [
            "",
            "new@example.net",
        ]
        assert CheckoutIntent.objects.count() == 1
