"""The journal export: two lines per entry with the association's accounts, fees
included, cancelled gifts left out, formulas defused; the mapping is editable."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from maillon.funding.accounting.services import accounts_update
from maillon.funding.models import DonationStatus, Method, Nature
from maillon.members.tests.factories import MembershipPeriodFactory, PersonFactory

from .factories import DonationFactory, DonorFactory

pytestmark = pytest.mark.django_db
YEAR = datetime.date.today().year - 1


def journal(client, association, year=YEAR):
    url = reverse("funding:journal", kwargs={"association_slug": association.slug})
    response = client.get(url, {"year": year})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body), delimiter=";"))


def test_the_journal_balances_with_the_default_accounts(association, treasurer, treasurer_client):
    donor = DonorFactory(association=association, first_name="Zoé", last_name="Bernard")
    DonationFactory(
        donor=donor, date=datetime.date(YEAR, 2, 1), amount=Decimal("50"), method=Method.CASH
    )
    DonationFactory(
        donor=donor,
        date=datetime.date(YEAR, 3, 1),
        amount=Decimal("200"),
        nature=Nature.IN_KIND,
        method=Method.NONE,
        description="Tables",
    )
    DonationFactory(
        donor=donor,
        date=datetime.date(YEAR, 4, 1),
        amount=Decimal("12.40"),
        nature=Nature.WAIVED_EXPENSES,
        method=Method.NONE,
        description="Km",
    )
    DonationFactory(
        donor=donor,
        date=datetime.date(YEAR, 5, 1),
        amount=Decimal("99"),
        status=DonationStatus.CANCELLED,
    )
    DonationFactory(donor=donor, date=datetime.date(YEAR - 1, 5, 1), amount=Decimal("7"))
    person = PersonFactory(association=association, first_name="Hugo", last_name="Morel")
    MembershipPeriodFactory(
        person=person,
        amount=Decimal("20"),
        method="transfer",
        paid_on=datetime.date(YEAR, 1, 15),
        start=datetime.date(YEAR, 1, 1),
        end=datetime.date(YEAR, 12, 31),
    )

    rows = journal(treasurer_client, association)
    assert rows[0] == ["Date", "Compte", "Intitulé", "Débit", "Crédit", "Pièce"]
    lines = [(r[0], r[1], r[3], r[4]) for r in rows[1:]]
    assert lines == [
        (f"15/01/{YEAR}", "512", "20,00", ""),
        (f"15/01/{YEAR}", "756", "", "20,00"),
        (f"01/02/{YEAR}", "530", "50,00", ""),
        (f"01/02/{YEAR}", "754", "", "50,00"),
        (f"01/03/{YEAR}", "860", "200,00", ""),
        (f"01/03/{YEAR}", "870", "", "200,00"),
        (f"01/04/{YEAR}", "625", "12,40", ""),
        (f"01/04/{YEAR}", "754", "", "12,40"),
    ]
    assert rows[3][2] == "Don — Zoé Bernard"


def test_the_association_changes_its_accounts(association, treasurer, treasurer_client):
    accounts_update(
        association=association, actor=treasurer, accounts={"cash": "5300", "donations": "7541"}
    )
    DonationFactory(
        donor=DonorFactory(association=association),
        date=datetime.date(YEAR, 2, 1),
        method=Method.CASH,
    )
    rows = journal(treasurer_client, association)
    assert [r[1] for r in rows[1:]] == ["5300", "7541"]


def test_the_journal_defuses_formulas(association, treasurer_client):
    donor = DonorFactory(association=association, first_name="", last_name='=HYPERLINK("x")')
    DonationFactory(donor=donor, date=datetime.date(YEAR, 2, 1))
    rows = journal(treasurer_client, association)
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
