"""Donations of a demo association, through the funding services: its receipt
settings (an œuvre d'intérêt général), donors (members, people outside the
register, a company with its SIREN), a public campaign with a goal, two years of
gifts in money, in kind and as waived expenses, and last year's yearly receipts.
Idempotent: an association that already has donors is left as it is."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django_scopes import scope

from maillon.associations.models import Association, Module
from maillon.associations.services import modules_update
from maillon.funding.campaigns.services import campaign_create
from maillon.funding.donations.services import donation_record
from maillon.funding.donors.services import donor_create
from maillon.funding.models import Donor, Method, Nature
from maillon.funding.receipts.services import funding_settings_update, receipt_batch_start
from maillon.members.models import Person, Role

from .common import DemoRun

FUNDING_DEMOS = ("epicerie-belle-de-mai",)

OUTSIDE = [
    ("Bernadette", "Roux", "b.roux@exemple.test", "14 boulevard Longchamp", "13001"),
    ("Olivier", "Castellan", "", "6 rue d’Aubagne", "13006"),
    ("Yasmina", "Belkacem", "y.belkacem@exemple.test", "22 avenue de la Capelette", "13010"),
    ("Gérard", "Pélissier", "g.pelissier@exemple.test", "3 traverse des Lierres", "13012"),
]
METHODS = (Method.CHEQUE, Method.TRANSFER, Method.CARD, Method.CASH, Method.HELLOASSO)


def seed_funding(run: DemoRun, slug: str) -> None:
    association = Association.objects.filter(slug=slug).first()
    if association is None:
        return
    with scope(association=association):
        treasurer = (
            Person.objects.filter(association=association, role_assignments__role=Role.TREASURER)
            .exclude(user=None)
            .first()
        )
        if treasurer is None or Donor.objects.filter(association=association).exists():
            run.kept(f"= {slug}: donations kept as they are")
            return
        if not association.has_module(Module.FUNDING):
            president = Person.objects.filter(
                association=association, role_assignments__role=Role.PRESIDENT
            ).first()
            modules_update(
                association=association,
                actor=president.user,
                modules=[*association.enabled_modules, Module.FUNDING],
            )
        with transaction.atomic():
            count = _build(run, association, treasurer.user)
    run.added(f"+ {slug}: {count} gifts, a public campaign, last year's tax receipts")


def _build(run: DemoRun, association: Association, actor) -> int:
    rng = random.Random(f"funding-{association.slug}")
    funding_settings_update(
        association=association,
        actor=actor,
        receipts_enabled=True,
        legal_basis="general_interest",
        object=association.purpose,
        address="41 rue Loubon",
        signatory_name="Jean-Pierre Santoni",
        signatory_title="Trésorier",
    )
    campaign = campaign_create(
        association=association,
        actor=actor,
        title="Une chambre froide pour l’épicerie",
        description="Pour garder les produits frais plus longtemps et accueillir plus de familles.",
        goal=Decimal("6000"),
        starts_on=run.today - datetime.timedelta(days=90),
        is_public=True,
    )
    donors = [
        donor_create(
            association=association,
            actor=actor,
            kind="person",
            first_name=f,
            last_name=last,
            email=e,
            address=a,
            postal_code=pc,
            city="Marseille",
        )
        for f, last, e, a, pc in OUTSIDE
    ]
    members = Person.objects.filter(association=association, anonymised_at=None).exclude(email="")[
        :6
    ]
    donors += [
        donor_create(association=association, actor=actor, kind="person", person=p) for p in members
    ]
    company = donor_create(
        association=association,
        actor=actor,
        kind="company",
        company_name="Boulangerie du Panier",
        siren="732829320",
        email="contact@boulangerie-panier.test",
        address="9 rue du Panier",
        postal_code="13002",
        city="Marseille",
    )
    count = 0
    for year in (run.today.year - 1, run.today.year):
        last = run.today if year == run.today.year else datetime.date(year, 12, 31)
        for donor in donors:
            for _ in range(rng.randint(1, 3)):
                day = datetime.date(year, 1, 1) + datetime.timedelta(
                    days=rng.randint(0, (last - datetime.date(year, 1, 1)).days)
                )
                donation_record(
                    association=association,
                    actor=actor,
                    donor=donor,
                    date=day,
                    amount=Decimal(rng.choice((10, 20, 30, 50, 80, 100, 150))),
                    method=rng.choice(METHODS),
                    campaign=campaign if year == run.today.year and rng.random() < 0.5 else None,
                )
                count += 1
        donation_record(
            association=association,
            actor=actor,
            donor=company,
            date=datetime.date(year, 3, 12),
            amount=Decimal("350"),
            nature=Nature.IN_KIND,
            description="Pains et viennoiseries (350 unités)",
        )
        donation_record(
            association=association,
            actor=actor,
            donor=donors[-1],
            date=datetime.date(year, 6, 3),
            amount=Decimal("48.20"),
            nature=Nature.WAIVED_EXPENSES,
            description="Trajets pour la collecte (150 km)",
        )
        count += 2
    receipt_batch_start(association=association, actor=actor, gift_year=run.today.year - 1)
    return count
