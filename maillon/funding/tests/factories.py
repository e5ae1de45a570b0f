"""Factories of the funding module: rows made directly (no service) for tests of
other parts; the services' own tests go through the services."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django_scopes import scopes_disabled

from maillon.associations.tests.factories import AssociationFactory
from maillon.funding.models import Donation, Donor, DonorKind, FundingSettings, Method, Nature


class _UnscopedFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with scopes_disabled():
            return super()._create(model_class, *args, **kwargs)


class DonorFactory(_UnscopedFactory):
    class Meta:
        model = Donor

    association = factory.SubFactory(AssociationFactory)
    kind = DonorKind.PERSON
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    email = factory.Sequence(lambda n: f"donateur{n}@example.org")
    address = "12 rue des Lilas"
    postal_code = "69004"
    city = "Lyon"


class CompanyDonorFactory(DonorFactory):
    kind = DonorKind.COMPANY
    first_name = ""
    last_name = ""
    company_name = factory.Sequence(lambda n: f"Boulangerie Épi d’or {n}")
    siren = "732829320"


class DonationFactory(_UnscopedFactory):
    class Meta:
        model = Donation

    association = factory.LazyAttribute(lambda o: o.donor.association)
    donor = factory.SubFactory(DonorFactory)
    date = factory.LazyFunction(lambda: datetime.date(datetime.date.today().year - 1, 3, 14))
    amount = Decimal("50.00")
    nature = Nature.MONEY
    method = Method.CHEQUE


def eligible(association, **fields) -> FundingSettings:
    """The association may issue receipts (an œuvre d'intérêt général)."""
    defaults = {
        "receipts_enabled": True,
        "object": "Aide aux devoirs et sorties culturelles pour les enfants du quartier",
        "address": "3 place Sathonay",
        "signatory_name": "Hélène Dubois",
        "signatory_title": "Trésorière",
    }
    with scopes_disabled():
        settings, _ = FundingSettings.objects.update_or_create(
            association=association, defaults={**defaults, **fields}
        )
    return settings
