"""Donors and donations through their services: the three kinds of donor, the
natures and methods of a gift, the permission and the audit log."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_scopes import scopes_disabled

from maillon.core.models import AuditEntry
from maillon.funding.donations.services import donation_cancel, donation_record
from maillon.funding.donors.services import donor_create
from maillon.funding.models import Donation, DonationStatus, DonorKind, Method, Nature
from maillon.members.models import Role
from maillon.members.tests.factories import PersonFactory, member_with_account

pytestmark = pytest.mark.django_db

LAST_YEAR = datetime.date.today().year - 1


def test_a_member_becomes_a_donor_with_the_registers_details(association, treasurer):
    person = PersonFactory(
        association=association,
        first_name="Léa",
        last_name="Martin",
        email="lea@example.org",
        city="Lyon",
    )
    donor = donor_create(association=association, actor=treasurer, kind="person", person=person)
    assert (donor.first_name, donor.last_name, donor.email, donor.city) == (
        "Léa",
        "Martin",
        "lea@example.org",
        "Lyon",
    )
    with pytest.raises(ValidationError):
        donor_create(association=association, actor=treasurer, kind="person", person=person)


def test_a_company_needs_a_valid_siren(association, treasurer):
    with pytest.raises(ValidationError) as error:
        donor_create(
            association=association,
            actor=treasurer,
            kind=DonorKind.COMPANY,
            company_name="Épi d’or",
            siren="123456789",
        )
    assert "siren" in error.value.message_dict
    donor = donor_create(
        association=association,
        actor=treasurer,
        kind=DonorKind.COMPANY,
        company_name="Épi d’or",
        siren="732 829 320",
    )
    assert donor.siren == "732829320"


def test_gifts_in_money_in_kind_and_waived_expenses(association, treasurer):
    donor = donor_create(
        association=association,
        actor=treasurer,
        kind="person",
        first_name="Paul",
        last_name="Durand",
    )
    day = datetime.date(LAST_YEAR, 5, 2)
    money = donation_record(
        association=association,
        actor=treasurer,
        donor=donor,
        date=day,
        amount=Decimal("30"),
        method=Method.CASH,
    )
    kind = donation_record(
        association=association,
        actor=treasurer,
        donor=donor,
        date=day,
        amount=Decimal("120"),
        nature=Nature.IN_KIND,
        method=Method.CASH,
        description="Ordinateur portable",
    )
    waived = donation_record(
        association=association,
        actor=treasurer,
        donor=donor,
        date=day,
        amount=Decimal("42.50"),
        nature=Nature.WAIVED_EXPENSES,
        description="Déplacements de mars (250 km)",
    )
    assert money.method == Method.CASH
    assert kind.method == waived.method == Method.NONE  # no payment for a gift in kind
    with pytest.raises(ValidationError):
        donation_record(
            association=association,
            actor=treasurer,
            donor=donor,
            date=day,
            amount=Decimal("5"),
            nature=Nature.IN_KIND,
        )
    with scopes_disabled():
        actions = list(
            AuditEntry.objects.filter(association=association).values_list("action", flat=True)
        )
    assert actions.count("funding.donation_recorded") == 3


def test_only_who_keeps_the_funds_records_gifts(association):
    member = member_with_account(association, [Role.MEMBER])
    secretary = member_with_account(association, [Role.SECRETARY])
    for user in (member, secretary):
        with pytest.raises(PermissionDenied):
            donor_create(association=association, actor=user, kind="person", last_name="X")


def test_a_donor_of_another_association_is_refused(association, other_association, treasurer):
    from maillon.funding.tests.factories import DonorFactory

    foreign = DonorFactory(association=other_association)
    with pytest.raises(Exception) as error:
        donation_record(
            association=association,
            actor=treasurer,
            donor=foreign,
            date=datetime.date(LAST_YEAR, 1, 1),
            amount=Decimal("1"),
        )
    assert error.value.__class__.__name__ == "ObjectOutsideAssociation"


def test_cancelling_a_gift_keeps_it(association, treasurer):
    donor = donor_create(association=association, actor=treasurer, kind="person", last_name="Roux")
    gift = donation_record(
        association=association,
        actor=treasurer,
        donor=donor,
        date=datetime.date(LAST_YEAR, 1, 1),
        amount=Decimal("10"),
    )
    donation_cancel(
        association=association, actor=treasurer, donation=gift, reason="Chèque sans provision"
    )
    with scopes_disabled():
        assert Donation.objects.get(pk=gift.pk).status == DonationStatus.CANCELLED
