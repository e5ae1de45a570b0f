"""A member's online payments, payer emails and fee reminders in their data export,
and what their erasure removes."""

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.accounts.export import my_data_export
from maillon.accounts.services import my_account_erase
from maillon.members.models import FeeReminder, PayerAlias, Role
from maillon.members.tests.factories import member_with_account
from maillon.payments.models import Payment

pytestmark = pytest.mark.django_db


def test_export_and_erasure(association):
    user = member_with_account(association, [Role.MEMBER])
    with scopes_disabled():
        person = user.people.get()
        PayerAlias.objects.create(association=association, person=person, email="papa@example.net")
        FeeReminder.objects.create(
            association=association,
            person=person,
            period_end=timezone.localdate(),
            stage="before",
            channel="email",
        )
        Payment.objects.create(
            association=association,
            purpose="membership_fee",
            target_id=person.pk,
            provider_order_id="1",
            provider_payment_id="2",
            amount_cents=2500,
            paid_at=timezone.now(),
            payer_email="papa@example.net",
            payer_last_name="Martin",
        )
    data = my_data_export(user=user)
    assert data["online_payments"][0]["payer_email"] == "papa@example.net"
    membership = data["memberships"][0]
    assert membership["payer_emails"] == ["papa@example.net"]
    assert membership["fee_reminders"][0]["stage"] == "before"

    my_account_erase(user=user)
    with scopes_disabled():
        payment = Payment.objects.get()
        assert (payment.payer_email, payment.payer_last_name, payment.amount_cents) == (
            "",
            "",
            2500,
        )
        assert not PayerAlias.objects.exists()
        assert not FeeReminder.objects.exists()
