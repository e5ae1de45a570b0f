"""Online gifts from the payment app: recorded once per provider payment, donor
matched by email or created, refund → gift cancelled and its receipt cancelled."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.funding.models import Donation, DonationStatus, Donor, Method, Receipt, ReceiptStatus
from maillon.funding.payments import on_paid, on_refunded
from maillon.funding.receipts.services import receipt_issue

from .factories import DonorFactory, eligible

pytestmark = pytest.mark.django_db


@dataclass
class Payment:
    """A stand-in for the payment app's record."""

    association: object
    provider_payment_id: str = "pay-1"
    provider_order_id: str = "order-1"
    provider: str = "helloasso"
    amount: Decimal = Decimal("35.00")
    payer_email: str = "camille.petit@example.org"
    payer_first_name: str = "Camille"
    payer_last_name: str = "Petit"
    payer_company: str = ""
    paid_at: datetime.datetime = field(
        default_factory=lambda: timezone.now() - datetime.timedelta(days=1)
    )
    metadata: dict = field(default_factory=dict)


def test_a_payment_replayed_three_times_is_one_gift(association):
    payment = Payment(association)
    gifts = {on_paid(payment).pk for _ in range(3)}
    with scopes_disabled():
        gift = Donation.objects.get()
        donor = Donor.objects.get()
    assert gifts == {gift.pk}
    assert (gift.method, gift.amount, gift.provider_order_id) == (
        Method.HELLOASSO,
        Decimal("35.00"),
        "order-1",
    )
    assert (donor.first_name, donor.last_name) == ("Camille", "Petit")


def test_the_payer_is_matched_by_email_and_the_campaign_kept(association):
    from maillon.funding.models import Campaign

    known = DonorFactory(association=association, email="Camille.Petit@example.org")
    with scopes_disabled():
        campaign = Campaign.objects.create(association=association, title="Toit", slug="toit")
    gift = on_paid(Payment(association, metadata={"campaign": str(campaign.pk)}))
    assert gift.donor_id == known.pk and gift.campaign_id == campaign.pk


def test_a_company_payer_becomes_a_company_donor(association):
    gift = on_paid(Payment(association, payer_company="Garage Lumière"))
    assert gift.donor.is_company and gift.donor.company_name == "Garage Lumière"


def test_the_same_payment_id_in_another_association_is_another_gift(association, other_association):
    on_paid(Payment(association))
    on_paid(Payment(other_association))
    with scopes_disabled():
        assert Donation.objects.count() == 2


def test_a_refund_cancels_the_gift_and_its_receipt(association, treasurer):
    eligible(association)
    gift = on_paid(Payment(association))
    receipt = receipt_issue(association=association, actor=treasurer, donation=gift)
    assert on_refunded(Payment(association)).status == DonationStatus.CANCELLED
    on_refunded(Payment(association))  # replayed: nothing more
    with scopes_disabled():
        receipt.refresh_from_db()
        assert receipt.status == ReceiptStatus.CANCELLED
        assert Receipt.objects.filter(cancels=receipt).count() == 1
        assert Receipt.objects.count() == 2  # the receipt and its cancellation, no replacement


def test_a_refund_before_the_payment_is_known_changes_nothing(association):
    assert on_refunded(Payment(association, provider_payment_id="unknown")) is None


def test_the_payment_apps_donation_purpose_records_the_gift_once(association):
    """The payment app calls the ``donation`` purpose with its own record (amount in
    cents, the campaign as target): one gift in euros, its id kept as the result."""
    from maillon.payments import purposes
    from maillon.payments.models import Payment as RecordedPayment

    with scopes_disabled():
        payment = RecordedPayment.objects.create(
            association=association,
            purpose="donation",
            target_id=0,
            provider_order_id="order-9",
            provider_payment_id="pay-9",
            amount_cents=4250,
            paid_at=timezone.now(),
            payer_email="lea.martin@example.org",
            payer_first_name="Léa",
            payer_last_name="Martin",
        )
    purpose = purposes.get("donation")
    purpose.on_paid(payment)
    purpose.on_paid(payment)
    with scopes_disabled():
        gift = Donation.objects.get()
    assert (gift.amount, gift.method, payment.result_id) == (
        Decimal("42.50"),
        Method.HELLOASSO,
        gift.pk,
    )
    purpose.on_refunded(payment)
    with scopes_disabled():
        gift.refresh_from_db()
    assert gift.status == DonationStatus.CANCELLED
