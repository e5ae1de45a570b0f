"""Funding's metrics, and a donor's personal data (export, erasure keeping receipts)."""

import datetime
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from maillon.accounts.personal_data import registered_sections
from maillon.accounts.tests.factories import UserFactory
from maillon.funding.models import Donor, Receipt
from maillon.funding.receipts.services import receipt_issue
from maillon.metrics.registry import measure

from .factories import DonationFactory, DonorFactory, eligible

pytestmark = pytest.mark.django_db
YEAR = datetime.date.today().year - 1


def test_the_metrics(association, other_association):
    old, new = DonorFactory(association=association), DonorFactory(association=association)
    DonationFactory(donor=old, date=datetime.date(YEAR - 1, 3, 1), amount=Decimal("10"))
    DonationFactory(donor=old, date=datetime.date(YEAR, 3, 1), amount=Decimal("20"))
    DonationFactory(donor=new, date=datetime.date(YEAR, 4, 1), amount=Decimal("5.50"))
    DonationFactory(
        donor=DonorFactory(association=other_association), date=datetime.date(YEAR, 4, 1)
    )
    period = {
        "association": association,
        "start": datetime.date(YEAR, 1, 1),
        "end": datetime.date(YEAR, 12, 31),
    }
    assert measure("funding.donations_total", **period) == Decimal("25.50")
    assert measure("funding.donors_new", **period) == 1
    assert measure("funding.recurring_donors", **period) == 1


def _section():
    return next(s for s in registered_sections() if s.name == "funding")


def test_a_donor_exports_and_erases_their_data_but_receipts_stay(association, treasurer):
    eligible(association)
    user = UserFactory(email="ines.garnier@example.org")
    with_receipt = DonorFactory(association=association, email=user.email, last_name="Garnier")
    gift = DonationFactory(donor=with_receipt)
    receipt = receipt_issue(association=association, actor=treasurer, donation=gift)
    without = DonorFactory(association=association, email=user.email, last_name="Garnier")
    DonationFactory(donor=without)
    with scopes_disabled():
        data = _section().export(user)
        assert {d["last_name"] for d in data["donors"]} == {"Garnier"}
        assert [r["number"] for r in data["tax_receipts"]] == [receipt.number]
        _section().erase(user, forget=lambda model, ids: None)
        kept = Donor.objects.get(pk=with_receipt.pk)
        gone = Donor.objects.get(pk=without.pk)
        assert (kept.last_name, kept.email) == ("Garnier", "")
        assert gone.last_name == "—" and gone.anonymised_at is not None
        assert Receipt.objects.get(pk=receipt.pk).data["donor"]["last_name"] == "Garnier"
