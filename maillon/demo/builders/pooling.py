"""Pooled resources and skilled help in the demo: a collective joining two demo
associations, a minibus and a room lent inside it, a booking of the minibus for next
Saturday, a help request asked of companies, and a company lending an employee.
Skipped where the minibus already exists."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone
from django_scopes import scope, scopes_disabled

from maillon.associations.models import Association
from maillon.demo.builders.common import DemoRun
from maillon.members.models import Person
from maillon.network.help.companies.services import company_register, employee_add
from maillon.network.help.services import help_request_create
from maillon.network.models import (
    Company,
    MembershipStatus,
    Network,
    NetworkMembership,
    SharedResource,
)
from maillon.network.pooling.services import booking_request, resource_create
from maillon.taxonomy.models import Skill

OWNER, BORROWER = "amis-croix-rousse", "epicerie-belle-de-mai"
VAN = "Minibus 9 places"


def _president(association: Association):
    with scope(association=association):
        person = (
            Person.objects.filter(
                association=association, role_assignments__role="president", user__isnull=False
            )
            .select_related("user")
            .first()
        )
    return person.user if person else None


def _collective(owner: Association, borrower: Association) -> Network:
    network, _ = Network.objects.get_or_create(
        slug="collectif-mutualisation",
        defaults={"name": "Collectif de mutualisation", "kind": "collective", "status": "active"},
    )
    with scopes_disabled():
        for association in (owner, borrower):
            NetworkMembership.objects.get_or_create(
                association=association,
                network=network,
                defaults={"status": MembershipStatus.ACTIVE, "joined_at": timezone.now()},
            )
    return network


def _next_saturday(today: datetime.date) -> datetime.datetime:
    day = today + datetime.timedelta(days=(5 - today.weekday()) % 7 or 7)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


def seed_pooling(run: DemoRun) -> None:
    owner = Association.objects.filter(slug=OWNER).first()
    borrower = Association.objects.filter(slug=BORROWER).first()
    if owner is None or borrower is None:
        return
    with scopes_disabled():
        if SharedResource.objects.filter(association=owner, name=VAN).exists():
            run.kept(f"= {OWNER}: pooled resources already there")
            return
    owner_admin, borrower_admin = _president(owner), _president(borrower)
    if owner_admin is None or borrower_admin is None:
        return
    _collective(owner, borrower)
    van = resource_create(
        association=owner,
        actor=owner_admin,
        name=VAN,
        kind="vehicle",
        description="Renault Trafic, permis B. Carte carburant fournie, plein à refaire.",
        department=owner.department,
        quantity=1,
        capacity=9,
        deposit=Decimal("500"),
        fee=Decimal("0"),
        value_in_kind=Decimal("90"),
        insurance_required=True,
        audience="networks",
        approval_required=True,
        buffer_minutes=60,
        opening_hours="Clés à la maison des associations, du lundi au samedi, 9 h – 18 h",
    )
    resource_create(
        association=owner,
        actor=owner_admin,
        name="Salle de réunion (30 places)",
        kind="room",
        department=owner.department,
        capacity=30,
        audience="associations",
        approval_required=False,
        buffer_minutes=30,
    )
    start = _next_saturday(run.today)
    booking_request(
        association=borrower,
        actor=borrower_admin,
        resource=van,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=9),
        purpose="Collecte à la banque alimentaire",
    )
    skills = list(Skill.objects.all()[:3])
    help_request_create(
        association=borrower,
        actor=borrower_admin,
        title="Mettre en place l’adhésion et le don en ligne",
        need="Les adhésions se font sur papier ; nous perdons des familles entre deux permanences.",
        deliverable="Un formulaire en ligne relié à notre registre, et deux bénévoles formés.",
        audiences=["companies", "volunteers"],
        skills=skills,
        format="either",
        hours_estimate=Decimal("24"),
        deadline=run.today + datetime.timedelta(days=90),
        recommendation_code="company_sponsorship",
    )
    if not Company.objects.filter(siren="732829320").exists():
        company = company_register(
            actor=owner_admin, name="Numérique Solidaire (démo)", siren="732829320"
        )
        employee_add(
            company=company,
            actor=owner_admin,
            full_name="Camille Durand",
            job_title="Développeuse",
            skills=skills,
        )
    run.added(f"+ {OWNER}: minibus and room lent to the collective, a booking, a help request")
